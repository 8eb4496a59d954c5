"""SQL for finding a user's own records (filters, full text, cursor), their favourites and
their designs' stored vectors."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import String, and_, cast, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from layerminder.models import DesignVector, Favourite, Record, RecordImage, Room, StageStatus
from layerminder.records.search import full_text, query_words


class RecordState(StrEnum):
    """ready: every stage ready; error: a stage failed; cancelled: stopped by its owner;
    processing: a stage still to end."""

    ready = "ready"
    error = "error"
    cancelled = "cancelled"
    processing = "processing"


@dataclass(frozen=True)
class RecordFilters:
    q: str | None = None
    keyword: str | None = None
    state: RecordState | None = None
    favourite: bool | None = None
    room_id: uuid.UUID | None = None


class StudioRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def search(
        self,
        owner_id: uuid.UUID,
        filters: RecordFilters,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[Record]:
        """Newest first; `after` is the last (created_at, id) of the previous page."""
        query = (
            select(Record)
            .join(Room, Room.id == Record.room_id)
            .where(Record.owner_id == owner_id, Room.archived_at.is_(None))
        )
        if filters.room_id is not None:
            query = query.where(Record.room_id == filters.room_id)
        words = query_words(filters.q or "")
        if words:
            query = query.where(full_text(self.session).matches(words))
        if filters.keyword:
            # Keywords are lowercase single words kept as a JSON list: the quoted word is exact.
            query = query.where(
                cast(Record.keywords, String).like(f'%"{filters.keyword.lower()}"%')
            )
        if filters.state is not None:
            query = query.where(_state(filters.state))
        if filters.favourite is not None:
            favourite = exists(
                select(RecordImage.image_id)
                .join(Favourite, Favourite.image_id == RecordImage.image_id)
                .where(RecordImage.record_id == Record.id, Favourite.user_id == owner_id)
            )
            query = query.where(favourite if filters.favourite else ~favourite)
        if after is not None:
            created, record_id = after
            query = query.where(
                or_(
                    Record.created_at < created,
                    and_(Record.created_at == created, Record.id < record_id),
                )
            )
        rows = await self.session.scalars(
            query.order_by(Record.created_at.desc(), Record.id.desc()).limit(limit)
        )
        return list(rows)

    async def favourite_ids(
        self, user_id: uuid.UUID, image_ids: Sequence[uuid.UUID]
    ) -> set[uuid.UUID]:
        if not image_ids:
            return set()
        rows = await self.session.scalars(
            select(Favourite.image_id).where(
                Favourite.user_id == user_id, Favourite.image_id.in_(image_ids)
            )
        )
        return set(rows)

    async def add_favourite(self, user_id: uuid.UUID, image_id: uuid.UUID) -> None:
        if await self.session.get(Favourite, (user_id, image_id)) is None:
            self.session.add(Favourite(user_id=user_id, image_id=image_id))
            await self.session.flush()

    async def remove_favourite(self, user_id: uuid.UUID, image_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(Favourite).where(Favourite.user_id == user_id, Favourite.image_id == image_id)
        )

    async def design_vectors(
        self, owner_id: uuid.UUID, model_id: str, exclude: uuid.UUID
    ) -> list[tuple[uuid.UUID, uuid.UUID, bytes]]:
        """(image id, record id, vector bytes) of every design of the owner's that `model_id`
        embedded, but `exclude`."""
        rows = await self.session.execute(
            select(DesignVector.image_id, DesignVector.record_id, DesignVector.vector).where(
                DesignVector.owner_id == owner_id,
                DesignVector.model_id == model_id,
                DesignVector.image_id != exclude,
            )
        )
        return [(image_id, record_id, vector) for image_id, record_id, vector in rows]

    async def stored_design_vectors(
        self, image_ids: Sequence[uuid.UUID], model_id: str
    ) -> dict[uuid.UUID, np.ndarray[Any, np.dtype[np.float32]]]:
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


def _state(state: RecordState) -> ColumnElement[bool]:
    statuses = [getattr(Record, field) for field in Record.STAGE_FIELDS]
    if state is RecordState.ready:
        return and_(*(s == StageStatus.ready for s in statuses))
    if state is RecordState.error:
        return or_(*(s == StageStatus.error for s in statuses))
    if state is RecordState.cancelled:
        return or_(*(s == StageStatus.cancelled for s in statuses))
    return and_(
        or_(*(s.in_((StageStatus.pending, StageStatus.processing)) for s in statuses)),
        *(s.not_in((StageStatus.error, StageStatus.cancelled)) for s in statuses),
    )
