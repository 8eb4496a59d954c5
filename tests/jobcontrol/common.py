"""Helpers for the job-control tests: a server whose image stage can be made slow at will."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.helpers import Account, create_room, make_image, upload_image

# Few, so a test can spend an account down to zero quickly.
SIGNUP_CREDITS = 3
TUNABLE_IMAGES = "tests.integration.providers:TunableImageProvider"
TUNABLE_STORY = "tests.integration.providers:TunableStoryProvider"


def steer(
    control_file: Path,
    *,
    image_delay: float = 0,
    preview_delay: float = 0,
    fail: tuple[str, ...] = (),
) -> None:
    """What the server's tunable providers do from their next call on."""
    control_file.write_text(
        json.dumps({"image_delay": image_delay, "preview_delay": preview_delay, "fail": list(fail)})
    )


async def room_with_input(client: httpx.AsyncClient, account: Account) -> tuple[str, str]:
    room_id = await create_room(client, account)
    image = await upload_image(client, account, room_id, make_image(color=(200, 60, 40)))
    return room_id, str(image["id"])


async def generate(client: httpx.AsyncClient, account: Account, room_id: str, image_id: str) -> str:
    response = await client.post(
        "/api/v1/generate",
        json={"session_id": room_id, "input_image_ids": [image_id], "keyword": "minimal"},
        headers=account.headers,
    )
    assert response.status_code == 202, response.text
    record_id: str = response.json()["record_id"]
    return record_id


async def get_record(client: httpx.AsyncClient, account: Account, record_id: str) -> Any:
    response = await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def wait_for(
    client: httpx.AsyncClient,
    account: Account,
    record_id: str,
    check: Callable[[Any], bool],
    timeout: float = 60,
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        record = await get_record(client, account, record_id)
        if check(record):
            return record
        assert time.monotonic() < deadline, f"timed out waiting; last state {record}"
        await asyncio.sleep(0.05)


async def ledger(client: httpx.AsyncClient, account: Account) -> tuple[int, list[dict[str, Any]]]:
    body = (
        await client.get("/api/v1/credits", params={"limit": 100}, headers=account.headers)
    ).json()
    return body["balance"], body["transactions"]


async def assert_balance_is_ledger(client: httpx.AsyncClient, account: Account) -> None:
    balance, rows = await ledger(client, account)
    assert balance == sum(row["delta"] for row in rows), rows


def rows_for(rows: list[dict[str, Any]], record_id: str, reason: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["record_id"] == record_id and row["reason"] == reason]
