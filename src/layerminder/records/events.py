"""A record's progress events: its channel, and the full state sent after each change."""

from __future__ import annotations

import uuid

from layerminder.records import service as records
from layerminder.records.repository import RecordRepository
from layerminder.runtime import Runtime


def channel(record_id: uuid.UUID) -> str:
    return f"record:{record_id}"


async def publish(runtime: Runtime, record_id: uuid.UUID, event: str) -> None:
    """Send the record's full state: a client needs no earlier event to render it."""
    async with runtime.sessionmaker() as session:
        record = await RecordRepository(session).get(record_id)
        if record is None:
            return
        state = await records.record_out(session, record, runtime.secret)
    await runtime.events.publish(
        channel(record_id),
        {"event": event, "version": state.version, "record": state.model_dump(mode="json")},
    )
