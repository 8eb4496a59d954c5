"""SQLite reading sessions: on the event loop, never waiting for the write lock, never writing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from layerminder.config import Settings
from layerminder.db.inline_sqlite import DRIVER
from layerminder.db.migrate import upgrade_to_head
from layerminder.db.session import create_engine, create_sessionmaker, reading, unit_of_work


@pytest.fixture
async def sessionmaker(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(Settings(data_dir=tmp_path, _env_file=None))
    await upgrade_to_head(engine)
    async with unit_of_work(create_sessionmaker(engine)) as session:
        await session.execute(text("CREATE TABLE notes (body TEXT)"))
        await session.execute(text("INSERT INTO notes VALUES ('committed')"))
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_a_reader_sees_the_last_commit_while_a_writer_holds_the_lock(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with unit_of_work(sessionmaker) as writer:
        # BEGIN IMMEDIATE: the writer holds SQLite's one write lock until it commits.
        await writer.execute(text("INSERT INTO notes VALUES ('not yet')"))
        started = time.monotonic()
        async with reading(sessionmaker) as reader:
            assert (await reader.connection()).engine.url.drivername == DRIVER
            bodies = (await reader.execute(text("SELECT body FROM notes"))).scalars().all()
        assert bodies == ["committed"]
        # It did not wait for the lock (the writers' busy timeout is 30 s).
        assert time.monotonic() - started < 1

    async with reading(sessionmaker) as reader:
        rows = await reader.execute(text("SELECT body FROM notes ORDER BY body"))
        assert rows.scalars().all() == ["committed", "not yet"]


async def test_a_write_in_a_reading_session_fails_at_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(OperationalError, match="readonly"):
        async with unit_of_work(sessionmaker, read_only=True) as reader:
            await reader.execute(text("INSERT INTO notes VALUES ('sneaked in')"))
    async with reading(sessionmaker) as reader:
        count = await reader.scalar(text("SELECT count(*) FROM notes"))
    assert count == 1


async def test_readers_run_side_by_side_with_a_writer_on_the_same_loop(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async def read() -> int:
        async with reading(sessionmaker) as reader:
            await asyncio.sleep(0)  # hold the connection across a switch, as a request does
            return int(await reader.scalar(text("SELECT count(*) FROM notes")) or 0)

    async def write(i: int) -> None:
        async with unit_of_work(sessionmaker) as writer:
            await writer.execute(text("INSERT INTO notes VALUES (:b)"), {"b": f"w{i}"})

    results = await asyncio.gather(*[read() for _ in range(40)], *[write(i) for i in range(5)])
    counts = [r for r in results if r is not None]
    assert len(counts) == 40 and all(1 <= c <= 6 for c in counts)
    async with reading(sessionmaker) as reader:
        assert await reader.scalar(text("SELECT count(*) FROM notes")) == 6
