"""A record's progress events: its channel, and the full state sent after each change."""

from __future__ import annotations

import uuid
from typing import Any

from layerminder.db.session import reading
from layerminder.runtime import Runtime


def channel(record_id: uuid.UUID) -> str:
    return f"record:{record_id}"


async def publish(
    runtime: Runtime, record_id: uuid.UUID, event: str, preview: dict[str, Any] | None = None
) -> None:
    """Send the record's full state: a client needs no earlier event to render it. A `preview`
    event also names the preview that made it (`{position, url, step, of}`)."""
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
