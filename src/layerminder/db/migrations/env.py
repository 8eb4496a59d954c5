"""Alembic environment: runs migrations on the async engine LayerMinder's settings describe."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import layerminder.models  # noqa: F401  (registers every table on Base.metadata)
from layerminder.config import Settings
from layerminder.db.base import Base, is_modelled
from layerminder.db.session import create_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=is_modelled,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(Settings())
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `layerminder migrate`")
if context.config.attributes.get("connection") is not None:
    _run(context.config.attributes["connection"])
else:
    asyncio.run(_run_async())
