"""The one place the job queue is chosen from settings: Redis when set, else in-process."""

from __future__ import annotations

from layerminder.config import Settings
from layerminder.jobs.queue import InProcessQueue, JobQueue


def build_job_queue(settings: Settings) -> JobQueue:
    if settings.redis_url:
        # Imported here only: an embedded run never imports redis.
        from layerminder.jobs.redis_queue import RedisJobQueue

        return RedisJobQueue(settings)
    return InProcessQueue(settings.worker_concurrency)
