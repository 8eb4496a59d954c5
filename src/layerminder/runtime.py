"""Everything a process holds once: engine, storage, events, queue, providers, recommender."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from layerminder.auth.security import load_signing_secret
from layerminder.config import Settings
from layerminder.db.session import create_engine, create_sessionmaker
from layerminder.jobs.events import EventBus, build_event_bus
from layerminder.jobs.queue import JobQueue, build_job_queue
from layerminder.security.ratelimit import RateLimiter, build_rate_limiter
from layerminder.storage.base import ObjectStorage
from layerminder.storage.factory import build_storage

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    storage: ObjectStorage
    secret: str
    events: EventBus
    queue: JobQueue
    limiter: RateLimiter
    # Lazily built, process-wide singletons (providers, embedder, index) keyed by name.
    cache: dict[str, Any] = field(default_factory=dict)

    def cached(self, name: str, build: Callable[[Settings], Any]) -> Any:
        """The process's one `name`, built from the settings on first use."""
        if name not in self.cache:
            self.cache[name] = build(self.settings)
        return self.cache[name]


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """Build the process state: engine, storage, events and the queue the settings choose.

    The queue runs nothing until a process that runs jobs binds their handlers to it."""
    engine = create_engine(settings)
    storage = build_storage(settings)
    events = build_event_bus(settings)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessionmaker=create_sessionmaker(engine),
        storage=storage,
        secret=load_signing_secret(settings),
        events=events,
        queue=build_job_queue(settings),
        limiter=build_rate_limiter(settings),
    )
    await events.start()
    await runtime.queue.start()
    try:
        yield runtime
    finally:
        await runtime.queue.stop()
        for cached in runtime.cache.values():
            close = getattr(cached, "aclose", None)
            if close is not None:  # provider HTTP clients hold connection pools
                await close()
        await events.stop()
        await runtime.limiter.aclose()
        await engine.dispose()
