"""The migrations build exactly the schema the ORM models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

import layerminder.models  # noqa: F401  (registers every table on Base.metadata)
from layerminder.config import Settings
from layerminder.db.base import Base, is_modelled
from layerminder.db.migrate import upgrade_to_head
from layerminder.db.session import create_engine
from tests.conftest import Database


def _schema_diff(connection: Connection) -> list[Any]:
    # Stricter than env.py's autogenerate (which compares types only): server defaults drift too.
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "include_name": is_modelled,
        },
    )
    return compare_metadata(context, Base.metadata)


async def test_autogenerate_finds_no_difference_after_upgrade(database: Database) -> None:
    engine = create_engine(Settings(database_url=database.url, _env_file=None))
    try:
        await upgrade_to_head(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(_schema_diff)
    finally:
        await engine.dispose()
    # A non-empty diff means a model changed without a migration (or the reverse):
    # `alembic revision --autogenerate -m "..."` writes the missing one.
    assert diff == [], diff
