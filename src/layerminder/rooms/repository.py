"""SQL for rooms and pins."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import Image, Room, RoomPin

# The room list's statements, built once (building one cost more CPU than running it).
_OWNERS_ROOMS = (Room.owner_id == bindparam("owner_id")) & Room.archived_at.is_(None)
_ROOM_COUNT = select(func.count()).select_from(Room).where(_OWNERS_ROOMS)
_ROOM_PAGE = (
    select(Room)
    .where(_OWNERS_ROOMS)
    .order_by(Room.created_at.desc(), Room.id)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


class RoomRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, room: Room) -> Room:
        self.session.add(room)
        await self.session.flush()
        return room

    async def get_active(self, room_id: uuid.UUID) -> Room | None:
        return await self.session.scalar(
            select(Room).where(Room.id == room_id, Room.archived_at.is_(None))
        )

    async def get_public_by_slug(self, slug: str) -> Room | None:
        return await self.session.scalar(
            select(Room).where(Room.slug == slug, Room.is_public, Room.archived_at.is_(None))
        )

    async def slug_taken(self, slug: str) -> bool:
        return (await self.session.scalar(select(Room.id).where(Room.slug == slug))) is not None

    async def list_for_owner(
        self, owner_id: uuid.UUID, limit: int, offset: int
    ) -> tuple[list[Room], int]:
        total = await self.session.scalar(_ROOM_COUNT, {"owner_id": owner_id})
        page = {"owner_id": owner_id, "limit": limit, "offset": offset}
        rows = await self.session.scalars(_ROOM_PAGE, page)
        return list(rows), total or 0

    async def add_pin(self, pin: RoomPin) -> RoomPin:
        self.session.add(pin)
        await self.session.flush()
        return pin

    async def get_pin(self, room_id: uuid.UUID, image_id: uuid.UUID) -> RoomPin | None:
        return await self.session.scalar(
            select(RoomPin).where(RoomPin.room_id == room_id, RoomPin.image_id == image_id)
        )

    async def delete_pin(self, pin: RoomPin) -> None:
        await self.session.delete(pin)
        await self.session.flush()

    async def next_pin_position(self, room_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(func.coalesce(func.max(RoomPin.position), -1)).where(RoomPin.room_id == room_id)
        )
        return int(value if value is not None else -1) + 1

    async def pins_with_images(self, room_id: uuid.UUID) -> list[tuple[RoomPin, Image]]:
        rows = await self.session.execute(
            select(RoomPin, Image)
            .join(Image, Image.id == RoomPin.image_id)
            .where(RoomPin.room_id == room_id)
            .order_by(RoomPin.position, RoomPin.created_at)
        )
        return [(pin, image) for pin, image in rows]
