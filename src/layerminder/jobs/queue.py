"""The job queue seam: tasks take a record id; in-process now, a Redis-backed queue when set."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from layerminder.runtime import Runtime

logger = logging.getLogger(__name__)


class JobQueue(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def enqueue_generation(self, record_id: uuid.UUID) -> None: ...

    async def check(self) -> None: ...


class InProcessQueue:
    """Runs the same task code as a worker would, as tasks on this process's event loop."""

    name = "in-process"

    def __init__(self, runtime: Runtime, concurrency: int) -> None:
        self._runtime = runtime
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        # Unfinished records are picked up again by recovery on the next start.
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def enqueue_generation(self, record_id: uuid.UUID) -> None:
        task = asyncio.create_task(self._run(record_id), name=f"generation:{record_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, record_id: uuid.UUID) -> None:
        from layerminder.generation.tasks import run_generation

        async with self._slots:
            try:
                await run_generation(self._runtime, record_id)
            except Exception:
                logger.exception("generation job crashed", extra={"record_id": str(record_id)})

    async def drain(self) -> None:
        """Wait until every queued job has finished (CLI `generate`, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def check(self) -> None:
        return None


class DirectQueue:
    """Collects record ids for a caller that runs the jobs itself (CLI `generate`, benchmarks)."""

    name = "direct"

    def __init__(self) -> None:
        self.record_ids: list[uuid.UUID] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def check(self) -> None:
        return None

    async def enqueue_generation(self, record_id: uuid.UUID) -> None:
        self.record_ids.append(record_id)


def build_job_queue(runtime: Runtime) -> JobQueue:
    if runtime.settings.redis_url:
        from layerminder.jobs.redis_queue import RedisJobQueue

        return RedisJobQueue(runtime)
    return InProcessQueue(runtime, runtime.settings.worker_concurrency)
