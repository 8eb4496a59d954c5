"""SQL for records as the other domains use them: one record, a room's page, designs and
lineage. The views' reads are in `records.views`, the job's writes in `generation.repository`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from layerminder.models import Image, Record, RecordImage

_ROOM_ID: BindParameter[uuid.UUID] = bindparam("room_id")
_ROOM_COUNT = select(func.count()).select_from(Record).where(Record.room_id == _ROOM_ID)
_ROOM_PAGE = (
    select(Record)
    .where(Record.room_id == _ROOM_ID)
    .order_by(Record.created_at.desc(), Record.id)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


class RecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, record_id: uuid.UUID) -> Record | None:
        return await self.session.get(Record, record_id, populate_existing=True)

    async def list_for_room(
        self, room_id: uuid.UUID, limit: int, offset: int
    ) -> tuple[list[Record], int]:
        total = await self.session.scalar(_ROOM_COUNT, {"room_id": room_id})
        page = {"room_id": room_id, "limit": limit, "offset": offset}
        rows = await self.session.scalars(_ROOM_PAGE, page)
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
