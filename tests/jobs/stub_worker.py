"""A worker process whose job only notes the record id: `python -m tests.jobs.stub_worker`.

Arguments: redis prefix, log file, then `hang` (the job never ends: a test kills the process)
or `finish`, and optionally the job lease in seconds (1). Each job appends "started <id>" and,
when it ends, "done <id>" to the log file.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path
from typing import Any

from layerminder.config import Settings
from layerminder.jobs.queue import JobHandler
from layerminder.jobs.redis_queue import RedisJobQueue
from tests.conftest import REDIS_TEST_URL

# The queue runs tasks by name: any name does, the stub's says what it does.
STUB_TASK = "note_record"


def stub_settings(prefix: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "redis_url": REDIS_TEST_URL,
        "redis_prefix": prefix,
        "job_lease_seconds": 1.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def stub_queue(settings: Settings, job: JobHandler | None = None) -> RedisJobQueue:
    """A queue that runs `job` for `STUB_TASK` (none: it only enqueues, like an API process)."""
    queue = RedisJobQueue(settings)
    if job is not None:
        queue.bind({STUB_TASK: job})
    return queue


def stub_job(log: Path, *, seconds: float) -> JobHandler:
    """Stands in for `run_generation`: notes the record id, takes `seconds`."""

    async def _job(record_id: uuid.UUID) -> None:
        with log.open("a") as out:
            out.write(f"started {record_id}\n")
        await asyncio.sleep(seconds)
        with log.open("a") as out:
            out.write(f"done {record_id}\n")

    return _job


async def main(prefix: str, log: Path, mode: str, lease: float) -> None:
    job = stub_job(log, seconds=3600 if mode == "hang" else 0.05)
    queue = stub_queue(stub_settings(prefix, job_lease_seconds=lease), job)
    await queue.start()
    try:
        await queue.work(1, asyncio.Event())
    finally:
        await queue.stop()


if __name__ == "__main__":
    lease = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), sys.argv[3], lease))
