"""Room rules: ownership (another user's room is simply not found), slugs, archive, pins."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.db.base import utcnow
from layerminder.errors import Conflict, NotFound
from layerminder.images import service as images
from layerminder.models import Image, ImageKind, Record, Room, RoomPin, StageStatus, User
from layerminder.records import service as records
from layerminder.rooms.repository import RoomRepository

# What a public room shows at most: enough for a shared page, bounded for an anonymous reader.
PUBLIC_IMAGE_LIMIT = 100
PUBLIC_RECORD_LIMIT = 50


@dataclass
class PublicContents:
    uploads: list[Image]
    pins: list[tuple[RoomPin, Image]]
    # The finished generations among the newest PUBLIC_RECORD_LIMIT, newest first.
    records: list[Record]


def _slug_for(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "room"
    # The random tail makes shared links unguessable and unique without a lookup loop.
    return f"{base}-{secrets.token_hex(4)}"


async def create(
    session: AsyncSession, owner: User, name: str, description: str, is_public: bool
) -> Room:
    room = Room(
        owner_id=owner.id,
        name=name.strip(),
        description=description.strip(),
        is_public=is_public,
        slug=_slug_for(name),
    )
    return await RoomRepository(session).add(room)


async def get_owned(session: AsyncSession, room_id: uuid.UUID, user: User) -> Room:
    room = await RoomRepository(session).get_active(room_id)
    if room is None or room.owner_id != user.id:
        raise NotFound(f"no room {room_id}")
    return room


async def update(
    session: AsyncSession,
    room: Room,
    *,
    name: str | None,
    description: str | None,
    is_public: bool | None,
) -> Room:
    if name is not None:
        room.name = name.strip()
    if description is not None:
        room.description = description.strip()
    if is_public is not None:
        room.is_public = is_public
    room.updated_at = utcnow()
    await session.flush()
    return room


async def archive(session: AsyncSession, room: Room) -> None:
    room.archived_at = utcnow()
    room.is_public = False
    await session.flush()


async def get_public(session: AsyncSession, slug: str) -> Room:
    room = await RoomRepository(session).get_public_by_slug(slug)
    if room is None:
        raise NotFound(f"no public room {slug!r}")
    return room


async def list_owned(
    session: AsyncSession, user: User, limit: int, offset: int
) -> tuple[list[Room], int]:
    """One page of the user's active rooms, newest first, and how many there are."""
    return await RoomRepository(session).list_for_owner(user.id, limit, offset)


async def public_contents(session: AsyncSession, room: Room) -> PublicContents:
    uploads, _ = await images.list_in_room(session, room, ImageKind.uploaded, PUBLIC_IMAGE_LIMIT, 0)
    recent, _ = await records.list_for_room(session, room, PUBLIC_RECORD_LIMIT, 0)
    return PublicContents(
        uploads=uploads,
        pins=await pins_with_images(session, room),
        records=[r for r in recent if r.image_status == StageStatus.ready],
    )


async def pins_with_images(session: AsyncSession, room: Room) -> list[tuple[RoomPin, Image]]:
    return await RoomRepository(session).pins_with_images(room.id)


async def pin(
    session: AsyncSession, room: Room, user: User, image_id: uuid.UUID, note: str
) -> tuple[RoomPin, Image]:
    image = await images.get_readable(session, image_id, user)
    repository = RoomRepository(session)
    if await repository.get_pin(room.id, image.id) is not None:
        raise Conflict("this image is already pinned in this room")
    pin = RoomPin(
        room_id=room.id,
        image_id=image.id,
        note=note.strip(),
        position=await repository.next_pin_position(room.id),
    )
    try:
        async with session.begin_nested():
            await repository.add_pin(pin)
    except IntegrityError:
        raise Conflict("this image is already pinned in this room") from None
    return pin, image


async def unpin(session: AsyncSession, room: Room, image_id: uuid.UUID) -> None:
    repository = RoomRepository(session)
    pin = await repository.get_pin(room.id, image_id)
    if pin is None:
        raise NotFound(f"image {image_id} is not pinned in this room")
    await repository.delete_pin(pin)
