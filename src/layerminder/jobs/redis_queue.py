"""The Redis-backed job queue: taskiq over a Redis stream, consumed by `layerminder worker`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from taskiq import AckableMessage, AcknowledgeType, BrokerMessage, Context, TaskiqDepends
from taskiq.exceptions import NoResultError
from taskiq.kicker import AsyncKicker
from taskiq.receiver import Receiver
from taskiq_redis import RedisStreamBroker

from layerminder.config import Settings
from layerminder.jobs.queue import JobHandler, RunAgain

logger = logging.getLogger(__name__)

# A task's name on the stream: `layerminder.<task>`, e.g. `layerminder.generate_designs`.
TASK_PREFIX = "layerminder."
# How long one XREADGROUP waits; also how often an idle worker looks for abandoned messages.
READ_BLOCK_MS = 1000
# How long stopping waits, past the shutdown timeout, for a step that should end at once.
STOP_GRACE_SECONDS = 5.0


# Enqueue a job (task + record id) only if the same one is not waiting or running: KEYS = stream,
# the job's marker; ARGV = message, job key, marker lifetime (s). The marker goes when the job is
# acknowledged.
_ENQUEUE_ONCE = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then
  return redis.call('XADD', KEYS[1], '*', 'data', ARGV[1], 'job', ARGV[2])
end
return false
"""


class JobStreamBroker(RedisStreamBroker):
    """taskiq-redis's stream broker, adjusted for long jobs, crash redelivery and sweeps.

    What we rely on and the stock `listen()` does not quite do:
    - one message per read, so a worker only takes what it can run now (fair sharing; a killed
      worker strands at most its own running jobs, not a prefetched batch);
    - messages abandoned by a dead consumer are reclaimed (XAUTOCLAIM) on every loop, also when
      no new message arrives (the stock loop only reclaims after a non-empty read);
    - messages being worked on are touched (XCLAIM JUSTID) so their idle time stays low: only a
      consumer that stopped touching them, i.e. a dead one, loses them;
    - one outstanding message per job (task + record): the recovery sweep sees a record waiting
      in a long queue as "untouched" and enqueues it again; a marker key turns that into a no-op;
    - an acknowledged message is also deleted, so the stream holds only outstanding work.
    """

    def __init__(
        self,
        url: str,
        *,
        stream: str,
        group: str,
        marker_prefix: str,
        alive_prefix: str,
        idle_timeout_ms: int,
    ) -> None:
        super().__init__(
            url,
            queue_name=stream,
            consumer_group_name=group,
            consumer_name=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
            # Start a new group at the beginning: jobs enqueued before any worker ran count.
            consumer_id="0",
            xread_block=READ_BLOCK_MS,
            idle_timeout=idle_timeout_ms,
            xread_count=1,
            unacknowledged_batch_size=1,
        )
        self.marker_prefix = marker_prefix
        self.alive_prefix = alive_prefix
        # A marker outlives any sane wait in the queue, yet expires if Redis lost the message
        # some other way (an operator deleting the stream), so a record is never blocked for good.
        self.marker_seconds = max(3600, idle_timeout_ms // 100)
        self._held: dict[bytes, bytes | None] = {}  # message id → job key, while running
        self._by_task: dict[str, bytes] = {}  # taskiq task id → message id
        self._toucher: asyncio.Task[None] | None = None

    async def _stop_touching(self) -> None:
        if self._toucher is not None:
            self._toucher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._toucher
            self._toucher = None

    async def shutdown(self) -> None:
        await self._stop_touching()
        await super().shutdown()

    def _redis(self) -> Redis:
        return Redis(connection_pool=self.connection_pool)

    def _marker(self, job: bytes | str) -> str:
        return f"{self.marker_prefix}:{job.decode() if isinstance(job, bytes) else job}"

    async def kick(self, message: BrokerMessage) -> None:
        job = message.labels.get("job")
        if job is None:
            await super().kick(message)
            return
        async with self._redis() as redis:
            added = await redis.eval(
                _ENQUEUE_ONCE,
                2,
                self.queue_name,
                self._marker(str(job)),
                message.message,
                str(job),
                self.marker_seconds,
            )
        if not added:
            logger.debug(
                "job already queued or running",
                extra={"record_id": message.labels.get("record_id"), "task": message.task_name},
            )

    @property
    def _alive_key(self) -> str:
        return f"{self.alive_prefix}:{self.consumer_name}"

    async def _touch_held(self) -> None:
        """Keep this worker's running messages (and its presence for `doctor`) fresh."""
        interval = min(self.idle_timeout / 3000, 10.0)
        while True:
            try:
                async with self._redis() as redis:
                    await redis.set(self._alive_key, b"1", px=int(interval * 3000))
                    if self._held:
                        await redis.xclaim(
                            self.queue_name,
                            self.consumer_group_name,
                            self.consumer_name,
                            min_idle_time=0,
                            message_ids=list(self._held),
                            justid=True,
                        )
            except Exception:
                logger.warning("could not refresh held job messages", exc_info=True)
            await asyncio.sleep(interval)

    def _release(self, message_id: bytes) -> None:
        self._held.pop(message_id, None)
        for task_id, held_id in list(self._by_task.items()):
            if held_id == message_id:
                del self._by_task[task_id]

    def _ackable(self, message_id: bytes, data: bytes, job: bytes | None) -> AckableMessage:
        self._held[message_id] = job
        with contextlib.suppress(Exception):
            self._by_task[self.formatter.loads(data).task_id] = message_id

        async def _ack() -> None:
            async with self._redis() as redis, redis.pipeline(transaction=True) as pipe:
                pipe.xack(self.queue_name, self.consumer_group_name, message_id)
                pipe.xdel(self.queue_name, message_id)
                if job is not None:
                    pipe.delete(self._marker(job))
                await pipe.execute()
            self._release(message_id)

        return AckableMessage(data=data, ack=_ack)

    async def give_back(self, task_id: str) -> None:
        """Put a running job back at the end of the queue in one step (its marker stays)."""
        message_id = self._by_task.get(task_id)
        if message_id is None:
            return
        async with self._redis() as redis:
            entries = await redis.xrange(self.queue_name, message_id, message_id)
            fields: dict[Any, Any] | None = entries[0][1] if entries else None
            if fields:
                async with redis.pipeline(transaction=True) as pipe:
                    pipe.xadd(self.queue_name, fields)
                    pipe.xack(self.queue_name, self.consumer_group_name, message_id)
                    pipe.xdel(self.queue_name, message_id)
                    await pipe.execute()
        self._release(message_id)

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        if self._toucher is None:
            self._toucher = asyncio.create_task(self._touch_held(), name="touch-held-jobs")
        cursor: bytes | str = "0-0"
        async with self._redis() as redis:
            while True:
                claimed = await redis.xautoclaim(
                    self.queue_name,
                    self.consumer_group_name,
                    self.consumer_name,
                    min_idle_time=self.idle_timeout,
                    start_id=cursor,
                    count=1,
                )
                cursor, messages = claimed[0], claimed[1]
                if messages:
                    logger.info("taking over a job message abandoned by a stopped worker")
                else:
                    fetched = await redis.xreadgroup(
                        self.consumer_group_name,
                        self.consumer_name,
                        {self.queue_name: ">"},
                        count=1,
                        block=self.block,
                    )
                    messages = _entries(fetched)
                for message_id, fields in messages:
                    if not fields or b"data" not in fields:
                        # Trimmed or malformed: nothing to run, so do not leave it pending.
                        await redis.xack(self.queue_name, self.consumer_group_name, message_id)
                        continue
                    yield self._ackable(message_id, fields[b"data"], fields.get(b"job"))

    async def outstanding(self) -> dict[str, int]:
        """Messages waiting and being worked on, and workers alive (for `doctor`)."""
        async with self._redis() as redis:
            length = await redis.xlen(self.queue_name)
            try:
                summary = await redis.xpending(self.queue_name, self.consumer_group_name)
                running = int(summary["pending"])
            except ResponseError:  # no group yet: nothing has started
                running = 0
            workers = [key async for key in redis.scan_iter(match=f"{self.alive_prefix}:*")]
        return {"queued": length - running, "running": running, "workers": len(workers)}

    async def leave(self) -> None:
        """A graceful goodbye: no longer counted as alive; forgotten if it holds nothing."""
        await self._stop_touching()
        async with self._redis() as redis:
            await redis.delete(self._alive_key)
            pending = await redis.xpending_range(
                self.queue_name,
                self.consumer_group_name,
                min="-",
                max="+",
                count=1,
                consumername=self.consumer_name,
            )
            if not pending:
                await redis.xgroup_delconsumer(
                    self.queue_name, self.consumer_group_name, self.consumer_name
                )


def _entries(fetched: Any) -> list[Any]:
    """The (id, fields) entries of a one-stream XREADGROUP reply (RESP2: [[stream, entries]])."""
    return list(fetched[0][1]) if fetched else []


def _taskiq_job(task: str, handler: JobHandler) -> Callable[..., Awaitable[None]]:
    """The worker side of `enqueue(task, …)`: the same handler as the in-process queue runs."""

    async def job(record_id: str, context: Context = TaskiqDepends()) -> None:
        log = {"record_id": record_id, "task": task}
        try:
            await handler(uuid.UUID(record_id))
        except RunAgain:
            # Back at the end of the queue under the same marker: a retry enqueued while this
            # job ran found the marker set, so this message is the only one for the record.
            logger.info("running a job again", extra=log)
            broker = context.broker
            assert isinstance(broker, JobStreamBroker)
            await broker.give_back(context.message.task_id)
            return
        except asyncio.CancelledError:
            # Shutdown ran out of patience: hand the job back at once rather than leave it to
            # the idle timeout (re-added and acknowledged in one transaction: never lost, never
            # twice).
            logger.info("returning an unfinished job to the queue", extra=log)
            broker = context.broker
            assert isinstance(broker, JobStreamBroker)
            await broker.give_back(context.message.task_id)
            raise NoResultError from None
        except Exception:
            # Failures the task expects are recorded by the task itself; this is a crash
            # (database gone...). The record's lease lapses and the recovery sweep enqueues it
            # again.
            logger.exception("%s job crashed", task, extra=log)
        await context.ack()

    job.__name__ = task
    return job


def build_broker(settings: Settings) -> JobStreamBroker:
    """Every name under `settings.redis_prefix`, so deployments (and test runs) never collide."""
    return JobStreamBroker(
        settings.redis_url,
        stream=f"{settings.redis_prefix}:jobs",
        group=f"{settings.redis_prefix}:workers",
        marker_prefix=f"{settings.redis_prefix}:queued",
        alive_prefix=f"{settings.redis_prefix}:worker",
        # A worker that stops touching its message for a lease period is presumed dead.
        idle_timeout_ms=max(1000, int(settings.job_lease_seconds * 1000)),
    )


async def queue_status(settings: Settings) -> dict[str, int]:
    """Jobs waiting and running, and workers alive (for `doctor`)."""
    broker = build_broker(settings)
    try:
        return await broker.outstanding()
    finally:
        await broker.shutdown()


class RedisJobQueue:
    """API processes enqueue jobs by task name; `layerminder worker` processes run them."""

    name = "redis"
    runs_jobs_here = False

    def __init__(self, settings: Settings) -> None:
        self.broker = build_broker(settings)
        self._bound: set[str] = set()
        self._running: set[asyncio.Task[Any]] = set()

    def bind(self, handlers: Mapping[str, JobHandler]) -> None:
        """Register the handlers a worker runs (an API process only enqueues: it needs none)."""
        for task, handler in handlers.items():
            self.broker.register_task(
                _taskiq_job(task, handler),
                task_name=TASK_PREFIX + task,
                ack_type=AcknowledgeType.MANUAL.value,
            )
            self._bound.add(task)

    async def start(self) -> None:
        # Creates the stream and the consumer group, so early jobs wait for the first worker.
        await self.broker.startup()

    async def stop(self) -> None:
        await self.broker.shutdown()

    async def enqueue(self, task: str, record_id: uuid.UUID) -> None:
        labels = {
            "ack_type": AcknowledgeType.MANUAL.value,
            "record_id": str(record_id),
            "job": f"{task}:{record_id}",
        }
        kicker: AsyncKicker[[str], None] = AsyncKicker(TASK_PREFIX + task, self.broker, labels)
        await kicker.kiq(str(record_id))

    async def check(self) -> None:
        async with Redis(connection_pool=self.broker.connection_pool) as redis:
            await redis.ping()

    async def work(
        self,
        concurrency: int,
        stop: asyncio.Event,
        *,
        shutdown_timeout: float = 25.0,
    ) -> None:
        """Run jobs until `stop` is set; then finish running jobs for up to `shutdown_timeout`
        seconds and return the rest to the queue."""
        if not self._bound:
            raise RuntimeError("bind the task handlers before running a worker")
        self.broker.is_worker_process = True
        receiver = Receiver(
            self.broker,
            max_async_tasks=concurrency,
            max_prefetch=0,
            run_startup=False,
            ack_type=AcknowledgeType.MANUAL,
            wait_tasks_timeout=shutdown_timeout,
        )
        running = self._running
        original = receiver.callback

        async def _tracked(message: bytes | AckableMessage, raise_err: bool = False) -> None:
            # Remember running jobs, so the ones still busy after the grace period can be
            # cancelled (and so returned) rather than dropped when the loop closes.
            task = asyncio.current_task()
            assert task is not None
            running.add(task)
            try:
                await original(message, raise_err)
            finally:
                running.discard(task)

        receiver.callback = _tracked  # type: ignore[method-assign]
        logger.info(
            "worker %s listening on %s with %d slots",
            self.broker.consumer_name,
            self.broker.queue_name,
            concurrency,
        )
        listening = asyncio.create_task(receiver.listen(stop), name="job-receiver")
        try:
            await _until_stopped(listening, stop, shutdown_timeout)
        finally:
            if not listening.done():
                listening.cancel()
            await self._return_running()
            await self._leave_group()

    async def _return_running(self) -> None:
        """Cancel jobs still running after the grace period; each hands its message back."""
        if not self._running:
            return
        logger.info("returning %d unfinished jobs to the queue", len(self._running))
        for task in list(self._running):
            task.cancel()
        # Bounded: a job that ignored its cancel is left to the idle timeout, not waited for.
        done, _ = await asyncio.wait(set(self._running), timeout=STOP_GRACE_SECONDS)
        for task in done:
            if not task.cancelled():
                task.exception()  # retrieved: a job's own failure was logged where it happened

    async def _leave_group(self) -> None:
        try:
            await self.broker.leave()
        except Exception:
            logger.warning("could not deregister this worker from Redis", exc_info=True)


async def _until_stopped(
    listening: asyncio.Task[None], stop: asyncio.Event, shutdown_timeout: float
) -> None:
    """Wait for the receiver: it ends by itself once `stop` is set and its running jobs end or
    `shutdown_timeout` passes, and raises if Redis fails first. Once `stop` is set the wait is
    bounded all the same: a receiver whose clean-up hangs (a test saw one outlive its cancel) is
    cancelled and left behind, so a worker always stops; what it held comes back to the queue
    after the idle timeout."""
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({listening, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not listening.done():
            await asyncio.wait({listening}, timeout=shutdown_timeout + STOP_GRACE_SECONDS)
        if not listening.done():
            logger.warning("the job receiver did not stop in time: leaving it behind")
            listening.cancel()
            await asyncio.wait({listening}, timeout=STOP_GRACE_SECONDS)
        if listening.done() and not listening.cancelled():
            listening.result()
    finally:
        stopping.cancel()
