"""The job queue seam: a task name plus a record id, run by the handler bound to that name."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

logger = logging.getLogger(__name__)

# A task's handler: the job for one record id (it opens its own session; safe to run twice).
JobHandler = Callable[[uuid.UUID], Awaitable[None]]


class RunAgain(Exception):
    """Raised by a job that must run once more (its record was retried while it ran): the
    queue runs it again, even where the retry's own enqueue was absorbed by this job's."""


class UnknownTask(LookupError):
    """A job named a task no handler is bound to."""


class JobQueue(Protocol):
    name: str
    # True when this process runs the jobs it enqueues (and so sweeps for lost ones and keeps
    # CPU workers warm); False for a shared queue that `layerminder worker` processes drain.
    runs_jobs_here: bool

    def bind(self, handlers: Mapping[str, JobHandler]) -> None:
        """Name → handler for the tasks this process runs (the app or a worker binds them)."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def enqueue(self, task: str, record_id: uuid.UUID) -> None: ...

    async def check(self) -> None: ...


class InProcessQueue:
    """Runs the same task code as a worker would, as tasks on this process's event loop."""

    name = "in-process"
    runs_jobs_here = True

    def __init__(self, concurrency: int) -> None:
        self._handlers: dict[str, JobHandler] = {}
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    def bind(self, handlers: Mapping[str, JobHandler]) -> None:
        self._handlers.update(handlers)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        # Unfinished records are picked up again by recovery on the next start.
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def enqueue(self, task: str, record_id: uuid.UUID) -> None:
        handler = self._handlers.get(task)
        if handler is None:
            raise UnknownTask(f"no handler bound for task {task!r}")
        job = asyncio.create_task(self._run(task, handler, record_id), name=f"{task}:{record_id}")
        self._tasks.add(job)
        job.add_done_callback(self._tasks.discard)

    async def _run(self, task: str, handler: JobHandler, record_id: uuid.UUID) -> None:
        async with self._slots:
            try:
                await handler(record_id)
            except RunAgain:
                await self.enqueue(task, record_id)
            except Exception:
                logger.exception(
                    "%s job crashed", task, extra={"record_id": str(record_id), "task": task}
                )

    async def drain(self) -> None:
        """Wait until every queued job has finished (CLI `generate`, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def check(self) -> None:
        return None


class DirectQueue:
    """Collects jobs for a caller that runs them itself (CLI `generate`, benchmarks)."""

    name = "direct"
    runs_jobs_here = True

    def __init__(self) -> None:
        self.jobs: list[tuple[str, uuid.UUID]] = []

    def bind(self, handlers: Mapping[str, JobHandler]) -> None:
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def check(self) -> None:
        return None

    async def enqueue(self, task: str, record_id: uuid.UUID) -> None:
        self.jobs.append((task, record_id))
