"""The generation job: a record id in, its stages run in order (`generation.stages`), under a
lease that keeps two jobs off one record and a watch that stops the work on a cancel.

Safe to run twice: a stage that is already `ready` is skipped, designs have deterministic ids
and storage keys, the refund has an idempotency key, and the lease is claimed first. What each
stage does is in its module; what a state change or a failure means is in `lifecycle`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

from layerminder.db.base import utcnow
from layerminder.db.session import connection_lost, reading, unit_of_work
from layerminder.generation import lifecycle, previews
from layerminder.generation.errors import JobCancelled, LeaseLost
from layerminder.generation.repository import JobRepository
from layerminder.generation.stages import PIPELINE
from layerminder.jobs.queue import RunAgain
from layerminder.models import Record, StageStatus
from layerminder.records import service as records
from layerminder.runtime import Runtime
from layerminder.webhooks import service as webhooks

logger = logging.getLogger(__name__)

# The queue's name for this job (`runtime.queue.enqueue(GENERATE_DESIGNS, record_id)`).
GENERATE_DESIGNS = "generate_designs"


async def _current(runtime: Runtime, record_id: uuid.UUID) -> Record | None:
    # The job's reads use reading sessions: on SQLite a plain session's first query takes the
    # one write lock (BEGIN IMMEDIATE), and the cancel poll runs twice a second per running job.
    async with reading(runtime.sessionmaker) as session:
        return await records.get(session, record_id)


async def _stopped(runtime: Runtime, record: Record, owner: str) -> bool:
    """Cancelled, gone, or retried: a cancel followed at once by a retry puts the stages back
    to pending under a new attempt before this job may have seen them cancelled. Raises
    LeaseLost when another job holds the record now."""
    current = await _current(runtime, record.id)
    if current is not None and current.lease_owner not in (owner, None):
        raise LeaseLost
    return current is None or current.cancelled or current.attempt != record.attempt


async def _superseded(runtime: Runtime, record: Record) -> bool:
    """A newer attempt (a retry) of the record is waiting to run."""
    current = await _current(runtime, record.id)
    return current is not None and current.attempt != record.attempt and not current.done


async def until_cancelled(
    runtime: Runtime, record: Record, work: Awaitable[None], owner: str
) -> None:
    """Run `work`, looking for a cancel every `job_cancel_poll_seconds` (the cancel is in the
    database, so any API replica can make it); on one the work's task is cancelled, which
    abandons a provider request in flight, and JobCancelled is raised. A retry that took the
    record over from this run stops it the same way, and so does another job holding the
    lease now (LeaseLost)."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=runtime.settings.job_cancel_poll_seconds)
            if done:
                return task.result()
            if await _stopped(runtime, record, owner):
                raise JobCancelled
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


@contextlib.asynccontextmanager
async def hold_lease(
    runtime: Runtime, record_id: uuid.UUID, owner: str
) -> AsyncIterator[str | None]:
    """Claim the record for this job (`owner`) and keep renewing it; yields the owner, or
    None if another job has it."""
    seconds = runtime.settings.job_lease_seconds

    async def _claim() -> bool:
        now = utcnow()
        async with unit_of_work(runtime.sessionmaker) as session:
            return await JobRepository(session).claim(
                record_id, owner, now, now + timedelta(seconds=seconds)
            )

    if not await _claim() and not await _claim_from_the_dead(runtime, record_id, owner, _claim):
        yield None
        return

    async def _renew() -> None:
        while True:
            await asyncio.sleep(runtime.settings.job_beat_seconds)
            try:
                if not await _claim():
                    # The job's cancel watch sees the new holder and stops the work.
                    logger.warning("lost the record's lease", extra={"record_id": str(record_id)})
            except Exception:
                # A missed renewal is retried next time; the record is only taken over from
                # a holder that missed three.
                logger.warning("could not renew the lease", exc_info=True)

    renewer = asyncio.create_task(_renew())
    try:
        yield owner
    finally:
        renewer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewer
        with contextlib.suppress(Exception):
            async with unit_of_work(runtime.sessionmaker) as session:
                await JobRepository(session).release(record_id, owner)


async def _claim_from_the_dead(
    runtime: Runtime, record_id: uuid.UUID, owner: str, claim: Callable[[], Awaitable[bool]]
) -> bool:
    """Take the record over if its holder has stopped renewing its lease: silent for three
    renewals, it is presumed dead (its worker killed; its queue message just taken over by
    this worker), so the job starts now, not at a recovery sweep after the whole lease.

    A holder that renewed within the last renewal and a half is alive: the record is left to
    it at once. One that missed a renewal is given the rest of the three and looked at again;
    the take-over only succeeds if the lease is still the one seen (a holder that renewed
    meanwhile keeps its record)."""
    seconds = runtime.settings.job_lease_seconds
    every = runtime.settings.job_beat_seconds
    for _ in range(3):  # a holder renewing late but renewing: left to it after a few looks
        async with reading(runtime.sessionmaker) as session:
            seen = await JobRepository(session).lease(record_id)
        now = utcnow()
        until = now + timedelta(seconds=seconds)
        if seen is None:  # released just now
            return await claim()
        silent = (now - (seen[1] - timedelta(seconds=seconds))).total_seconds()
        if silent < 1.5 * every:
            return False
        if silent >= 3 * every:
            logger.info(
                "the record's holder has not renewed its lease for %.1f s: taking over",
                silent,
                extra={"record_id": str(record_id)},
            )
            async with unit_of_work(runtime.sessionmaker) as session:
                return await JobRepository(session).take_over(record_id, owner, seen, until)
        await asyncio.sleep(3 * every - silent + 0.1)
    return False


async def run_generation(runtime: Runtime, record_id: uuid.UUID) -> None:
    """Run the record's stages. A lost database (a restart, a failover) is waited out with
    backoff for up to `database_retry_seconds`: the run starts again where it was, under the
    same lease owner (the stages that are ready are skipped), instead of failing the record
    or leaving it to a recovery sweep after the lease."""
    owner = f"{os.getpid()}:{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + runtime.settings.database_retry_seconds
    delay = 0.5
    while True:
        try:
            return await _run(runtime, record_id, owner)
        except Exception as exc:
            if not connection_lost(exc) or time.monotonic() + delay > deadline:
                raise
            logger.warning(
                "the database is unreachable (%s): going on in %.1f s",
                type(exc).__name__,
                delay,
                extra={"record_id": str(record_id)},
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, 5.0)


async def _run(runtime: Runtime, record_id: uuid.UUID, owner: str) -> None:
    log = {"record_id": str(record_id)}
    async with hold_lease(runtime, record_id, owner) as held:
        if held is None:
            logger.info("record is held by another job; leaving it", extra=log)
            return
        async with reading(runtime.sessionmaker) as session:
            record = await records.get(session, record_id)
        if record is None:
            logger.warning("generation job for a record that does not exist", extra=log)
            return
        if record.done:
            # Cancelled while it waited (or a duplicate message for a finished run): not run.
            logger.info("record already ended; nothing to run", extra=log)
            return
        await lifecycle.mark_started(runtime, record_id)
        try:
            completed = await _run_stages(runtime, record, owner)
        except LeaseLost:
            logger.warning("another job took the record over; this one stops", extra=log)
            return
        except JobCancelled:
            superseded = await _superseded(runtime, record)
            if not superseded:
                logger.info("generation cancelled by its owner", extra=log)
                return
            completed = False
        else:
            superseded = False
        finally:
            await _discard_previews(runtime, record_id)
    if superseded:
        # The retry's own job found this one holding the record (its queue message absorbed by
        # this one's, or its lease claim refused): once the lease is released above, the queue
        # runs this job again, for the new attempt.
        logger.info("generation cancelled and retried; running the retry", extra=log)
        raise RunAgain
    logger.info("generation finished" if completed else "generation ended with an error", extra=log)
    await _notify_ended(runtime, record_id)


async def _discard_previews(runtime: Runtime, record_id: uuid.UUID) -> None:
    """The job's last word on previews: whatever is left once the record has ended goes (the
    stage or the cancel normally took them already). An unfinished record keeps them for the
    job that picks it up again."""
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            record = await records.get(session, record_id)
            if record is not None and record.done:
                await previews.discard(session, runtime.storage, record)
    except Exception:
        logger.warning(
            "could not discard previews", exc_info=True, extra={"record_id": str(record_id)}
        )


async def _notify_ended(runtime: Runtime, record_id: uuid.UUID) -> None:
    # Webhooks only queue rows and jobs here; a failure to do so must not fail the record.
    try:
        await webhooks.record_ended(runtime, record_id)
    except Exception:
        logger.exception("could not queue webhook deliveries", extra={"record_id": str(record_id)})


async def _run_stages(runtime: Runtime, record: Record, owner: str) -> bool:
    """Run the stages that are not ready yet; False if one failed (the rest were ended)."""
    for work in PIPELINE:
        status = getattr(record, work.stage.status_field)
        if status == StageStatus.ready:
            continue
        if status in (StageStatus.error, StageStatus.cancelled):
            break
        await lifecycle.begin_stage(runtime, record.id, work.stage, **work.on_start())
        try:
            await until_cancelled(runtime, record, work.run(runtime, record), owner)
        except JobCancelled:
            raise
        except Exception as exc:
            if connection_lost(exc):
                raise  # not the stage's failure: the run goes on once the database is back
            reason = lifecycle.failure_reason(exc)
            logger.warning(
                "stage %s failed: %s",
                work.stage,
                reason,
                extra={"record_id": str(record.id), "stage": work.stage},
            )
            await lifecycle.fail_from(runtime, record, work.stage, reason)
            return False
    await lifecycle.mark_finished(runtime, record.id)
    return True


async def recover_unfinished(runtime: Runtime, *, at_startup: bool = False) -> int:
    """Hand records left unfinished by a dead process back to the queue.

    At start-up every unclaimed record is orphaned (this process's in-process queue is empty);
    later sweeps only take records untouched for a whole lease period.
    """
    now = utcnow()
    stale_before = (
        now if at_startup else now - timedelta(seconds=runtime.settings.job_lease_seconds)
    )
    async with reading(runtime.sessionmaker) as session:
        record_ids = await JobRepository(session).unfinished(now, stale_before)
    for record_id in record_ids:
        await runtime.queue.enqueue(GENERATE_DESIGNS, record_id)
    if record_ids:
        logger.info("re-queued %d unfinished records", len(record_ids))
    return len(record_ids)
