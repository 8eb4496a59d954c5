"""What a generation job waits out rather than fails on: the database going away, told apart
from the database saying no. Real errors from a real PostgreSQL and a closed port."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from layerminder.config import Settings
from layerminder.db.session import connection_lost, create_engine
from tests.conftest import Database
from tests.live import free_port


async def _error_of(url: str, sql: str) -> BaseException:
    engine = create_engine(Settings(database_url=url, _env_file=None))
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    except Exception as exc:
        return exc
    finally:
        await engine.dispose()
    raise AssertionError(f"{sql!r} did not fail")


async def test_a_connection_cut_by_the_server_is_lost(postgres: Database) -> None:
    # What a restart or a failover does to every open connection (SQLSTATE 57P01).
    error = await _error_of(postgres.url, "SELECT pg_terminate_backend(pg_backend_pid())")
    assert connection_lost(error), repr(error)


async def test_a_server_that_is_not_there_is_lost() -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/test"
    error = await _error_of(url, "SELECT 1")
    assert connection_lost(error), repr(error)


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT * FROM no_such_table", "SELECT 1 / 0"], ids=str)
async def test_the_database_saying_no_is_not_lost(postgres: Database, sql: str) -> None:
    error = await _error_of(postgres.url, sql)
    assert not connection_lost(error), repr(error)
