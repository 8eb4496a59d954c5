"""Record routes: one record, a room's history, and the live progress stream (SSE)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent

from layerminder.auth.dependencies import CurrentUser, ReadingUser, StreamUser
from layerminder.db.session import reading
from layerminder.deps import PageDep, RuntimeDep, SessionDep
from layerminder.errors import NotAuthenticated, NotFound, responses
from layerminder.records import service
from layerminder.records.events import channel
from layerminder.records.schemas import LineageOut, RecordOut, StreamTicketOut
from layerminder.rooms import service as rooms
from layerminder.runtime import Runtime
from layerminder.schemas import PageOut

router = APIRouter(prefix="/api/v1", tags=["records"])


@router.get("/records/{record_id}", responses=responses(NotAuthenticated, NotFound))
async def get_record(
    record_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> RecordOut:
    record = await service.get_owned(session, record_id, user)
    return await runtime.record_views.one(session, record)


@router.get("/records/{record_id}/lineage", responses=responses(NotAuthenticated, NotFound))
async def get_lineage(
    record_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> LineageOut:
    """The record's family tree: the designs it was refined or edited from (root first), and
    every record made from its designs since, each with its title and first design."""
    record = await service.get_owned(session, record_id, user)
    return await service.lineage(session, record, runtime.secret)


@router.get("/sessions/{room_id}/records", responses=responses(NotAuthenticated, NotFound))
async def list_room_records(
    room_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    page: PageDep,
) -> PageOut[RecordOut]:
    room = await rooms.get_owned(session, room_id, user)
    items, total = await runtime.record_views.room_page(session, room.id, page.limit, page.offset)
    return PageOut(
        items=items,
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


async def _load_state(runtime: Runtime, record_id: uuid.UUID) -> RecordOut | None:
    async with reading(runtime.sessionmaker) as session:
        return await runtime.record_views.current(session, record_id)


def _event(name: str, data: dict[str, Any], version: int | None = None) -> ServerSentEvent:
    event_id = version if version is not None else data["version"]
    return ServerSentEvent(data=json.dumps(data), event=name, id=str(event_id))


async def _stream(runtime: Runtime, record_id: uuid.UUID) -> AsyncIterator[ServerSentEvent]:
    # Subscribe before reading the state, so no change between the two can be missed.
    async with runtime.events.subscribe(channel(record_id)) as subscription:
        state = await _load_state(runtime, record_id)
        if state is None:
            return
        sent = state.version
        yield _event("state", state.model_dump(mode="json"))
        done = state.done
        waiting = state.queue_position
        while not done:
            # While waiting in the queue nothing is published for this record as the records
            # ahead start, so the stream looks again every second and resends a moved place.
            timeout = 1.0 if waiting is not None else runtime.settings.sse_heartbeat_seconds
            message = await subscription.get(timeout=timeout)
            if message is None:
                if waiting is not None:
                    state = await _load_state(runtime, record_id)
                    if state is None:
                        return
                    if state.queue_position != waiting and state.version <= sent:
                        waiting = state.queue_position
                        yield _event("state", state.model_dump(mode="json"))
                continue  # sse-starlette sends the heartbeat comment on its own timer
            if message["version"] <= sent:
                continue
            sent = message["version"]
            waiting = message["record"].get("queue_position")
            if message.get("preview") is not None:
                # The preview's own fields first (what a card needs), the full state with them.
                yield _event(
                    "preview",
                    {**message["preview"], "record": message["record"]},
                    message["version"],
                )
            else:
                yield _event(message["event"], message["record"])
            done = bool(message["record"]["done"])
        yield ServerSentEvent(data="", event="end", id=str(sent))


@router.post("/records/{record_id}/stream-ticket", responses=responses(NotAuthenticated, NotFound))
async def create_stream_ticket(
    record_id: uuid.UUID, user: ReadingUser, session: SessionDep, runtime: RuntimeDep
) -> StreamTicketOut:
    """A short-lived (at most 60 s) ticket that opens this record's stream and nothing else.

    For EventSource, which cannot send an Authorization header: the 7-day login token never
    goes into a URL (where access logs and proxies would keep it).
    """
    return await service.stream_ticket(
        session, record_id, user, runtime.secret, runtime.settings.stream_ticket_seconds
    )


@router.get(
    "/records/{record_id}/stream",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"},
        **responses(NotAuthenticated, NotFound),
    },
)
async def stream_record(
    record_id: uuid.UUID,
    user: StreamUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> EventSourceResponse:
    """Live progress: the full record on connect, then one event per change, then `end`.

    Event names: `state`, `images`, `story`, `keywords`, `recommendation` (data: the record);
    while the images stage runs, `preview` (data: `{position, url, step, of, record}`: design
    `position`'s render after pass `step` of `of`, the last pass being the design itself, which
    arrives as `designs[position]` turning `ready`). Preview URLs stop working once the images
    stage is over.

    Authenticate with `Authorization: Bearer`, or (EventSource cannot send headers) with
    `?ticket=` from `POST /records/{record_id}/stream-ticket`; a login token in the query
    string is refused. Every event carries the full state, so a reconnect with `Last-Event-ID` needs
    nothing replayed.
    """
    await service.get_owned(session, record_id, user)
    return EventSourceResponse(
        _stream(runtime, record_id),
        ping=max(1, int(runtime.settings.sse_heartbeat_seconds)),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
