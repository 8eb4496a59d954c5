"""Shared fixtures: a migrated database per backend (SQLite and PostgreSQL), the app, clients."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import make_url

from layerminder.app import create_app
from layerminder.config import Settings
from layerminder.db.base import Base
from layerminder.db.migrate import upgrade_to_head
from layerminder.db.session import create_engine

POSTGRES_ADMIN_URL = os.environ.get(
    "LAYERMINDER_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("LAYERMINDER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, url: str) -> None:
    """Skip with the reason when a server is down locally; in CI a missing server is a failure."""
    parsed = make_url(url) if "+" in url.split(":")[0] else None
    host = parsed.host if parsed else url.split("//")[1].split(":")[0]
    port = parsed.port if parsed else int(url.split(":")[2].split("/")[0])
    if not _port_open(host or "127.0.0.1", port or 0):
        message = f"{name} is not reachable at {host}:{port} (start it; .ci/run does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class Database:
    backend: str
    url: str


async def _migrate(url: str) -> None:
    engine = create_engine(Settings(database_url=url, _env_file=None))
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (faster than migrating per test)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test run, dropped at the end."""
    require_service("PostgreSQL", POSTGRES_ADMIN_URL)
    name = f"layerminder_test_{uuid.uuid4().hex[:10]}"
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    async def _admin(sql: str) -> None:
        engine = create_engine(Settings(database_url=POSTGRES_ADMIN_URL, _env_file=None))
        async with engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text(sql))
        await engine.dispose()

    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    asyncio.run(_migrate(url))
    yield url
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_postgres(url: str) -> None:
    engine = create_engine(Settings(database_url=url, _env_file=None))
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    await engine.dispose()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A unique Redis key prefix per test, so runs never collide; its keys are removed after."""
    from tests.jobs.redis_keys import delete_prefixed

    require_service("Redis", REDIS_TEST_URL)
    prefix = f"lmtest-{uuid.uuid4().hex[:10]}"
    yield prefix
    asyncio.run(delete_prefixed(prefix))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        path = tmp_path / "layerminder.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return Database("sqlite", f"sqlite+aiosqlite:///{path}")
    url = request.getfixturevalue("postgres_database")
    asyncio.run(_truncate_postgres(url))
    return Database("postgresql", url)


@pytest.fixture
def postgres(tmp_path: Path, request: pytest.FixtureRequest) -> Database:
    """For tests that are about PostgreSQL only (row locks under real concurrency)."""
    url = request.getfixturevalue("postgres_database")
    asyncio.run(_truncate_postgres(url))
    return Database("postgresql", url)


def make_settings(tmp_path: Path, database: Database, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database.url,
        "web_dir": tmp_path / "no-web",
        "seed_library": False,
        "sse_heartbeat_seconds": 1.0,
        # Tests sign up many accounts from one address; the limit tests turn limits on.
        "rate_limits_enabled": False,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return make_settings(tmp_path, database)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    # A loaded 2-core CI machine can take longer than asgi-lifespan's 5 s defaults.
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http
