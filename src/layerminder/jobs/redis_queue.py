"""The Redis-backed job queue: a Redis stream and consumer group, drained by `layerminder worker`.

We own the consumer (redis-py's asyncio client, no task framework): every step that matters for
long, idempotent jobs — one message per free slot, reclaiming a dead worker's messages, touching
running ones, one outstanding message per record, handing a job back on shutdown — is a Redis
command here rather than an override of a library's internals.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

from layerminder.config import Settings
from layerminder.jobs.queue import JobHandler, RunAgain

logger = logging.getLogger(__name__)

# A task's name on the stream: `layerminder.<task>`, e.g. `layerminder.generate_designs`.
TASK_PREFIX = "layerminder."
# How long one XREADGROUP waits; also how often an idle worker looks for abandoned messages.
READ_BLOCK_MS = 1000
# How long stopping waits, past the shutdown timeout, for a step that should end at once.
STOP_GRACE_SECONDS = 5.0
# How long enqueueing tries a Redis that does not answer before leaving the job to a sweep.
ENQUEUE_RETRY_SECONDS = 5.0
# Waiting for Redis to come back: the first retry soon, then no more often than this.
RECONNECT_MAX_SECONDS = 5.0
# Redis unreachable, or gone mid-command: the worker waits for it rather than exiting.
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)
# taskiq's label type for a string: messages keep the envelope taskiq-redis wrote, so processes
# from before and after the switch read each other's messages during a rolling upgrade.
_STR_LABEL = 3

# Enqueue a job (task + record id) only if the same one is not waiting or running: KEYS = stream,
# the job's marker; ARGV = message, job key, marker lifetime (s). The marker goes when the job is
# acknowledged.
_ENQUEUE_ONCE = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then
  return redis.call('XADD', KEYS[1], '*', 'data', ARGV[1], 'job', ARGV[2])
end
return false
"""

# Put a held message back at the end of the stream (its marker stays): KEYS = stream; ARGV =
# group, message id, then the fields. Only if the message is still pending: one acknowledged
# meanwhile (finished, here or by a worker that reclaimed it) is not brought back to life.
_GIVE_BACK = """
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('XDEL', KEYS[1], ARGV[2])
  return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
end
return false
"""


@dataclass(frozen=True)
class Delivery:
    """One message this worker holds: pending under its name until acknowledged or given back."""

    message_id: bytes
    fields: dict[bytes, bytes]

    @property
    def job(self) -> bytes | None:
        return self.fields.get(b"job")

    def job_call(self) -> tuple[str, uuid.UUID]:
        """(task, record id); raises on a message this code cannot read."""
        body = json.loads(self.fields[b"data"])
        return body["task_name"].removeprefix(TASK_PREFIX), uuid.UUID(body["args"][0])


class JobStream:
    """The stream `<prefix>:jobs`, read by the consumer group `<prefix>:workers`.

    - one message per read, so a worker only takes what it can run now (fair sharing; a killed
      worker strands at most its own running jobs, not a prefetched batch);
    - every worker beats (`<prefix>:worker:<consumer>`, a key that lapses after three missed
      beats); before every read, the messages of a consumer with no beat are taken over at once
      (XCLAIM), so a killed worker's jobs resume within seconds of another worker running;
    - messages being worked on are touched (XCLAIM JUSTID) with every beat so their idle time
      stays low; one idle for a whole lease is reclaimed too (XAUTOCLAIM), whatever its owner's
      beat says (a worker that lost its way);
    - one outstanding message per job (task + record): the recovery sweep sees a record waiting
      in a long queue as "untouched" and enqueues it again; a marker key turns that into a no-op;
    - an acknowledged message is also deleted, so the stream holds only outstanding work.
    """

    def __init__(self, settings: Settings) -> None:
        # Every name under `settings.redis_prefix`, so deployments (and test runs) never collide.
        prefix = settings.redis_prefix
        self.name = f"{prefix}:jobs"
        self.group = f"{prefix}:workers"
        self.marker_prefix = f"{prefix}:queued"
        self.alive_prefix = f"{prefix}:worker"
        self.consumer = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        # A worker that stops touching its message for a lease period is presumed dead.
        self.idle_timeout_ms = max(1000, int(settings.job_lease_seconds * 1000))
        # A worker beats this often; one silent for three beats is presumed dead.
        self.beat_seconds = settings.job_beat_seconds
        # A marker outlives any sane wait in the queue, yet expires if Redis lost the message
        # some other way (an operator deleting the stream), so a record is never blocked for good.
        self.marker_seconds = max(3600, self.idle_timeout_ms // 100)
        self.redis: Redis = Redis.from_url(settings.redis_url)
        self._enqueue_once = self.redis.register_script(_ENQUEUE_ONCE)
        self._give_back = self.redis.register_script(_GIVE_BACK)
        self._cursor: bytes | str = "0-0"
        self.held: dict[bytes, Delivery] = {}

    def _marker(self, job: bytes | str) -> str:
        return f"{self.marker_prefix}:{job.decode() if isinstance(job, bytes) else job}"

    @property
    def _alive_key(self) -> str:
        return f"{self.alive_prefix}:{self.consumer}"

    async def declare(self) -> None:
        """Create the stream and the group, so early jobs wait for the first worker."""
        try:
            # From the beginning: jobs enqueued before any worker ran count.
            await self.redis.xgroup_create(self.name, self.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def close(self) -> None:
        await self.redis.aclose()

    async def add_once(self, task: str, record_id: uuid.UUID) -> bool:
        """Add the job unless the same one is waiting or running; whether it was added."""
        job = f"{task}:{record_id}"
        labels = {"ack_type": "manual", "record_id": str(record_id), "job": job}
        body = {
            "task_id": uuid.uuid4().hex,
            "task_name": TASK_PREFIX + task,
            "labels": labels,
            "labels_types": dict.fromkeys(labels, _STR_LABEL),
            "args": [str(record_id)],
            "kwargs": {},
        }
        added = await self._enqueue_once(
            keys=[self.name, self._marker(job)], args=[json.dumps(body), job, self.marker_seconds]
        )
        return bool(added)

    async def take(self) -> Delivery | None:
        """The next message for this worker: an abandoned one first, else a new one (waiting up
        to READ_BLOCK_MS); None when there is none."""
        entries = await self._take_from_the_silent()
        if not entries:
            claimed = await self.redis.xautoclaim(
                self.name,
                self.group,
                self.consumer,
                min_idle_time=self.idle_timeout_ms,
                start_id=self._cursor,
                count=1,
            )
            self._cursor, entries = claimed[0], claimed[1]
            if entries:
                logger.info("taking over a job message left idle for a whole lease")
        if not entries:
            fetched = await self.redis.xreadgroup(
                self.group, self.consumer, {self.name: ">"}, count=1, block=READ_BLOCK_MS
            )
            entries = _entries(fetched)
        for message_id, fields in entries:
            if not fields or b"data" not in fields:
                # Trimmed or malformed: nothing to run, so do not leave it pending.
                await self.redis.xack(self.name, self.group, message_id)
                continue
            delivery = Delivery(message_id, dict(fields))
            self.held[message_id] = delivery
            return delivery
        return None

    async def _take_from_the_silent(self) -> list[Any]:
        """One message held by a consumer whose beat has lapsed (its worker killed or gone):
        taken over now rather than after the idle timeout."""
        summary = await self.redis.xpending(self.name, self.group)
        for holder in summary.get("consumers") or ():
            name = holder["name"].decode() if isinstance(holder["name"], bytes) else holder["name"]
            if name == self.consumer or not int(holder["pending"]):
                continue
            if await self.redis.exists(f"{self.alive_prefix}:{name}"):
                continue
            pending = await self.redis.xpending_range(
                self.name, self.group, min="-", max="+", count=1, consumername=name
            )
            if not pending:
                continue
            # min_idle_time: not a message its owner touched a beat ago (a race with a worker
            # that came back); XCLAIM returns nothing when someone else took it first.
            claimed = await self.redis.xclaim(
                self.name,
                self.group,
                self.consumer,
                min_idle_time=int(self.beat_seconds * 1000),
                message_ids=[pending[0]["message_id"]],
            )
            if claimed:
                logger.info("taking over a job message of worker %s, which stopped beating", name)
                return list(claimed)
        return []

    def reset(self) -> None:
        """Start reclaiming from the beginning of a stream made anew. Messages still held finish
        their jobs; their acknowledgements find nothing to remove."""
        self._cursor = "0-0"

    async def ack(self, delivery: Delivery) -> None:
        """Done with it: acknowledged, deleted and its marker removed, in one transaction."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(self.name, self.group, delivery.message_id)
            pipe.xdel(self.name, delivery.message_id)
            if delivery.job is not None:
                pipe.delete(self._marker(delivery.job))
            await pipe.execute()
        self.held.pop(delivery.message_id, None)

    async def give_back(self, delivery: Delivery) -> None:
        """Back at the end of the queue in one step: never lost, never twice."""
        flat = [part for pair in delivery.fields.items() for part in pair]
        await self._give_back(keys=[self.name], args=[self.group, delivery.message_id, *flat])
        self.held.pop(delivery.message_id, None)

    async def beat(self) -> None:
        """This worker is alive (for other workers and `doctor`), and its held messages fresh."""
        await self.redis.set(self._alive_key, b"1", px=int(self.beat_seconds * 3000))
        if self.held:
            await self.redis.xclaim(
                self.name,
                self.group,
                self.consumer,
                min_idle_time=0,
                message_ids=list(self.held),
                justid=True,
            )

    async def outstanding(self) -> dict[str, int]:
        """Messages waiting and being worked on, and workers alive (for `doctor`)."""
        length = await self.redis.xlen(self.name)
        try:
            summary = await self.redis.xpending(self.name, self.group)
            running = int(summary["pending"])
        except ResponseError:  # no group yet: nothing has started
            running = 0
        workers = [key async for key in self.redis.scan_iter(match=f"{self.alive_prefix}:*")]
        return {"queued": length - running, "running": running, "workers": len(workers)}

    async def leave(self) -> None:
        """A graceful goodbye: no longer counted as alive; forgotten if it holds nothing."""
        await self.redis.delete(self._alive_key)
        pending = await self.redis.xpending_range(
            self.name, self.group, min="-", max="+", count=1, consumername=self.consumer
        )
        if not pending:
            await self.redis.xgroup_delconsumer(self.name, self.group, self.consumer)


def _entries(fetched: Any) -> list[Any]:
    """The (id, fields) entries of a one-stream XREADGROUP reply (RESP2: [[stream, entries]])."""
    return list(fetched[0][1]) if fetched else []


async def queue_status(settings: Settings) -> dict[str, int]:
    """Jobs waiting and running, and workers alive (for `doctor`)."""
    stream = JobStream(settings)
    try:
        return await stream.outstanding()
    finally:
        await stream.close()


class RedisJobQueue:
    """API processes enqueue jobs by task name; `layerminder worker` processes run them."""

    name = "redis"
    runs_jobs_here = False

    def __init__(self, settings: Settings) -> None:
        self.stream = JobStream(settings)
        self._handlers: dict[str, JobHandler] = {}
        self._running: set[asyncio.Task[None]] = set()

    def bind(self, handlers: Mapping[str, JobHandler]) -> None:
        """Register the handlers a worker runs (an API process only enqueues: it needs none)."""
        self._handlers.update(handlers)

    async def start(self) -> None:
        await self.stream.declare()

    async def stop(self) -> None:
        await self.stream.close()

    async def enqueue(self, task: str, record_id: uuid.UUID) -> None:
        """Add the job; Redis unreachable (restarting, a connection it closed) is tried again
        for a few seconds, then left to the recovery sweeps, which enqueue every unfinished
        record and due delivery nobody holds: work its caller has committed never fails (a
        500 after the debit) because the queue blinked."""
        log = {"record_id": str(record_id), "task": TASK_PREFIX + task}
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(REDIS_DOWN),
                wait=wait_exponential(multiplier=0.1, max=1.0),
                stop=stop_after_delay(ENQUEUE_RETRY_SECONDS),
                reraise=True,
            ):
                with attempt:
                    added = await self.stream.add_once(task, record_id)
        except REDIS_DOWN as exc:
            logger.warning("could not enqueue (%s): the recovery sweep will", exc, extra=log)
            return
        if not added:
            logger.debug("job already queued or running", extra=log)

    async def check(self) -> None:
        await self.stream.redis.ping()

    async def work(
        self,
        concurrency: int,
        stop: asyncio.Event,
        *,
        shutdown_timeout: float = 25.0,
        on_queue_lost: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        """Run jobs until `stop` is set; then finish running jobs for up to `shutdown_timeout`
        seconds and return the rest to the queue.

        Redis going away never stops the worker: it waits for Redis with backoff, running jobs
        carry on (their state is in the database), and when Redis comes back without the queue
        (restarted without persistence) the group is made again and `on_queue_lost` runs (the
        worker re-enqueues every unfinished record nobody holds)."""
        if not self._handlers:
            raise RuntimeError("bind the task handlers before running a worker")
        # Counted as alive before saying so: whoever waits for "listening on" may ask `doctor`.
        await self.stream.beat()
        toucher = asyncio.create_task(self._keep_beating(), name="worker-beat")
        stopping = asyncio.create_task(stop.wait())
        running = self._running
        logger.info(
            "worker %s listening on %s with %d slots",
            self.stream.consumer,
            self.stream.name,
            concurrency,
        )
        try:
            while not stop.is_set():
                if len(running) >= concurrency:
                    # Read only for a free slot: a message taken is a message held.
                    await asyncio.wait({*running, stopping}, return_when=asyncio.FIRST_COMPLETED)
                    continue
                try:
                    delivery = await self._take()
                except REDIS_DOWN as exc:
                    await self._wait_for_redis(exc, stop)
                    continue
                except ResponseError as exc:
                    if "NOGROUP" not in str(exc):
                        raise
                    await self._queue_lost(on_queue_lost)
                    continue
                if delivery is None:
                    continue
                if stop.is_set():
                    # Read as the stop came: not ours to start any more.
                    await self.stream.give_back(delivery)
                    break
                job = asyncio.create_task(self._run(delivery))
                running.add(job)
                job.add_done_callback(self._finished)
            if running:
                await asyncio.wait(set(running), timeout=shutdown_timeout)
        finally:
            stopping.cancel()
            await self._return_running()
            toucher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await toucher
            await self._leave_group()

    async def _take(self) -> Delivery | None:
        """One read, bounded: a stalled Redis must not keep a stopping worker for ever. A read
        cut short may leave a message pending under this worker; another reclaims it after the
        idle timeout."""
        try:
            return await asyncio.wait_for(
                self.stream.take(), READ_BLOCK_MS / 1000 + STOP_GRACE_SECONDS
            )
        except TimeoutError:
            logger.warning("reading the job stream took too long: trying again")
            return None

    async def _wait_for_redis(self, exc: BaseException, stop: asyncio.Event) -> None:
        """Until Redis answers again (or the worker is told to stop), with backoff."""
        logger.warning("Redis is unreachable (%s): waiting for it; running jobs carry on", exc)
        delay = 0.2
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            try:
                await self.stream.redis.ping()
            except REDIS_DOWN:
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)
                continue
            logger.info("Redis is back")
            return

    async def _queue_lost(self, on_queue_lost: Callable[[], Awaitable[object]] | None) -> None:
        """The stream or its group is gone (Redis restarted empty): make them again, then let
        the owner of the records put back what the queue lost."""
        logger.warning("the job queue is gone from Redis (restarted without its data?): rebuilding")
        await self.stream.declare()
        self.stream.reset()
        if on_queue_lost is not None:
            try:
                await on_queue_lost()
            except Exception:
                logger.exception("could not re-enqueue the records the queue lost")

    async def _keep_beating(self) -> None:
        while True:
            await asyncio.sleep(self.stream.beat_seconds)
            try:
                await self.stream.beat()
            except Exception:
                logger.warning("could not beat (Redis unreachable?)", exc_info=True)

    async def _run(self, delivery: Delivery) -> None:
        """The worker side of `enqueue(task, …)`: the same handler as the in-process queue runs."""
        try:
            task, record_id = delivery.job_call()
            handler = self._handlers[task]
        except Exception:
            # Another version's task, or not a job message: it would fail on every worker.
            logger.warning("dropping a job message no handler can run", exc_info=True)
            await self.stream.ack(delivery)
            return
        log = {"record_id": str(record_id), "task": task}
        try:
            try:
                await handler(record_id)
            except RunAgain:
                # Back at the end of the queue under the same marker: a retry enqueued while this
                # job ran found the marker set, so this message is the only one for the record.
                logger.info("running a job again", extra=log)
                await self.stream.give_back(delivery)
                return
            except Exception:
                # Failures the task expects are recorded by the task itself; this is a crash
                # (database gone...). The record's lease lapses and the recovery sweep enqueues
                # it again.
                logger.exception("%s job crashed", task, extra=log)
            await self.stream.ack(delivery)
        except asyncio.CancelledError:
            # Shutdown ran out of patience: hand the job back at once rather than leave it to
            # the idle timeout (a no-op if the acknowledgement already went through).
            logger.info("returning an unfinished job to the queue", extra=log)
            await self.stream.give_back(delivery)
            raise

    def _finished(self, job: asyncio.Task[None]) -> None:
        self._running.discard(job)
        # A job's own failure was logged where it happened; what is left is Redis failing.
        if not job.cancelled() and job.exception() is not None:
            logger.warning(
                "could not settle a job message: it returns after the idle timeout",
                exc_info=job.exception(),
            )

    async def _return_running(self) -> None:
        """Cancel jobs still running after the grace period; each hands its message back."""
        if not self._running:
            return
        logger.info("returning %d unfinished jobs to the queue", len(self._running))
        for task in list(self._running):
            task.cancel()
        # Bounded: a job that ignored its cancel is left to the idle timeout, not waited for.
        await asyncio.wait(set(self._running), timeout=STOP_GRACE_SECONDS)

    async def _leave_group(self) -> None:
        try:
            await self.stream.leave()
        except Exception:
            logger.warning("could not deregister this worker from Redis", exc_info=True)
