"""SQLite reads run on the event loop itself, for the embedded default's read-only sessions.

aiosqlite runs every call (BEGIN, each execute, each fetch, COMMIT, the reset on return) on a
thread of its own and hops back to the loop: a GIL hand-over and two wake-ups per call. For a
GET that is most of its cost: an authenticated read spent ~1.6 ms of CPU on one session with
one primary-key lookup, against ~0.4 ms when the same SQLAlchemy session runs sqlite3 directly
(`bench/api_load.py`, and the README's benchmark section).

Running sqlite3 on the loop is safe only where a call can never wait: readers of a WAL database
take no lock and are never blocked by a writer, so these connections are made read-only
(`PRAGMA query_only`: a write in a reading session fails at once instead of waiting for the
write lock while holding up the loop). Writers stay on aiosqlite, whose waits for the write
lock happen off the loop.

The dialect is the standard pysqlite one (same types, same SQL) marked async so that
`create_async_engine` accepts it: SQLAlchemy's asyncio layer runs the sync calls inside its
greenlet, which never has anything to await. Its only asyncio-specific need is a cursor that
can be "soft closed" asynchronously, which a plain sqlite3 cursor does not have.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from layerminder.db import jsoncodec

DRIVER = "sqlite+layerminder_inline"
# A reader meets SQLITE_BUSY only in rare cases (recovering a WAL after a crash); waiting for
# it blocks the loop, so only briefly.
_BUSY_TIMEOUT_SECONDS = 2.0


class _Cursor:
    """A sqlite3 cursor with the asynchronous soft close SQLAlchemy's asyncio layer calls."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        object.__setattr__(self, "_cursor", cursor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._cursor, name, value)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    async def _async_soft_close(self) -> None:
        # Rows are already in memory and nothing is pending: there is nothing to await.
        return None


class _Connection:
    __slots__ = ("_connection",)

    def __init__(self, connection: Any) -> None:  # a sqlite3.Connection
        object.__setattr__(self, "_connection", connection)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._connection, name, value)

    def cursor(self, *args: Any) -> _Cursor:
        return _Cursor(self._connection.cursor(*args))


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    is_async = True
    supports_statement_cache = True

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        return _Connection(super().connect(*cargs, **cparams))


registry.register(DRIVER.replace("+", "."), __name__, InlineSQLiteDialect.__name__)


def is_file_database(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def create_reader_engine(url: URL) -> AsyncEngine:
    """Read-only connections to the SQLite file at `url`, run on the event loop."""
    engine = create_async_engine(
        url.set(drivername=DRIVER),
        # Checkouts wait asynchronously when every connection is held by a request.
        poolclass=AsyncAdaptedQueuePool,
        pool_size=8,
        max_overflow=16,
        connect_args={"timeout": _BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        json_deserializer=jsoncodec.loads,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _read_only(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()
        # SQLAlchemy emits BEGIN itself (below), not the driver's implicit one.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        # Deferred: a WAL reader takes no lock, and sees one snapshot for the transaction.
        # Straight to sqlite3: nothing here needs SQLAlchemy's statement machinery, which cost
        # more than the BEGIN itself on every request.
        connection.connection.dbapi_connection.execute("BEGIN")

    return engine
