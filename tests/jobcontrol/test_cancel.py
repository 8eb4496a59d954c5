"""Cancel end to end: a real server process, real HTTP, a real SSE client (issue 16).

One server runs jobs one at a time with an image stage whose pause a test sets through a file,
so a record can be caught waiting, caught running, or raced at full speed."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers import STAGES, Account, signup
from tests.jobcontrol.common import (
    SIGNUP_CREDITS,
    assert_balance_is_ledger,
    generate,
    get_record,
    ledger,
    room_with_input,
    rows_for,
    steer,
    wait_for,
)
from tests.live import events_until_end, read_stream

pytestmark = pytest.mark.slow


async def test_cancel_waiting_and_running_records(
    client: httpx.AsyncClient, control: Path, account: Account, room_input: tuple[str, str]
) -> None:
    steer(control, image_delay=60)
    room_id, image_id = room_input
    running = await generate(client, account, room_id, image_id)
    await wait_for(client, account, running, lambda r: r["image_status"] == "processing")
    waiting = await generate(client, account, room_id, image_id)
    queued = await get_record(client, account, waiting)
    assert queued["image_status"] == "pending" and queued["queue_position"] == 1

    # A waiting record: cancelled at once, refunded, its stream ends; again: the same.
    response = await client.post(f"/api/v1/records/{waiting}/cancel", headers=account.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [body[s] for s in STAGES] == ["cancelled"] * 4
    assert body["done"] and body["cancelled"] and body["refunded"]
    assert body["queue_position"] is None and body["retry_cost"] == 1
    events = await events_until_end(client, waiting, account.token)
    assert [e.event for e in events] == ["state", "end"]
    again = await client.post(f"/api/v1/records/{waiting}/cancel", headers=account.headers)
    assert again.status_code == 200
    assert [again.json()[s] for s in STAGES] == ["cancelled"] * 4
    # In a family tree it says so (a running one too): no thumbnail to show, but a state.
    for record_id, state in ((waiting, "cancelled"), (running, "running")):
        lineage = await client.get(f"/api/v1/records/{record_id}/lineage", headers=account.headers)
        node = lineage.json()["record"]
        assert node["state"] == state and node["first_design_url"] is None, node

    # A running record: its open stream gets the cancelled state and `end` within 2 s.
    seen: list[str] = []

    async def follow() -> float:
        async for event in read_stream(client, running, account.token):
            seen.append(event.event)
        return time.monotonic()

    follower = asyncio.create_task(follow())
    await asyncio.sleep(0.5)
    started = time.monotonic()
    response = await client.post(f"/api/v1/records/{running}/cancel", headers=account.headers)
    assert response.status_code == 200, response.text
    ended = await asyncio.wait_for(follower, 10)
    assert ended - started < 2.0, f"stream ended {ended - started:.2f}s after the cancel"
    assert seen[-2:] == ["state", "end"]
    final = await get_record(client, account, running)
    assert [final[s] for s in STAGES] == ["cancelled"] * 4
    assert final["refunded"] and final["designs"] == []

    # The job was abandoned: nothing more is written, even once the pause would be over.
    steer(control)
    await asyncio.sleep(2)
    later = await get_record(client, account, running)
    assert later["version"] == final["version"] and later["designs"] == []
    queued_later = await get_record(client, account, waiting)
    assert queued_later["version"] == again.json()["version"]
    assert queued_later["image_provider"] is None

    balance, rows = await ledger(client, account)
    assert balance == SIGNUP_CREDITS
    for record_id in (running, waiting):
        assert len(rows_for(rows, record_id, "generation")) == 1
        assert len(rows_for(rows, record_id, "refund")) == 1
    await assert_balance_is_ledger(client, account)


async def test_cancel_finished_or_someone_elses_record(
    client: httpx.AsyncClient, control: Path, account: Account, room_input: tuple[str, str]
) -> None:
    room_id, image_id = room_input
    other = await signup(client)
    record_id = await generate(client, account, room_id, image_id)
    assert (
        await client.post(f"/api/v1/records/{record_id}/cancel", headers=other.headers)
    ).status_code == 404
    await events_until_end(client, record_id, account.token)
    response = await client.post(f"/api/v1/records/{record_id}/cancel", headers=account.headers)
    assert response.status_code == 409
    assert response.json()["error"] == "AlreadyFinished"
    record = await get_record(client, account, record_id)
    assert [record[s] for s in STAGES] == ["ready"] * 4 and record["retry_cost"] is None
    missing = await client.post(
        "/api/v1/records/00000000-0000-0000-0000-000000000000/cancel", headers=account.headers
    )
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"


# The stage raced, the state the test waits for, and the step between cancel moments (s).
RACES = {
    "image_status": ("image_status", "processing", 0.12),
    "recommendation_status": ("keywords_status", "ready", 0.03),
}


@pytest.mark.parametrize("stage", list(RACES))
@pytest.mark.usefixtures("control")
async def test_cancel_racing_a_stage_never_leaves_half_of_each(
    client: httpx.AsyncClient, stage: str
) -> None:
    """Cancel as a stage is running, at a slightly later moment each time: the record is
    consistent whichever wins, with at most one debit and one refund."""
    outcomes: set[str] = set()
    field, value, step = RACES[stage]
    for attempt in range(12):
        account = await signup(client)
        room_id, image_id = await room_with_input(client, account)
        record_id = await generate(client, account, room_id, image_id)
        await wait_for(client, account, record_id, lambda r: r[field] in (value, "ready"))
        await asyncio.sleep(step * attempt)
        response = await client.post(f"/api/v1/records/{record_id}/cancel", headers=account.headers)
        assert response.status_code in (200, 409), response.text
        events = await events_until_end(client, record_id, account.token)
        final = events[-2].data
        assert final is not None and final["done"]
        statuses = [final[s] for s in STAGES]
        if response.status_code == 409:
            assert statuses == ["ready"] * 4
            outcomes.add("ready")
        else:
            assert final["cancelled"] and final[stage] in ("cancelled", "ready")
            assert "error" not in statuses and final["recommendation_status"] != "ready"
            # Once one stage is cancelled every later one is too.
            first = statuses.index("cancelled")
            assert statuses[first:] == ["cancelled"] * (4 - first)
            assert all(s == "ready" for s in statuses[:first])
            outcomes.add(f"cancelled-from-{STAGES[first]}")
        delivered = final["image_status"] == "ready"
        assert (len(final["designs"]) == 4) == delivered
        assert final["refunded"] is (not delivered)
        _, rows = await ledger(client, account)
        assert len(rows_for(rows, record_id, "generation")) == 1
        assert len(rows_for(rows, record_id, "refund")) == (0 if delivered else 1)
        await assert_balance_is_ledger(client, account)
    print(f"outcomes for {stage}: {sorted(outcomes)}")
