"""Everything a process holds once: engine, storage, events, queue, providers, recommender."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from layerminder import offload
from layerminder.config import Settings
from layerminder.db.session import create_engine, create_sessionmaker
from layerminder.jobs.events import EventBus, build_event_bus
from layerminder.jobs.factory import build_job_queue
from layerminder.jobs.queue import JobQueue
from layerminder.security.crypto import load_signing_secret
from layerminder.security.ratelimit import RateLimiter, build_rate_limiter
from layerminder.storage.base import ObjectStorage
from layerminder.storage.factory import build_storage

if TYPE_CHECKING:
    from layerminder.providers.base import ImageProvider, StoryProvider
    from layerminder.recommender.base import Embedder
    from layerminder.recommender.published import PublishedIndex
    from layerminder.records.views import RecordViews

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

    # The members below are built from the settings on first use, once per process (models load
    # lazily and are cached). Each can be replaced by assignment (bench/pipeline.py times them).

    @cached_property
    def image_provider(self) -> ImageProvider:
        from layerminder.providers.factory import build_image_provider

        return build_image_provider(self.settings)

    @cached_property
    def story_provider(self) -> StoryProvider:
        from layerminder.providers.factory import build_story_provider

        return build_story_provider(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        from layerminder.recommender.factory import build_embedder

        return build_embedder(self.settings)

    @cached_property
    def library_index(self) -> PublishedIndex:
        """The reference library's index as published in storage (reloaded on a new version)."""
        from layerminder.recommender.published import PublishedIndex

        return PublishedIndex(self.storage)

    @cached_property
    def record_views(self) -> RecordViews:
        """Record views as clients see them, built once per state of a record and shared by
        every request, stream and job of the process."""
        from layerminder.records.views import RecordViews

        return RecordViews(self.secret)

    async def close_members(self) -> None:
        """Close the lazily built members that hold resources (provider HTTP clients' pools)."""
        for name in ("image_provider", "story_provider", "embedder"):
            built = self.__dict__.get(name)  # where cached_property keeps what it built
            close = getattr(built, "aclose", None)
            if close is not None:
                await close()


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """Build the process state: engine, storage, events and the queue the settings choose.

    The queue runs nothing until a process that runs jobs binds their handlers to it."""
    offload.configure(settings.cpu_workers)
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
        await runtime.close_members()
        await events.stop()
        await runtime.limiter.aclose()
        await engine.dispose()
