"""FastAPI dependencies as Annotated aliases: the request's runtime, settings, session and page.

Who is calling (CurrentUser and the other user aliases) is layerminder.auth.dependencies; rate
limits are layerminder.auth.limits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.config import Settings
from layerminder.db.session import unit_of_work
from layerminder.runtime import Runtime

# Requests that only read: their transactions take no write lock (db.session.reading). What a
# `read` API key may do is another question: auth.principals.READ_KEY_METHODS.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Dependencies are `async def` even where they await nothing: FastAPI runs a plain `def` one in
# its thread pool, a thread hop (and a GIL handover) per dependency per request.
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(runtime: RuntimeDep, request: Request) -> AsyncIterator[AsyncSession]:
    # scope="function" below: commit before the response is sent, so a 2xx means "saved".
    reads = request.method in READ_ONLY_METHODS
    async with unit_of_work(runtime.sessionmaker, read_only=reads) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True)
class Page:
    """limit/offset query parameters shared by every listing."""

    limit: int
    offset: int


async def get_page(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    # Bounded by the database's 32-bit integers: a larger offset is a 422, not a 500.
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(get_page)]
