"""Every job a process that runs jobs binds to its queue (the app in-process, or a worker)."""

from __future__ import annotations

from layerminder.generation import tasks as generation
from layerminder.jobs.queue import JobHandler
from layerminder.runtime import Runtime
from layerminder.webhooks import tasks as webhooks


def job_handlers(runtime: Runtime) -> dict[str, JobHandler]:
    return {**generation.job_handlers(runtime), **webhooks.job_handlers(runtime)}
