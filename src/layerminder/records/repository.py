"""SQL for records, their designs and recommendations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import BindParameter

from layerminder.models import (
    OPEN_STATUSES,
    DesignVector,
    Image,
    Record,
    RecordImage,
    RecordRecommendation,
    Reference,
    Stage,
    StageStatus,
)
from layerminder.records.search import SEARCHABLE, full_text

# The record views' statements, built once: building a statement (SQLAlchemy's coercions and
# cache key) cost more CPU than running it on every GET of a record or a history page.
_RECORD_IDS: BindParameter[uuid.UUID] = bindparam("record_ids", expanding=True)
_ROOM_ID: BindParameter[uuid.UUID] = bindparam("room_id")
_ROOM_COUNT = select(func.count()).select_from(Record).where(Record.room_id == _ROOM_ID)


def _room_page(*columns: Any) -> Select[Any]:
    """A page of a room's records, newest first (`room_id`, `limit`, `offset` bound)."""
    return (
        select(*columns)
        .where(Record.room_id == _ROOM_ID)
        .order_by(Record.created_at.desc(), Record.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


_ROOM_PAGE = _room_page(Record)
_ROOM_PAGE_STAMPS = _room_page(Record.id, Record.version, Record.updated_at)
_BY_IDS = select(Record).where(Record.id.in_(_RECORD_IDS)).execution_options(populate_existing=True)
_DESIGN_SIZES = (
    select(RecordImage.record_id, Image.id, Image.width, Image.height)
    .join(Image, Image.id == RecordImage.image_id)
    .where(RecordImage.record_id.in_(_RECORD_IDS))
    .order_by(RecordImage.record_id, RecordImage.position)
)
_RECOMMENDATIONS = (
    select(
        RecordRecommendation.record_id,
        RecordRecommendation.rank,
        RecordRecommendation.score,
        Reference.id,
        Reference.image_id,
        Reference.title,
        Reference.title_ko,
        Reference.source,
        Reference.tags,
    )
    .join(Reference, Reference.id == RecordRecommendation.reference_id)
    .join(Image, Image.id == Reference.image_id)
    .where(RecordRecommendation.record_id.in_(_RECORD_IDS))
    .order_by(RecordRecommendation.record_id, RecordRecommendation.rank)
)


class RecordStamp(NamedTuple):
    """What tells one state of a record from another: every change a client can see bumps the
    version, and every other write (queue and lease bookkeeping) moves the update time."""

    id: uuid.UUID
    version: int
    updated_at: datetime


class DesignRow(NamedTuple):
    """A design as the record view shows it."""

    id: uuid.UUID
    width: int
    height: int


class RecommendationRow(NamedTuple):
    """A recommendation with its reference, as the record view shows it."""

    rank: int
    score: float
    reference_id: uuid.UUID
    image_id: uuid.UUID
    title: str
    title_ko: str | None
    source: str
    tags: tuple[str, ...]


class RecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, record: Record) -> Record:
        self.session.add(record)
        await self.session.flush()
        return record

    async def get(self, record_id: uuid.UUID) -> Record | None:
        return await self.session.get(Record, record_id, populate_existing=True)

    async def by_idempotency_key(self, owner_id: uuid.UUID, key: str) -> Record | None:
        return await self.session.scalar(
            select(Record).where(Record.owner_id == owner_id, Record.idempotency_key == key)
        )

    async def list_for_room(
        self, room_id: uuid.UUID, limit: int, offset: int
    ) -> tuple[list[Record], int]:
        total = await self.session.scalar(_ROOM_COUNT, {"room_id": room_id})
        page = {"room_id": room_id, "limit": limit, "offset": offset}
        rows = await self.session.scalars(_ROOM_PAGE, page)
        return list(rows), total or 0

    async def room_page_stamps(
        self, room_id: uuid.UUID, limit: int, offset: int
    ) -> tuple[list[RecordStamp], int]:
        """`list_for_room`'s page as stamps only: the records whose views are already built
        need no more than that."""
        total = await self.session.scalar(_ROOM_COUNT, {"room_id": room_id})
        page = {"room_id": room_id, "limit": limit, "offset": offset}
        rows = await self.session.execute(_ROOM_PAGE_STAMPS, page)
        return [RecordStamp(*row) for row in rows], total or 0

    async def get_many(self, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Record]:
        if not record_ids:
            return {}
        rows = await self.session.scalars(_BY_IDS, {"record_ids": list(record_ids)})
        return {record.id: record for record in rows}

    async def designs(self, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Image]]:
        result: dict[uuid.UUID, list[Image]] = {rid: [] for rid in record_ids}
        if not record_ids:
            return result
        rows = await self.session.execute(
            select(RecordImage.record_id, Image)
            .join(Image, Image.id == RecordImage.image_id)
            .where(RecordImage.record_id.in_(record_ids))
            .order_by(RecordImage.record_id, RecordImage.position)
        )
        for record_id, image in rows:
            result[record_id].append(image)
        return result

    async def design_origin(self, image_id: uuid.UUID) -> tuple[Record, int] | None:
        """The record that made this design, and the design's position in it."""
        row = (
            await self.session.execute(
                select(Record, RecordImage.position)
                .join(RecordImage, RecordImage.record_id == Record.id)
                .where(RecordImage.image_id == image_id)
            )
        ).first()
        return (row[0], int(row[1])) if row is not None else None

    async def children(self, owner_id: uuid.UUID, parent_ids: Sequence[uuid.UUID]) -> list[Record]:
        """The owner's records made from any of `parent_ids`' designs, oldest first."""
        if not parent_ids:
            return []
        rows = await self.session.scalars(
            select(Record)
            .where(Record.owner_id == owner_id, Record.parent_record_id.in_(parent_ids))
            .order_by(Record.created_at, Record.id)
        )
        return list(rows)

    async def design_sizes(
        self, record_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[DesignRow]]:
        """Each record's designs in position order, as the record view needs them.

        Columns, not entities: a page of 50 records has 200 designs, and building an ORM
        object (identity map, instance state, every column) for each cost more than the page's
        queries themselves."""
        result: dict[uuid.UUID, list[DesignRow]] = {rid: [] for rid in record_ids}
        if not record_ids:
            return result
        rows = await self.session.execute(_DESIGN_SIZES, {"record_ids": list(record_ids)})
        for record_id, image_id, width, height in rows:
            result[record_id].append(DesignRow(image_id, width, height))
        return result

    async def recommendations(
        self, record_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[RecommendationRow]]:
        """Each record's recommendations in rank order (columns, as for `design_sizes`)."""
        result: dict[uuid.UUID, list[RecommendationRow]] = {rid: [] for rid in record_ids}
        if not record_ids:
            return result
        rows = await self.session.execute(_RECOMMENDATIONS, {"record_ids": list(record_ids)})
        for record_id, rank, score, reference_id, image_id, title, title_ko, source, tags in rows:
            result[record_id].append(
                RecommendationRow(
                    rank, score, reference_id, image_id, title, title_ko, source, tuple(tags or ())
                )
            )
        return result

    async def update_fields(self, record_id: uuid.UUID, **values: Any) -> int:
        """Apply `values` and bump the version; returns the new version."""
        result = await self.session.execute(
            update(Record)
            .where(Record.id == record_id)
            .values(**values, version=Record.version + 1)
            .returning(Record.version)
        )
        version = int(result.scalar_one())
        if SEARCHABLE & values.keys():
            await full_text(self.session).refresh(self.session, record_id)
        return version

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

    async def queue_position(self, record: Record) -> int | None:
        """1 for the next record to start, counting every user's queued records; None when the
        record is not waiting (started, ended, or queued before positions were kept)."""
        if record.queued_at is None or record.started_at is not None or record.done:
            return None
        ahead = await self.session.scalar(
            select(func.count())
            .select_from(Record)
            .where(
                Record.queued_at.is_not(None),
                Record.started_at.is_(None),
                Record.finished_at.is_(None),
                or_(
                    Record.queued_at < record.queued_at,
                    and_(Record.queued_at == record.queued_at, Record.id < record.id),
                ),
            )
        )
        return int(ahead or 0) + 1

    async def running_count(self, now: datetime) -> int:
        """Runs under way now (started, not ended, with a live lease): the slots in use."""
        value = await self.session.scalar(
            select(func.count())
            .select_from(Record)
            .where(
                Record.started_at.is_not(None),
                Record.finished_at.is_(None),
                Record.lease_expires_at > now,
            )
        )
        return int(value or 0)

    async def set_times(self, record_id: uuid.UUID, **times: datetime | None) -> None:
        """Bookkeeping (queued/started/finished at) that no client event needs: no version bump."""
        await self.session.execute(update(Record).where(Record.id == record_id).values(**times))

    async def recent_run_seconds(self, limit: int = 20) -> list[float]:
        """How long the latest complete runs took from start to end (for queue ETAs)."""
        rows = await self.session.execute(
            select(Record.started_at, Record.finished_at)
            .where(
                Record.started_at.is_not(None),
                Record.finished_at.is_not(None),
                *(getattr(Record, f) == StageStatus.ready for f in Record.STAGE_FIELDS),
            )
            .order_by(Record.finished_at.desc())
            .limit(limit)
        )
        return [
            (finished - started).total_seconds()
            for started, finished in rows
            if started is not None and finished is not None and finished >= started
        ]

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
            .values(lease_owner=owner, lease_expires_at=until)
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
        open_statuses = (StageStatus.pending, StageStatus.processing)
        rows = await self.session.scalars(
            select(Record.id)
            .where(
                or_(*(getattr(Record, f).in_(open_statuses) for f in Record.STAGE_FIELDS)),
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

    async def stored_design_vectors(
        self, image_ids: Sequence[uuid.UUID], model_id: str
    ) -> dict[uuid.UUID, Any]:
        """The stored vectors (float32 rows) of those images that are designs embedded by
        `model_id`."""
        rows = await self.session.execute(
            select(DesignVector.image_id, DesignVector.vector).where(
                DesignVector.image_id.in_(list(image_ids)), DesignVector.model_id == model_id
            )
        )
        return {
            image_id: np.frombuffer(vector, dtype=np.float32) for image_id, vector in rows.all()
        }

    async def store_design_vectors(
        self,
        record: Record,
        image_ids: Sequence[uuid.UUID],
        vectors: Any,
        model_id: str,
    ) -> None:
        """One row per design (replaced on a re-run): float32 bytes of the normalised vector."""
        await self.session.execute(
            delete(DesignVector).where(DesignVector.image_id.in_(list(image_ids)))
        )
        for image_id, vector in zip(image_ids, vectors, strict=True):
            self.session.add(
                DesignVector(
                    image_id=image_id,
                    owner_id=record.owner_id,
                    record_id=record.id,
                    model_id=model_id,
                    vector=np.asarray(vector, dtype=np.float32).tobytes(),
                )
            )
        await self.session.flush()
