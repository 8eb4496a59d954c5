"""SQL for the generation side of a record: starting it, its stage transitions, leases, the
queue's bookkeeping, and what a stage delivers (designs, recommendations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import (
    OPEN_STATUSES,
    Record,
    RecordImage,
    RecordRecommendation,
    Stage,
    StageStatus,
)
from layerminder.records.search import SEARCHABLE, full_text


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, record: Record) -> Record:
        self.session.add(record)
        await self.session.flush()
        return record

    async def by_idempotency_key(self, owner_id: uuid.UUID, key: str) -> Record | None:
        return await self.session.scalar(
            select(Record).where(Record.owner_id == owner_id, Record.idempotency_key == key)
        )

    async def set_stage_if(
        self,
        record_id: uuid.UUID,
        stage: Stage,
        status: StageStatus,
        *,
        when: Sequence[StageStatus],
        **values: Any,
    ) -> bool:
        """Move `stage` to `status` (with `values`) only while it is in one of `when`.

        The pipeline's writes go through here, so a stage the owner cancelled meanwhile stays
        cancelled: the database, not a check-then-write, decides which of the two came first."""
        column = getattr(Record, stage.status_field)
        result = await self.session.execute(
            update(Record)
            .where(Record.id == record_id, column.in_(list(when)))
            .values(**{stage.status_field: status}, **values, version=Record.version + 1)
            .returning(Record.id)
        )
        applied = result.scalar_one_or_none() is not None
        if applied and SEARCHABLE & values.keys():
            await full_text(self.session).refresh(self.session, record_id)
        return applied

    async def set_design_slots(self, record_id: uuid.UUID, slots: list[dict[str, Any]]) -> bool:
        """Write the designs' progress while the images stage is processing (False otherwise:
        the owner cancelled it, and a cancelled stage shows no more progress)."""
        result = await self.session.execute(
            update(Record)
            .where(Record.id == record_id, Record.image_status == StageStatus.processing)
            .values(design_slots=slots, version=Record.version + 1)
            .returning(Record.id)
        )
        return result.scalar_one_or_none() is not None

    async def end_open_stages(
        self,
        record_id: uuid.UUID,
        ends: dict[Stage, tuple[StageStatus, str | None]],
        *,
        attempt: int | None = None,
        **values: Any,
    ) -> bool:
        """End the listed stages that are still pending or processing, in one statement;
        stages that already ended keep their status. False if none was open, or if `attempt`
        is given and the record has moved on to another (a retry that must not inherit this
        run's failure)."""
        sets: dict[str, Any] = {}
        for stage, (status, error) in ends.items():
            column = getattr(Record, stage.status_field)
            still_open = column.in_(OPEN_STATUSES)
            sets[stage.status_field] = case((still_open, status), else_=column)
            sets[stage.error_field] = case(
                (still_open, error), else_=getattr(Record, stage.error_field)
            )
        conditions = [
            Record.id == record_id,
            or_(*(getattr(Record, s.status_field).in_(OPEN_STATUSES) for s in ends)),
        ]
        if attempt is not None:
            conditions.append(Record.attempt == attempt)
        result = await self.session.execute(
            update(Record)
            .where(*conditions)
            .values(**sets, **values, version=Record.version + 1)
            .returning(Record.id)
        )
        return result.scalar_one_or_none() is not None

    async def restart(self, record: Record, *, retry_key: str | None, queued_at: datetime) -> bool:
        """Put the stages that failed or were cancelled back to pending for the next attempt.

        Only from the attempt the caller read: of two concurrent retries one restarts the
        record and the other finds the attempt moved on (False)."""
        rerun = (StageStatus.error, StageStatus.cancelled)
        sets: dict[str, Any] = {}
        for stage in Stage:
            column = getattr(Record, stage.status_field)
            again = column.in_(rerun)
            sets[stage.status_field] = case((again, StageStatus.pending), else_=column)
            sets[stage.error_field] = case((again, None), else_=getattr(Record, stage.error_field))
        result = await self.session.execute(
            update(Record)
            .where(
                Record.id == record.id,
                Record.attempt == record.attempt,
                or_(*(getattr(Record, f).in_(rerun) for f in Record.STAGE_FIELDS)),
                *(getattr(Record, f).not_in(OPEN_STATUSES) for f in Record.STAGE_FIELDS),
            )
            .values(
                **sets,
                attempt=Record.attempt + 1,
                retry_key=retry_key,
                queued_at=queued_at,
                started_at=None,
                finished_at=None,
                version=Record.version + 1,
            )
            .returning(Record.id)
        )
        return result.scalar_one_or_none() is not None

    async def set_times(self, record_id: uuid.UUID, **times: datetime | None) -> None:
        """Bookkeeping (queued/started/finished at) that no client event needs: no version bump."""
        await self.session.execute(update(Record).where(Record.id == record_id).values(**times))

    async def claim(self, record_id: uuid.UUID, owner: str, now: datetime, until: datetime) -> bool:
        """Take the record's lease if it is free or expired (one job per record at a time)."""
        result = await self.session.execute(
            update(Record)
            .where(
                Record.id == record_id,
                or_(
                    Record.lease_owner.is_(None),
                    Record.lease_owner == owner,
                    Record.lease_expires_at < now,
                ),
            )
            # Bookkeeping, not a change of the record: its update time (part of the stamp its
            # cached view is keyed by) stays, or every renewal would rebuild a live view.
            .values(lease_owner=owner, lease_expires_at=until, updated_at=Record.updated_at)
            .returning(Record.id)
        )
        return result.scalar_one_or_none() is not None

    async def lease(self, record_id: uuid.UUID) -> tuple[str, datetime] | None:
        """Who holds the record and until when; None when nobody does."""
        row = (
            await self.session.execute(
                select(Record.lease_owner, Record.lease_expires_at).where(Record.id == record_id)
            )
        ).one_or_none()
        if row is None or row.lease_owner is None or row.lease_expires_at is None:
            return None
        return row.lease_owner, row.lease_expires_at

    async def take_over(
        self, record_id: uuid.UUID, owner: str, seen: tuple[str, datetime], until: datetime
    ) -> bool:
        """Take the lease from the holder seen, only if it has not renewed since (a renewal
        moves the expiry): a holder that is alive after all keeps its record."""
        seen_owner, seen_expiry = seen
        result = await self.session.execute(
            update(Record)
            .where(
                Record.id == record_id,
                Record.lease_owner == seen_owner,
                Record.lease_expires_at == seen_expiry,
            )
            .values(lease_owner=owner, lease_expires_at=until, updated_at=Record.updated_at)
            .returning(Record.id)
        )
        return result.scalar_one_or_none() is not None

    async def release(self, record_id: uuid.UUID, owner: str) -> None:
        await self.session.execute(
            update(Record)
            .where(Record.id == record_id, Record.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None)
        )

    async def unfinished(
        self, now: datetime, stale_before: datetime, limit: int = 500
    ) -> list[uuid.UUID]:
        """Records with a stage not yet ended whose job is gone: an expired lease, or never
        claimed and untouched since `stale_before` (a queued job normally claims it sooner)."""
        rows = await self.session.scalars(
            select(Record.id)
            .where(
                or_(*(getattr(Record, f).in_(OPEN_STATUSES) for f in Record.STAGE_FIELDS)),
                or_(
                    and_(Record.lease_owner.is_(None), Record.updated_at < stale_before),
                    Record.lease_expires_at < now,
                ),
            )
            .order_by(Record.created_at)
            .limit(limit)
        )
        return list(rows)

    async def add_designs(self, record_id: uuid.UUID, image_ids: Sequence[uuid.UUID]) -> None:
        for position, image_id in enumerate(image_ids):
            self.session.add(RecordImage(record_id=record_id, position=position, image_id=image_id))
        await self.session.flush()

    async def replace_recommendations(
        self, record_id: uuid.UUID, hits: Sequence[tuple[uuid.UUID, float]]
    ) -> None:
        existing = await self.session.scalars(
            select(RecordRecommendation).where(RecordRecommendation.record_id == record_id)
        )
        for row in existing:
            await self.session.delete(row)
        await self.session.flush()
        for rank, (reference_id, score) in enumerate(hits, start=1):
            self.session.add(
                RecordRecommendation(
                    record_id=record_id, rank=rank, reference_id=reference_id, score=score
                )
            )
        await self.session.flush()
