"""SQL for records, their designs and recommendations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import (
    DesignVector,
    Image,
    Record,
    RecordImage,
    RecordRecommendation,
    Reference,
    StageStatus,
)
from layerminder.records.search import SEARCHABLE, full_text


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
        total = await self.session.scalar(
            select(func.count()).select_from(Record).where(Record.room_id == room_id)
        )
        rows = await self.session.scalars(
            select(Record)
            .where(Record.room_id == room_id)
            .order_by(Record.created_at.desc(), Record.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total or 0

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

    async def recommendations(
        self, record_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[RecordRecommendation, Reference, Image]]]:
        result: dict[uuid.UUID, list[tuple[RecordRecommendation, Reference, Image]]] = {
            rid: [] for rid in record_ids
        }
        if not record_ids:
            return result
        rows = await self.session.execute(
            select(RecordRecommendation, Reference, Image)
            .join(Reference, Reference.id == RecordRecommendation.reference_id)
            .join(Image, Image.id == Reference.image_id)
            .where(RecordRecommendation.record_id.in_(record_ids))
            .order_by(RecordRecommendation.record_id, RecordRecommendation.rank)
        )
        for recommendation, reference, image in rows:
            result[recommendation.record_id].append((recommendation, reference, image))
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
