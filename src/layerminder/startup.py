"""Work a process does once it has its runtime: nothing left stuck, library ready."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial

from layerminder.runtime import Runtime

logger = logging.getLogger(__name__)


async def recover_jobs(runtime: Runtime, *, at_startup: bool = False) -> int:
    """Hand the records and views sheets whose job died back to the queue: at start-up (or
    when the queue was lost) every open one nobody holds, later those untouched for a lease."""
    from layerminder.generation.job import recover_unfinished
    from layerminder.objects.views import recover_views

    records = await recover_unfinished(runtime, at_startup=at_startup)
    # Views sheets left open by a dead process are made after all (objects/views.py).
    return records + await recover_views(runtime, at_startup=at_startup)


@contextlib.asynccontextmanager
async def recovery_sweeps(runtime: Runtime, *, at_startup: bool) -> AsyncIterator[None]:
    """Resume unfinished records and views sheets now, then keep sweeping for ones whose job
    died; hand webhook deliveries whose next attempt is due to the queue."""
    from layerminder.webhooks.tasks import enqueue_due

    await recover_jobs(runtime, at_startup=at_startup)

    async def _sweep(name: str, every: float, sweep: Callable[[], Awaitable[int]]) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await sweep()
            except Exception:
                logger.exception("%s sweep failed", name)

    settings = runtime.settings
    sweepers = [
        asyncio.create_task(
            _sweep("recovery", settings.recovery_interval_seconds, partial(recover_jobs, runtime)),
            name="recovery-sweep",
        ),
        asyncio.create_task(
            _sweep(
                "webhook retry",
                settings.webhook_sweep_interval_seconds,
                partial(enqueue_due, runtime),
            ),
            name="webhook-sweep",
        ),
    ]
    try:
        yield
    finally:
        for sweeper in sweepers:
            sweeper.cancel()
        await asyncio.gather(*sweepers, return_exceptions=True)


@contextlib.asynccontextmanager
async def background_duties(runtime: Runtime) -> AsyncIterator[None]:
    """Seed the library on first start, resume unfinished records, keep sweeping for them."""
    from layerminder.library.importing import seed_starter_library

    settings = runtime.settings
    uses_openai = "openai" in (settings.image_provider, settings.story_provider)
    if uses_openai and settings.openai_api_key is None and not settings.openai_base_url:
        logger.warning(
            "OpenAI providers are selected but OPENAI_API_KEY is not set: every generation "
            "will fail (and be refunded) until it is; `layerminder doctor` checks the setup"
        )
    if runtime.settings.seed_library:
        try:
            await seed_starter_library(runtime)
        except Exception:
            logger.exception("could not seed the reference library")
    logger.info(
        "LayerMinder ready: database=%s storage=%s queue=%s events=%s",
        runtime.engine.dialect.name,
        runtime.storage.name,
        runtime.queue.name,
        runtime.events.name,
    )
    if not runtime.queue.runs_jobs_here:
        # A shared queue outlives this process: `layerminder worker` processes run the jobs and
        # the recovery sweeps; an API replica sweeping too would only enqueue duplicates.
        yield
        return
    async with recovery_sweeps(runtime, at_startup=True):
        yield
