"""RedisJobQueue on a real Redis: delivery, acknowledgement, crash redelivery, graceful stop."""

from __future__ import annotations

import asyncio
import io
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import redis.asyncio as redis

from layerminder.jobs.redis_queue import RedisJobQueue
from tests.conftest import REDIS_TEST_URL
from tests.jobs.stub_worker import STUB_TASK, stub_job, stub_queue, stub_settings
from tests.live import REPO_ROOT

pytestmark = pytest.mark.redis


def _lines(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


async def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


async def _stream_state(queue: RedisJobQueue) -> tuple[int, int]:
    """(entries in the stream, entries delivered but not acknowledged)."""
    client = redis.from_url(REDIS_TEST_URL)
    try:
        length = await client.xlen(queue.stream.name)
        pending = await client.xpending(queue.stream.name, queue.stream.group)
    finally:
        await client.aclose()
    return length, int(pending["pending"])


@asynccontextmanager
async def _working(
    queue: RedisJobQueue, concurrency: int = 1, shutdown_timeout: float = 5.0
) -> AsyncIterator[asyncio.Event]:
    """Run `queue.work` in the background; stop it gracefully on exit."""
    await queue.start()
    stop = asyncio.Event()
    worker = asyncio.create_task(queue.work(concurrency, stop, shutdown_timeout=shutdown_timeout))
    try:
        yield stop
    finally:
        stop.set()
        # Not wait_for: on its timeout it waits, unbounded, for the cancelled worker to end.
        done, _ = await asyncio.wait({worker}, timeout=30)
        if not done:
            raise AssertionError(f"the worker did not stop within 30 s:\n{_task_stacks()}")
        worker.result()
        await queue.stop()


def _task_stacks() -> str:
    """Where every task of this loop is waiting: what a failure to stop needs to be read."""
    out = io.StringIO()
    for task in asyncio.all_tasks():
        task.print_stack(file=out)
    return out.getvalue()


def _start_stub_worker(
    prefix: str, log: Path, mode: str, lease: float = 1.0
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.stub_worker", prefix, str(log), mode, str(lease)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_jobs_enqueued_before_any_worker_run_once_and_are_acknowledged(
    redis_prefix: str, tmp_path: Path
) -> None:
    log = tmp_path / "jobs.log"
    settings = stub_settings(redis_prefix)
    api = stub_queue(settings)
    await api.start()
    record_ids = [uuid.uuid4() for _ in range(6)]
    for record_id in record_ids:
        await api.enqueue(STUB_TASK, record_id)
    await api.check()

    worker = stub_queue(settings, stub_job(log, seconds=0.05))
    async with _working(worker, concurrency=2):
        await _until(lambda: len(_lines(log)) == 12, 15, "six jobs to finish")
    await api.stop()

    done = [line.split()[1] for line in _lines(log) if line.startswith("done")]
    assert sorted(done) == sorted(str(r) for r in record_ids)
    # Acknowledged and deleted: the stream holds only outstanding work.
    assert await _stream_state(worker) == (0, 0)


async def test_a_job_whose_worker_is_killed_is_delivered_again(
    redis_prefix: str, tmp_path: Path
) -> None:
    log = tmp_path / "jobs.log"
    crashed = _start_stub_worker(redis_prefix, log, "hang")
    try:
        api = stub_queue(stub_settings(redis_prefix))
        await api.start()
        record_id = uuid.uuid4()
        await api.enqueue(STUB_TASK, record_id)
        await _until(lambda: f"started {record_id}" in _lines(log), 30, "the job to start")
    finally:
        crashed.send_signal(signal.SIGKILL)
        crashed.wait()
    assert await _stream_state(api) == (1, 1)  # delivered, never acknowledged

    survivor = stub_queue(stub_settings(redis_prefix), stub_job(log, seconds=0.05))
    started = time.monotonic()
    async with _working(survivor):
        await _until(lambda: f"done {record_id}" in _lines(log), 15, "the job to be redelivered")
        # Measured before the worker stops: the stop (bounded, up to a read's wait) is not part
        # of the reclaim.
        reclaimed_after = time.monotonic() - started
    # Reclaimed once the dead consumer's message had been idle for the lease (1 s here).
    assert reclaimed_after < 10
    assert _lines(log) == [f"started {record_id}", f"started {record_id}", f"done {record_id}"]
    assert await _stream_state(survivor) == (0, 0)
    await api.stop()


async def test_a_killed_worker_s_job_is_taken_over_once_its_beat_lapses_not_after_the_lease(
    redis_prefix: str, tmp_path: Path
) -> None:
    """With a lease of a minute, the dead worker's message would idle for a minute before the
    idle-time reclaim: its missing beat hands it over within a few beats instead."""
    log = tmp_path / "jobs.log"
    crashed = _start_stub_worker(redis_prefix, log, "hang", lease=60)
    settings = stub_settings(redis_prefix, job_lease_seconds=60, job_heartbeat_seconds=0.5)
    api = stub_queue(settings)
    await api.start()
    try:
        record_id = uuid.uuid4()
        await api.enqueue(STUB_TASK, record_id)
        await _until(lambda: f"started {record_id}" in _lines(log), 30, "the job to start")
    finally:
        crashed.send_signal(signal.SIGKILL)
        crashed.wait()

    survivor = stub_queue(settings, stub_job(log, seconds=0.05))
    async with _working(survivor):
        # Well inside the minute the idle-time reclaim needs: only the beat hands it over.
        await _until(lambda: f"done {record_id}" in _lines(log), 30, "the job to be taken over")
    assert _lines(log) == [f"started {record_id}", f"started {record_id}", f"done {record_id}"]
    assert await _stream_state(survivor) == (0, 0)
    await api.stop()


async def test_a_live_worker_keeps_its_long_job(redis_prefix: str, tmp_path: Path) -> None:
    """A job running longer than the idle timeout is not taken over while its worker lives."""
    log = tmp_path / "jobs.log"
    busy = _start_stub_worker(redis_prefix, log, "hang")
    try:
        api = stub_queue(stub_settings(redis_prefix))
        await api.start()
        record_id = uuid.uuid4()
        await api.enqueue(STUB_TASK, record_id)
        await _until(lambda: f"started {record_id}" in _lines(log), 30, "the job to start")
        survivor = stub_queue(stub_settings(redis_prefix), stub_job(log, seconds=0.05))
        async with _working(survivor):
            await asyncio.sleep(4)  # four idle timeouts
        assert _lines(log) == [f"started {record_id}"]
        assert await _stream_state(api) == (1, 1)
    finally:
        busy.send_signal(signal.SIGKILL)
        busy.wait()
        await api.stop()


async def test_stop_finishes_a_short_running_job(redis_prefix: str, tmp_path: Path) -> None:
    log = tmp_path / "jobs.log"
    queue = stub_queue(stub_settings(redis_prefix), stub_job(log, seconds=1.0))
    record_id = uuid.uuid4()
    async with _working(queue, shutdown_timeout=10):
        await queue.enqueue(STUB_TASK, record_id)
        await _until(lambda: f"started {record_id}" in _lines(log), 10, "the job to start")
    # Leaving the block stopped the worker: it waited for the job instead of dropping it.
    assert _lines(log) == [f"started {record_id}", f"done {record_id}"]
    assert await _stream_state(queue) == (0, 0)


async def test_stop_returns_a_job_that_outlasts_the_grace_period(
    redis_prefix: str, tmp_path: Path
) -> None:
    log = tmp_path / "jobs.log"
    # A long idle timeout: the job must come back by being returned, not by being reclaimed.
    settings = stub_settings(redis_prefix, job_lease_seconds=120)
    first = stub_queue(settings, stub_job(log, seconds=3600))
    record_id = uuid.uuid4()
    started = time.monotonic()
    async with _working(first, shutdown_timeout=0.3):
        await first.enqueue(STUB_TASK, record_id)
        await _until(lambda: f"started {record_id}" in _lines(log), 10, "the job to start")
    assert time.monotonic() - started < 10
    assert await _stream_state(first) == (1, 0)  # back in the stream, nobody holds it

    async with _working(stub_queue(settings, stub_job(log, seconds=0.05))):
        await _until(lambda: f"done {record_id}" in _lines(log), 10, "the returned job to run")
    assert await _stream_state(first) == (0, 0)


async def test_a_record_has_at_most_one_outstanding_job(redis_prefix: str, tmp_path: Path) -> None:
    """The recovery sweep re-enqueues records that wait in a long queue: no duplicates."""
    log = tmp_path / "jobs.log"
    queue = stub_queue(stub_settings(redis_prefix), stub_job(log, seconds=1.0))
    await queue.start()
    record_id = uuid.uuid4()
    for _ in range(3):
        await queue.enqueue(STUB_TASK, record_id)  # waiting: one message
    assert await _stream_state(queue) == (1, 0)
    async with _working(queue):
        await _until(lambda: f"started {record_id}" in _lines(log), 10, "the job to start")
        await queue.enqueue(STUB_TASK, record_id)  # running: still one
        assert await _stream_state(queue) == (1, 1)
        await _until(lambda: f"done {record_id}" in _lines(log), 10, "the job to end")
        await _until(lambda: len(_lines(log)) == 2, 1, "nothing more")
        await queue.enqueue(STUB_TASK, record_id)  # finished: a new job may go in
        await _until(lambda: len(_lines(log)) == 4, 10, "the second job")
    assert await _stream_state(queue) == (0, 0)


async def test_check_names_an_unreachable_redis() -> None:
    queue = stub_queue(stub_settings("lmtest-unused", redis_url="redis://127.0.0.1:1/0"))
    with pytest.raises(Exception, match=r"(?i)connect"):
        await queue.check()
    await queue.stop()
