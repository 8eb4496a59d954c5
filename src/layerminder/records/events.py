"""A record's progress events: its channel, and the full state sent after each change."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from layerminder.db.session import reading
from layerminder.runtime import Runtime

logger = logging.getLogger(__name__)


def channel(record_id: uuid.UUID) -> str:
    return f"record:{record_id}"


async def publish(
    runtime: Runtime, record_id: uuid.UUID, event: str, preview: dict[str, Any] | None = None
) -> None:
    """Send the record's full state: a client needs no earlier event to render it. A `preview`
    event also names the preview that made it (`{position, url, step, of}`).

    Best effort: the state is committed before it is published, so an event lost to a Redis or
    database blip costs a client one step of progress (the next event, or a reconnect, carries
    the whole state), never the record."""
    try:
        await _publish(runtime, record_id, event, preview)
    except Exception as exc:
        logger.warning(
            "could not publish a record event: %s",
            exc,
            extra={"record_id": str(record_id), "event": event},
        )


async def _publish(
    runtime: Runtime, record_id: uuid.UUID, event: str, preview: dict[str, Any] | None
) -> None:
    # A reading session: on SQLite a plain session's first query takes the one write lock
    # (BEGIN IMMEDIATE), and a job publishes after every stage change.
    async with reading(runtime.sessionmaker) as session:
        state = await runtime.record_views.current(session, record_id)
    if state is None:
        return
    message: dict[str, Any] = {
        "event": event,
        "version": state.version,
        "record": state.model_dump(mode="json"),
    }
    if preview is not None:
        message["preview"] = preview
    await runtime.events.publish(channel(record_id), message)
