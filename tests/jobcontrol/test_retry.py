"""Retry end to end on a real server (issue 16): only failed or cancelled stages run again,
delivered designs are reused, and it costs exactly what the refund gave back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import STAGES, Account
from tests.jobcontrol.common import (
    SIGNUP_CREDITS,
    assert_balance_is_ledger,
    generate,
    get_record,
    ledger,
    rows_for,
    steer,
    wait_for,
)
from tests.live import events_until_end

pytestmark = pytest.mark.slow


async def _retry(
    client: httpx.AsyncClient, account: Account, record_id: str, key: str | None = None
) -> httpx.Response:
    headers = dict(account.headers)
    if key:
        headers["Idempotency-Key"] = key
    return await client.post(f"/api/v1/records/{record_id}/retry", headers=headers)


async def _final(client: httpx.AsyncClient, account: Account, record_id: str) -> Any:
    events = await events_until_end(client, record_id, account.token)
    assert events[-1].event == "end"
    return events[-2].data


async def test_retry_after_each_failure_costs_what_the_refund_gave_back(
    client: httpx.AsyncClient, control: Path, account: Account, room_input: tuple[str, str]
) -> None:
    room_id, image_id = room_input

    # The images stage fails: refunded, so a retry costs 1 credit.
    steer(control, fail=("images",))
    failed_images = await generate(client, account, room_id, image_id)
    final = await _final(client, account, failed_images)
    assert [final[s] for s in STAGES] == ["error"] * 4
    assert final["refunded"] and final["retry_cost"] == 1

    # The story stage fails three times: designs delivered, credit kept; balance now 0.
    steer(control, fail=("story",))
    failed_story = [await generate(client, account, room_id, image_id) for _ in range(3)]
    for record_id in failed_story:
        final = await _final(client, account, record_id)
        assert final["image_status"] == "ready" and final["story_status"] == "error"
        assert not final["refunded"] and final["retry_cost"] == 0
    assert (await ledger(client, account))[0] == SIGNUP_CREDITS - 3

    # No credit left: the paid retry is refused and changes nothing.
    steer(control)
    refused = await _retry(client, account, failed_images)
    assert refused.status_code == 402, refused.text
    assert refused.json()["error"] == "InsufficientCredits"
    unchanged = await get_record(client, account, failed_images)
    assert unchanged["image_status"] == "error" and unchanged["retry_cost"] == 1

    # The free retry re-runs the story only: the very same designs, still no charge.
    before = await get_record(client, account, failed_story[0])
    response = await _retry(client, account, failed_story[0])
    assert response.status_code == 202, response.text
    assert response.json()["story_status"] == "pending"
    assert response.json()["image_status"] == "ready"
    final = await _final(client, account, failed_story[0])
    assert [final[s] for s in STAGES] == ["ready"] * 4
    assert [d["image_id"] for d in final["designs"]] == [d["image_id"] for d in before["designs"]]
    assert final["retry_cost"] is None and not final["refunded"]
    balance, rows = await ledger(client, account)
    assert balance == 0 and len(rows_for(rows, failed_story[0], "generation")) == 1

    # Nothing to retry on a ready record.
    again = await _retry(client, account, failed_story[0])
    assert again.status_code == 409 and again.json()["error"] == "NothingToRetry"
    await assert_balance_is_ledger(client, account)


async def test_paid_retry_with_idempotency_key_charges_once(
    client: httpx.AsyncClient, control: Path, account: Account, room_input: tuple[str, str]
) -> None:
    room_id, image_id = room_input
    steer(control, fail=("images",))
    record_id = await generate(client, account, room_id, image_id)
    await _final(client, account, record_id)
    steer(control)

    first = await _retry(client, account, record_id, key="retry-1")
    second = await _retry(client, account, record_id, key="retry-1")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"] == record_id
    final = await _final(client, account, record_id)
    assert [final[s] for s in STAGES] == ["ready"] * 4 and len(final["designs"]) == 4
    assert not final["refunded"]
    # The same key after it finished is still the same retry, not a 409 or a new run.
    assert (await _retry(client, account, record_id, key="retry-1")).status_code == 202

    balance, rows = await ledger(client, account)
    assert balance == SIGNUP_CREDITS - 1
    assert len(rows_for(rows, record_id, "generation")) == 2
    assert len(rows_for(rows, record_id, "refund")) == 1
    await assert_balance_is_ledger(client, account)


async def test_retry_a_cancelled_record_and_concurrent_retries_make_one_run(
    client: httpx.AsyncClient, control: Path, account: Account, room_input: tuple[str, str]
) -> None:
    room_id, image_id = room_input
    steer(control, image_delay=60)
    record_id = await generate(client, account, room_id, image_id)
    await wait_for(client, account, record_id, lambda r: r["image_status"] == "processing")
    running = await _retry(client, account, record_id)
    assert running.status_code == 409 and running.json()["error"] == "NothingToRetry"
    cancelled = await client.post(f"/api/v1/records/{record_id}/cancel", headers=account.headers)
    assert cancelled.json()["retry_cost"] == 1
    steer(control)

    results = await asyncio.gather(*(_retry(client, account, record_id) for _ in range(4)))
    codes = sorted(r.status_code for r in results)
    assert codes == [202, 409, 409, 409], [r.text for r in results]
    final = await _final(client, account, record_id)
    assert [final[s] for s in STAGES] == ["ready"] * 4

    balance, rows = await ledger(client, account)
    assert balance == SIGNUP_CREDITS - 1
    assert len(rows_for(rows, record_id, "generation")) == 2
    assert len(rows_for(rows, record_id, "refund")) == 1
    await assert_balance_is_ledger(client, account)
