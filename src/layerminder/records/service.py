"""Reading records: ownership, designs and lineage (the client views are `records.views`)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.errors import InvalidRequest, NotFound
from layerminder.models import Image, Record, Room, User
from layerminder.records.repository import RecordRepository
from layerminder.records.schemas import LineageNodeOut, LineageOut, StreamTicketOut
from layerminder.security.crypto import create_stream_ticket

# A family tree larger than this is cut short (each side); the page draws a compact tree.
MAX_LINEAGE = 200


async def get(session: AsyncSession, record_id: uuid.UUID) -> Record | None:
    """Any user's record, read fresh; callers check who may see it."""
    return await RecordRepository(session).get(record_id)


async def get_owned(session: AsyncSession, record_id: uuid.UUID, user: User) -> Record:
    record = await RecordRepository(session).get(record_id)
    if record is None or record.owner_id != user.id:
        raise NotFound(f"no record {record_id}")
    return record


async def design_at(session: AsyncSession, record: Record, position: int) -> Image:
    """The record's design at `position`; InvalidRequest while the designs are not there."""
    designs = (await RecordRepository(session).designs([record.id]))[record.id]
    if position >= len(designs):
        raise InvalidRequest(
            f"record {record.id} has no design {position} (its images are {record.image_status})"
        )
    return designs[position]


async def design_origin(session: AsyncSession, image_id: uuid.UUID) -> tuple[Record, int] | None:
    """The record and position that produced this image, if it is a design."""
    return await RecordRepository(session).design_origin(image_id)


async def lineage(session: AsyncSession, record: Record, secret: str) -> LineageOut:
    """Where the record came from (root first) and everything made from it (breadth first).

    Only the owner's records are ever followed; a loop cannot form (a parent exists before its
    child), and the walk stops at MAX_LINEAGE records either way.
    """
    repository = RecordRepository(session)
    ancestors: list[Record] = []
    seen = {record.id}
    current = record
    while current.parent_record_id is not None and len(ancestors) < MAX_LINEAGE:
        parent = await repository.get(current.parent_record_id)
        if parent is None or parent.owner_id != record.owner_id or parent.id in seen:
            break
        ancestors.append(parent)
        seen.add(parent.id)
        current = parent
    ancestors.reverse()
    descendants: list[Record] = []
    frontier = [record.id]
    while frontier and len(descendants) < MAX_LINEAGE:
        children = [
            child
            for child in await repository.children(record.owner_id, frontier)
            if child.id not in seen
        ][: MAX_LINEAGE - len(descendants)]
        seen.update(child.id for child in children)
        descendants.extend(children)
        frontier = [child.id for child in children]
    everyone = [*ancestors, record, *descendants]
    designs = await repository.designs([r.id for r in everyone])
    return LineageOut(
        record_id=record.id,
        ancestors=[LineageNodeOut.from_model(r, designs[r.id], secret) for r in ancestors],
        record=LineageNodeOut.from_model(record, designs[record.id], secret),
        descendants=[LineageNodeOut.from_model(r, designs[r.id], secret) for r in descendants],
    )


async def list_for_room(
    session: AsyncSession, room: Room, limit: int, offset: int
) -> tuple[list[Record], int]:
    """One page of the room's records, newest first, and how many there are."""
    return await RecordRepository(session).list_for_room(room.id, limit, offset)


async def designs_of(session: AsyncSession, record_id: uuid.UUID) -> list[Image]:
    """The record's delivered designs in position order (none until the images stage is ready)."""
    return (await RecordRepository(session).designs([record_id]))[record_id]


async def stream_ticket(
    session: AsyncSession, record_id: uuid.UUID, user: User, secret: str, expires_seconds: int
) -> StreamTicketOut:
    """A ticket for the owner to open this record's stream where no header can be sent."""
    record = await get_owned(session, record_id, user)
    ticket = create_stream_ticket(user.id, record.id, secret, expires_seconds, user.token_version)
    return StreamTicketOut(
        ticket=ticket,
        expires_in=expires_seconds,
        stream_url=f"/api/v1/records/{record.id}/stream?ticket={ticket}",
    )
