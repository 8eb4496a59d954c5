"""Async engine and session factory; one per process, built in the app lifespan or a job."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from layerminder.config import Settings
from layerminder.db import jsoncodec
from layerminder.db.inline_sqlite import create_reader_engine, is_file_database

AfterCommit = Callable[[], Awaitable[None]]
# A SQLite engine's reader (see `reading`), made with it and disposed of with it.
_readers: weakref.WeakKeyDictionary[Engine, AsyncEngine] = weakref.WeakKeyDictionary()


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.resolved_database_url
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        # One writing connection, so the process's writers wait for it in turn on the pool's
        # queue, woken the moment it is free. With several, each BEGIN IMMEDIATE that found
        # the database's one write lock taken was left to SQLite's busy handler, which polls
        # after sleeps of 1, 2, 5, 10, 15, 20, 25... ms: a lock held for 2 ms cost the next
        # writer 18, and a POST /generate among rendering jobs waited up to 130 ms for it.
        # Reads do not take it (`reading`); other processes (the CLI) still meet the lock.
        one_writer = (
            {"pool_size": 1, "max_overflow": 0, "pool_timeout": 30}
            if is_file_database(make_url(url))
            else {}  # an in-memory database has one connection anyway
        )
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, json_deserializer=jsoncodec.loads, **one_writer
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets readers (SSE, listings) run while a job writes; FKs are off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # NORMAL is safe with WAL (no corruption on crash); FULL fsyncs every commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # Let SQLAlchemy emit BEGIN itself (below) instead of the driver's deferred BEGIN.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            # A deferred transaction that reads then writes fails at once with "database is
            # locked" under concurrency; IMMEDIATE takes the write lock up front and waits.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        if is_file_database(engine.url):
            reader = create_reader_engine(engine.url)
            _readers[engine.sync_engine] = reader

            @event.listens_for(engine.sync_engine, "engine_disposed")
            def _dispose_reader(_: Any) -> None:
                # Closes its pooled connections; like the engine, it can still be used after.
                reader.sync_engine.dispose()

        return engine
    return create_async_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_pre_ping=True,
        json_deserializer=jsoncodec.loads,
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def reading(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncSession:
    """A session for work that only reads (a GET, loading the caller).

    On a SQLite file it runs on the event loop through read-only connections
    (`db.inline_sqlite`): every other transaction there begins IMMEDIATE, taking the database's
    one write lock, and reads that did so queued behind each other and behind every commit of a
    rendering job (a read mix at 200 req/s had a p50 of 11 s); a reader takes no lock, and a
    write in it fails at once. On PostgreSQL it is an ordinary session."""
    engine: AsyncEngine = sessionmaker.kw["bind"]
    reader = _readers.get(engine.sync_engine)
    return sessionmaker(bind=reader) if reader is not None else sessionmaker()


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run `callback` once the surrounding unit of work has committed (e.g. enqueue a job)."""
    session.info.setdefault("after_commit", []).append(callback)


def on_rollback(session: AsyncSession, callback: AfterCommit) -> None:
    """Run `callback` if the unit of work rolls back (e.g. delete bytes written for its rows)."""
    session.info.setdefault("on_rollback", []).append(callback)


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession], *, read_only: bool = False
) -> AsyncIterator[AsyncSession]:
    """Commit on success, roll back on error; then run the matching callbacks.

    `read_only`: the work only reads (see `reading`); on SQLite a write in it fails."""
    async with reading(sessionmaker) if read_only else sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            for undo in session.info.pop("on_rollback", []):
                await undo()
            raise
        session.info.pop("on_rollback", None)
        callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
        for callback in callbacks:
            await callback()


# SQLSTATE classes of a lost or refused connection: 08 (connection exception) and 57P
# (operator intervention: the server shutting down, crashing or still starting up).
_LOST_SQLSTATES = ("08", "57P")


def connection_lost(exc: BaseException) -> bool:
    """The database went away (restarted, unreachable, a connection cut): a blip to wait out
    and try again, not a reason to fail the work. Looks through the exception's causes, where
    SQLAlchemy keeps the driver's error."""
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, ConnectionError | TimeoutError):
            return True
        sqlstate = getattr(error, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_LOST_SQLSTATES):
            return True
        error = error.__cause__ or error.__context__
    return False
