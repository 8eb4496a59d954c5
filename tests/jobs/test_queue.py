"""The in-process queue: jobs run by task name through the handler bound to that name."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from layerminder.jobs.queue import InProcessQueue, UnknownTask


async def test_a_job_runs_the_handler_bound_to_its_task_name() -> None:
    ran: list[tuple[str, uuid.UUID]] = []

    async def note(task: str, record_id: uuid.UUID) -> None:
        await asyncio.sleep(0)
        ran.append((task, record_id))

    queue = InProcessQueue(concurrency=2)
    queue.bind(
        {
            "first": lambda record_id: note("first", record_id),
            "second": lambda record_id: note("second", record_id),
        }
    )
    record_ids = [uuid.uuid4() for _ in range(3)]
    await queue.enqueue("second", record_ids[0])
    await queue.enqueue("first", record_ids[1])
    await queue.enqueue("second", record_ids[2])
    await queue.drain()
    assert sorted(ran) == sorted(
        [("second", record_ids[0]), ("first", record_ids[1]), ("second", record_ids[2])]
    )
    await queue.stop()


async def test_a_task_nobody_bound_is_refused_when_enqueued() -> None:
    queue = InProcessQueue(concurrency=1)
    queue.bind({"known": lambda record_id: asyncio.sleep(0)})
    with pytest.raises(UnknownTask, match="unknown"):
        await queue.enqueue("unknown", uuid.uuid4())
    await queue.stop()


async def test_a_crashing_job_does_not_stop_the_next_one() -> None:
    done: list[uuid.UUID] = []

    async def job(record_id: uuid.UUID) -> None:
        if not done:
            done.append(record_id)
            raise RuntimeError("database gone")
        done.append(record_id)

    queue = InProcessQueue(concurrency=1)
    queue.bind({"job": job})
    first, second = uuid.uuid4(), uuid.uuid4()
    await queue.enqueue("job", first)
    await queue.drain()
    await queue.enqueue("job", second)
    await queue.drain()
    assert done == [first, second]
    await queue.stop()
