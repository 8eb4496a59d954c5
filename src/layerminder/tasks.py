"""Every job a process that runs jobs binds to its queue (the app in-process, or a worker)."""

from __future__ import annotations

from layerminder.generation import tasks as generation
from layerminder.jobs.queue import JobHandler
from layerminder.objects import tasks as objects
from layerminder.runtime import Runtime
from layerminder.webhooks import tasks as webhooks

# What these jobs' CPU-bound work (renders, image checks, previews, embeddings) imports in an
# offload worker process: loaded as each worker starts (offload.warm_up), not by the first job.
CPU_WORK_MODULES = (
    "layerminder.generation.previews",
    "layerminder.images.validation",
    "layerminder.providers.local",
    "layerminder.providers.masks",
    "layerminder.recommender.preprocess",
)


def job_handlers(runtime: Runtime) -> dict[str, JobHandler]:
    return {
        **generation.job_handlers(runtime),
        **webhooks.job_handlers(runtime),
        **objects.job_handlers(runtime),
    }
