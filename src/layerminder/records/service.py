"""Reading records: ownership, a room's history, and the full client view of each record."""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Hashable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.credits import service as credits
from layerminder.db.base import utcnow
from layerminder.errors import InvalidRequest, NotFound
from layerminder.images.urls import SIGNED_URL_SECONDS
from layerminder.models import Image, Record, Room, User
from layerminder.records.repository import RecordRepository, RecordStamp
from layerminder.records.schemas import (
    LineageNodeOut,
    LineageOut,
    QueuePlace,
    RecordOut,
    StreamTicketOut,
)
from layerminder.security.crypto import create_stream_ticket, image_url_expiry

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


async def room_history(
    session: AsyncSession, room: Room, limit: int, offset: int, secret: str
) -> tuple[list[RecordOut], int]:
    """One page of the room's record views, newest first, and how many records there are.

    The page is read as stamps first: the records whose views are already built (a gallery
    refreshed while designs render asks for the same ones again and again) are not loaded."""
    stamps, total = await RecordRepository(session).room_page_stamps(room.id, limit, offset)
    return await _views_of(session, stamps, {}, secret), total


async def record_outs(
    session: AsyncSession, records: Sequence[Record], secret: str
) -> list[RecordOut]:
    """Serialise records with their designs, recommendations and refunds: three queries in all
    (and a few more for each record still waiting in the queue)."""
    stamps = [RecordStamp(r.id, r.version, r.updated_at) for r in records]
    return await _views_of(session, stamps, {r.id: r for r in records}, secret)


async def _views_of(
    session: AsyncSession,
    stamps: Sequence[RecordStamp],
    loaded: dict[uuid.UUID, Record],
    secret: str,
) -> list[RecordOut]:
    repository = RecordRepository(session)
    ids = [stamp.id for stamp in stamps]
    designs = await repository.design_sizes(ids)
    recommendations = await repository.recommendations(ids)
    refunded = await credits.refunded_amounts(session, ids)

    expires = image_url_expiry(SIGNED_URL_SECONDS)

    def key(stamp: RecordStamp) -> Hashable:
        # Everything a view is built from: reused only for exactly these inputs.
        return (
            stamp,
            tuple(designs[stamp.id]),
            tuple(recommendations[stamp.id]),
            refunded.get(stamp.id),
            secret,
            expires,
        )

    found = {stamp.id: _views.get(key(stamp)) for stamp in stamps}
    missing = [i for i, view in found.items() if view is None and i not in loaded]
    records = loaded | await repository.get_many(missing)
    outs = []
    for stamp in stamps:
        view = found[stamp.id]
        if view is None:
            record = records.get(stamp.id)
            if record is None:
                continue  # deleted since its stamp was read
            queue = await queue_place(session, record)
            view = RecordOut.from_model(
                record,
                designs=designs[record.id],
                recommendations=recommendations[record.id],
                refunded=record.id in refunded,
                retry_cost=refunded.get(record.id, 0) if record.retryable else None,
                queue=queue,
                secret=secret,
            )
            # Only ended records' views are kept: a waiting one's place moves with the records
            # ahead of it, and a running one changes with every preview (keeping those would
            # push the history pages' views out while designs render). Read afresh, the
            # record may be newer than its stamp.
            if record.done:
                _views.put(key(RecordStamp(record.id, record.version, record.updated_at)), view)
        outs.append(view)
    return outs


class _RecordViews:
    """Record views already built, by everything they were built from.

    A history page of 50 spent most of its time loading its records and building their ~750
    pydantic models. Keyed by the record's stamp (version and update time), its designs,
    recommendations and refund as just read, and the signed URLs' window (`_views_of`).
    Oldest out first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._views: dict[Hashable, RecordOut] = {}
        # Requests run on one event loop, but workers, tests and the CLI may run several.
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> RecordOut | None:
        return self._views.get(key)

    def put(self, key: Hashable, view: RecordOut) -> None:
        with self._lock:
            while len(self._views) >= self._size:  # dicts keep insertion order
                del self._views[next(iter(self._views))]
            self._views[key] = view


# About 26 KB each (measured with tracemalloc): 13 MB for the last 512 records served, ten
# pages of 50.
_views = _RecordViews(size=512)


async def queue_place(session: AsyncSession, record: Record) -> QueuePlace | None:
    """Where a waiting record stands, and roughly when it starts; None once it has started.

    The ETA assumes the runs under way now are all the slots there are (true while anything
    waits) and that runs take as long as the recent complete ones did."""
    repository = RecordRepository(session)
    position = await repository.queue_position(record)
    if position is None:
        return None
    durations = await repository.recent_run_seconds()
    eta: int | None = None
    if durations:
        slots = max(1, await repository.running_count(utcnow()))
        rounds = math.ceil(position / slots)
        eta = math.ceil(rounds * sum(durations) / len(durations))
    return QueuePlace(position=position, eta_seconds=eta)


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
