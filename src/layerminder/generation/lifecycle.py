"""The record's lifecycle while its job runs: which stages run and what each one covers, the
state changes a stage makes, and the failure and refund rule.

The stages are `models.Stage`, in order: the one list that the record's columns, its view
(`RecordOut.stages`), the tests and, through OpenAPI, the studio read. A stage either has a
body of its own (`generation.stages`) or is written by an earlier one's (`WRITTEN_BY`).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.credits import service as credits
from layerminder.db.base import utcnow
from layerminder.db.session import unit_of_work
from layerminder.errors import LayerminderError
from layerminder.generation import previews
from layerminder.generation.errors import JobCancelled, StageFailed
from layerminder.generation.repository import JobRepository
from layerminder.models import OPEN_STATUSES, Record, Stage, StageStatus
from layerminder.providers.base import ProviderError
from layerminder.records import service as records
from layerminder.records.events import publish
from layerminder.runtime import Runtime

ERROR_LIMIT = 500

# Stages whose results come from an earlier stage's body: one story call writes the keywords.
WRITTEN_BY: dict[Stage, Stage] = {Stage.keywords: Stage.story}


def covered_by(stage: Stage) -> tuple[Stage, ...]:
    """The stages one body moves: its own, then those it writes too."""
    return (stage, *(later for later, by in WRITTEN_BY.items() if by is stage))


async def refund_due(session: AsyncSession, record: Record) -> bool:
    """The ledger's rule: a run that delivered no design gives its credit back; one that did
    keeps it, whatever fails after. The designs stored for the record are counted rather than
    read off the images stage's status, so a fault between the two never refunds a record whose
    designs the user has."""
    return not await records.designs_of(session, record.id)


async def begin_stage(runtime: Runtime, record_id: uuid.UUID, stage: Stage, **values: Any) -> None:
    """Mark `stage` (and the stages it covers) processing, the first with `values`, unless the
    owner cancelled it first (JobCancelled)."""
    for covered in covered_by(stage):
        async with unit_of_work(runtime.sessionmaker) as session:
            started = await JobRepository(session).set_stage_if(
                record_id,
                covered,
                StageStatus.processing,
                when=OPEN_STATUSES,
                **(values if covered is stage else {}),
            )
        if not started:
            raise JobCancelled
        await publish(runtime, record_id, covered)


async def finish_stage(
    session: AsyncSession, record_id: uuid.UUID, stage: Stage, **fields: Any
) -> None:
    """Mark `stage` ready with its results, in the caller's transaction; JobCancelled (which
    rolls that transaction back) if the owner cancelled the stage meanwhile."""
    finished = await JobRepository(session).set_stage_if(
        record_id,
        stage,
        StageStatus.ready,
        when=(StageStatus.processing,),
        **{stage.error_field: None},
        **fields,
    )
    if not finished:
        raise JobCancelled


async def mark_started(runtime: Runtime, record_id: uuid.UUID) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await JobRepository(session).set_times(record_id, started_at=utcnow())


async def mark_finished(runtime: Runtime, record_id: uuid.UUID) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await JobRepository(session).set_times(record_id, finished_at=utcnow())


def failure_reason(exc: BaseException) -> str:
    """The short text a failed stage shows its owner."""
    if isinstance(exc, StageFailed | ProviderError):
        text = str(exc)
    elif isinstance(exc, LayerminderError):
        # Expected failures with their own advice: an index built by another embedder or
        # precision (re-index), a CLIP model that is missing or broken.
        text = exc.message
    else:
        text = f"unexpected error ({type(exc).__name__}: {exc})"
    return text[:ERROR_LIMIT] or type(exc).__name__


async def fail_from(runtime: Runtime, record: Record, stage: Stage, reason: str) -> None:
    """Mark the failed stage (and those it covers) with `reason`, end the ones after it, and
    refund if no design was delivered.

    Stages that ended meanwhile (a cancel) keep their status; the refund is once per run."""
    order = list(Stage)
    ends: dict[Stage, tuple[StageStatus, str | None]] = {
        later: (
            StageStatus.error,
            reason if later in covered_by(stage) else f"not run: the {stage} stage failed",
        )
        for later in order[order.index(stage) :]
    }
    async with unit_of_work(runtime.sessionmaker) as session:
        # Only this run's attempt: a retry that started meanwhile keeps its fresh stages.
        ended = await JobRepository(session).end_open_stages(
            record.id, ends, attempt=record.attempt, finished_at=utcnow()
        )
        current = await records.get(session, record.id)
        if ended and current is not None:
            # Gone before the stream's `end`: the record has ended.
            await previews.discard(session, runtime.storage, current)
            if await refund_due(session, current):
                await credits.refund_generation(
                    session,
                    record.owner_id,
                    record.id,
                    runtime.settings.generation_cost,
                    note=f"refund: {reason}",
                    attempt=record.attempt,
                )
    await publish(runtime, record.id, "state")
