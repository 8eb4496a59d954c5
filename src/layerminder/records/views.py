"""The records' read side: the client view of each record, built from column rows and kept
once built, and the statements that read them.

A `RecordViews` lives on the runtime (`runtime.record_views`): every request, stream and job
of a process shares one. Views are keyed by everything they are built from, so a view is never
stale, only unused.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from layerminder.credits import service as credits
from layerminder.db.base import utcnow
from layerminder.images.urls import SIGNED_URL_SECONDS
from layerminder.models import (
    Image,
    Record,
    RecordImage,
    RecordRecommendation,
    Reference,
    StageStatus,
)
from layerminder.records.schemas import QueuePlace, RecordOut
from layerminder.security.crypto import image_url_expiry

# The statements, built once: building a statement (SQLAlchemy's coercions and cache key) cost
# more CPU than running it on every GET of a record or a history page.
_RECORD_IDS: BindParameter[uuid.UUID] = bindparam("record_ids", expanding=True)
_ROOM_ID: BindParameter[uuid.UUID] = bindparam("room_id")
_ROOM_COUNT = select(func.count()).select_from(Record).where(Record.room_id == _ROOM_ID)
_ROOM_PAGE_STAMPS = (
    select(Record.id, Record.version, Record.updated_at)
    .where(Record.room_id == _ROOM_ID)
    .order_by(Record.created_at.desc(), Record.id)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
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


# Every waiting record's place, numbered in one pass and filtered to the records asked about:
# one query for a page, where counting the records ahead of each cost three per waiting record.
_WAITING = (
    select(
        Record.id.label("id"),
        func.row_number().over(order_by=(Record.queued_at, Record.id)).label("position"),
    )
    .where(Record.queued_at.is_not(None), Record.started_at.is_(None), Record.finished_at.is_(None))
    .subquery()
)
_QUEUE_POSITIONS = select(_WAITING.c.id, _WAITING.c.position).where(_WAITING.c.id.in_(_RECORD_IDS))


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


class ViewRows:
    """The rows record views are built from, as columns: a page of 50 records has 200 designs,
    and building an ORM object (identity map, instance state, every column) for each cost more
    than the page's queries themselves."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def room_page_stamps(
        self, room_id: uuid.UUID, limit: int, offset: int
    ) -> tuple[list[RecordStamp], int]:
        """A page of the room's records, newest first, as stamps: the records whose views are
        already built need no more than that."""
        total = await self.session.scalar(_ROOM_COUNT, {"room_id": room_id})
        page = {"room_id": room_id, "limit": limit, "offset": offset}
        rows = await self.session.execute(_ROOM_PAGE_STAMPS, page)
        return [RecordStamp(*row) for row in rows], total or 0

    async def records(self, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Record]:
        if not record_ids:
            return {}
        rows = await self.session.scalars(_BY_IDS, {"record_ids": list(record_ids)})
        return {record.id: record for record in rows}

    async def design_sizes(
        self, record_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[DesignRow]]:
        """Each record's designs in position order."""
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
        """Each record's recommendations in rank order."""
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

    async def queue_positions(self, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        """Where each of these records waits in the queue (1: next to start, counting every
        user's queued records), in one query; a record not waiting (started, ended, or queued
        before positions were kept) is absent."""
        if not record_ids:
            return {}
        rows = await self.session.execute(_QUEUE_POSITIONS, {"record_ids": list(record_ids)})
        return {record_id: int(position) for record_id, position in rows}

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


@dataclass(frozen=True)
class RunPace:
    """How fast the queue moves, for ETAs: the mean of the recent complete runs and the slots in
    use now."""

    mean_seconds: float | None
    slots: int

    def eta(self, position: int) -> int | None:
        """A rough time until the record at `position` finishes: the runs under way are all the
        slots there are (true while anything waits), each as long as the recent ones."""
        if self.mean_seconds is None:
            return None
        return math.ceil(math.ceil(position / self.slots) * self.mean_seconds)


async def run_pace(session: AsyncSession) -> RunPace:
    rows = ViewRows(session)
    durations = await rows.recent_run_seconds()
    if not durations:
        return RunPace(None, 1)
    return RunPace(sum(durations) / len(durations), max(1, await rows.running_count(utcnow())))


class RecordViews:
    """Record views, built once for each state of a record and shared by every request, stream
    and job of the process.

    A view is keyed by everything it is built from: the record's stamp (version and update
    time), its designs, recommendations and refund as just read, the signed URLs' window and,
    while it waits, its place in the queue. An ended record's view goes to `_ended` (oldest out
    first; about 26 KB each, measured with tracemalloc: 13 MB for the default 512, ten pages of
    50). A running or waiting record's latest view goes to `_live`, one per record, replaced
    when the record changes: the job's SSE event builds it and every reader of the record or
    its room's history until the next change reuses it (rebuilding the running records of a
    rendering room on every read made that page cost 3x a quiet one's), and kept apart so the
    previews of a rendering room never push the history pages' views out."""

    # How long a queue ETA's inputs are reused: an ETA is rough, and reading them for every page
    # of a room whose records wait cost two queries a request.
    PACE_SECONDS = 2.0

    def __init__(self, secret: str, size: int = 512, live_size: int = 1024) -> None:
        self._secret = secret
        self._pace: tuple[float, RunPace] | None = None
        self._size = size
        self._live_size = live_size
        self._ended: dict[Hashable, RecordOut] = {}
        self._live: dict[uuid.UUID, tuple[Hashable, RecordOut]] = {}
        # Requests run on one event loop, but workers, tests and the CLI may run several.
        self._lock = threading.Lock()

    async def room_page(
        self, session: AsyncSession, room_id: uuid.UUID, limit: int, offset: int
    ) -> tuple[list[RecordOut], int]:
        """One page of the room's record views, newest first, and how many records there are.

        The page is read as stamps first: the records whose views are already built (a gallery
        refreshed while designs render asks for the same ones again and again) are not loaded."""
        stamps, total = await ViewRows(session).room_page_stamps(room_id, limit, offset)
        return await self._views_of(session, stamps, {}), total

    async def of(self, session: AsyncSession, records: Sequence[Record]) -> list[RecordOut]:
        """The records' views: three queries in all, one more when any has not ended, and two
        more when any waits in the queue."""
        stamps = [RecordStamp(r.id, r.version, r.updated_at) for r in records]
        return await self._views_of(session, stamps, {r.id: r for r in records})

    async def one(self, session: AsyncSession, record: Record) -> RecordOut:
        return (await self.of(session, [record]))[0]

    async def current(self, session: AsyncSession, record_id: uuid.UUID) -> RecordOut | None:
        """The record as a client sees it now (read fresh from the database), or None if gone."""
        record = await session.get(Record, record_id, populate_existing=True)
        return None if record is None else await self.one(session, record)

    async def _views_of(
        self,
        session: AsyncSession,
        stamps: Sequence[RecordStamp],
        loaded: dict[uuid.UUID, Record],
    ) -> list[RecordOut]:
        rows = ViewRows(session)
        ids = [stamp.id for stamp in stamps]
        designs = await rows.design_sizes(ids)
        recommendations = await rows.recommendations(ids)
        refunded = await credits.refunded_amounts(session, ids)
        expires = image_url_expiry(SIGNED_URL_SECONDS)

        def key(stamp: RecordStamp, place: QueuePlace | None = None) -> Hashable:
            # Everything a view is built from: reused only for exactly these inputs.
            return (
                stamp,
                tuple(designs[stamp.id]),
                tuple(recommendations[stamp.id]),
                refunded.get(stamp.id),
                expires,
                place,
            )

        found = {stamp.id: self._ended.get(key(stamp)) for stamp in stamps}
        unended = [stamp for stamp in stamps if found[stamp.id] is None]
        places = await self._queue_places(session, [stamp.id for stamp in unended])
        for stamp in unended:
            live = self._live.get(stamp.id)
            if live is not None and live[0] == key(stamp, places.get(stamp.id)):
                found[stamp.id] = live[1]
        missing = [i for i, view in found.items() if view is None and i not in loaded]
        records = loaded | await rows.records(missing)
        outs = []
        for stamp in stamps:
            view = found[stamp.id]
            if view is None:
                record = records.get(stamp.id)
                if record is None:
                    continue  # deleted since its stamp was read
                # Read afresh, the record may be newer than its stamp (and than its place).
                place = places.get(record.id) if record.waiting else None
                view = RecordOut.from_model(
                    record,
                    designs=designs[record.id],
                    recommendations=recommendations[record.id],
                    refunded=record.id in refunded,
                    retry_cost=refunded.get(record.id, 0) if record.retryable else None,
                    queue=place,
                    secret=self._secret,
                )
                built = RecordStamp(record.id, record.version, record.updated_at)
                self._put(record.id, key(built, place), view, ended=record.done)
            outs.append(view)
        return outs

    async def _queue_places(
        self, session: AsyncSession, record_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, QueuePlace]:
        """Where each of these records waits, and roughly when it finishes; records not waiting
        are absent. One query, and two more every PACE_SECONDS while anything waits."""
        positions = await ViewRows(session).queue_positions(record_ids)
        if not positions:
            return {}
        now = time.monotonic()
        if self._pace is not None and now - self._pace[0] <= self.PACE_SECONDS:
            pace = self._pace[1]
        else:
            pace = await run_pace(session)
            # Kept only once a run has finished: the first ETA shows as soon as there is one.
            self._pace = (now, pace) if pace.mean_seconds is not None else None
        return {
            record_id: QueuePlace(position=position, eta_seconds=pace.eta(position))
            for record_id, position in positions.items()
        }

    def _put(self, record_id: uuid.UUID, key: Hashable, view: RecordOut, *, ended: bool) -> None:
        with self._lock:
            self._live.pop(record_id, None)
            if ended:
                while len(self._ended) >= self._size:  # dicts keep insertion order
                    del self._ended[next(iter(self._ended))]
                self._ended[key] = view
            else:
                while len(self._live) >= self._live_size:
                    del self._live[next(iter(self._live))]
                self._live[record_id] = (key, view)
