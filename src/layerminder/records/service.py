"""Reading records: ownership, a room's history, and the full client view of each record."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.credits import service as credits
from layerminder.errors import NotFound
from layerminder.models import Record, Room, User
from layerminder.records.repository import RecordRepository
from layerminder.records.schemas import RecordOut, StreamTicketOut
from layerminder.security.crypto import create_stream_ticket


async def get(session: AsyncSession, record_id: uuid.UUID) -> Record | None:
    """Any user's record, read fresh; callers check who may see it."""
    return await RecordRepository(session).get(record_id)


async def get_owned(session: AsyncSession, record_id: uuid.UUID, user: User) -> Record:
    record = await RecordRepository(session).get(record_id)
    if record is None or record.owner_id != user.id:
        raise NotFound(f"no record {record_id}")
    return record


async def list_for_room(
    session: AsyncSession, room: Room, limit: int, offset: int
) -> tuple[list[Record], int]:
    """One page of the room's records, newest first, and how many there are."""
    return await RecordRepository(session).list_for_room(room.id, limit, offset)


async def record_outs(
    session: AsyncSession, records: Sequence[Record], secret: str
) -> list[RecordOut]:
    """Serialise records with their designs, recommendations and refunds: three queries in all."""
    repository = RecordRepository(session)
    ids = [r.id for r in records]
    designs = await repository.designs(ids)
    recommendations = await repository.recommendations(ids)
    refunded = await credits.refunded_records(session, ids)
    return [
        RecordOut.from_model(
            record,
            designs=designs[record.id],
            recommendations=recommendations[record.id],
            refunded=record.id in refunded,
            secret=secret,
        )
        for record in records
    ]


async def record_out(session: AsyncSession, record: Record, secret: str) -> RecordOut:
    return (await record_outs(session, [record], secret))[0]


async def current_state(
    session: AsyncSession, record_id: uuid.UUID, secret: str
) -> RecordOut | None:
    """The record as a client sees it now (read fresh from the database), or None if gone."""
    record = await RecordRepository(session).get(record_id)
    if record is None:
        return None
    return await record_out(session, record, secret)


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
