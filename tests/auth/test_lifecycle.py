"""Account lifecycle through HTTP (SQLite and PostgreSQL): change password, log out
everywhere, delete the account and everything it made."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from layerminder.models import (
    ApiKey,
    CreditAccount,
    CreditTransaction,
    Image,
    Record,
    Room,
    RoomPin,
    User,
    WebhookEndpoint,
)
from tests.helpers import Account, create_room, signup, upload_image


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_changing_the_password_ends_the_old_tokens(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    other_device = (await _login(client, account.email, "correct horse")).json()["access_token"]

    wrong = await client.post(
        "/api/v1/auth/password",
        json={"current_password": "not it", "new_password": "brand new pass"},
        headers=account.headers,
    )
    assert wrong.status_code == 403
    assert wrong.json()["error"] == "WrongPassword"
    assert (await client.get("/api/v1/auth/me", headers=account.headers)).status_code == 200

    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": "correct horse", "new_password": "brand new pass"},
        headers=account.headers,
    )
    assert changed.status_code == 200, changed.text
    new_token = changed.json()["access_token"]
    for old in (account.token, other_device):
        refused = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {old}"})
        assert refused.status_code == 401
        assert "ended" in refused.json()["detail"]
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {new_token}"})
    assert me.status_code == 200
    assert (await _login(client, account.email, "correct horse")).status_code == 401
    assert (await _login(client, account.email, "brand new pass")).status_code == 200


async def test_log_out_everywhere(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    room = await create_room(client, account)
    laptop = (await _login(client, account.email, "correct horse")).json()["access_token"]
    image = await upload_image(client, account, room)
    record = await client.post(
        "/api/v1/generate",
        json={"session_id": room, "input_image_ids": [image["id"]]},
        headers=account.headers,
    )
    ticket = await client.post(
        f"/api/v1/records/{record.json()['record_id']}/stream-ticket", headers=account.headers
    )

    ended = await client.post(
        "/api/v1/auth/logout-all", headers={"Authorization": f"Bearer {laptop}"}
    )
    assert ended.status_code == 204
    for token in (account.token, laptop):
        me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 401
    stream = await client.get(
        f"/api/v1/records/{record.json()['record_id']}/stream",
        params={"ticket": ticket.json()["ticket"]},
    )
    assert stream.status_code == 401  # tickets carry the session's version too
    fresh = (await _login(client, account.email, "correct horse")).json()["access_token"]
    assert (
        await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {fresh}"})
    ).status_code == 200


async def _finished(client: httpx.AsyncClient, account: Account, room: str) -> dict[str, Any]:
    image = await upload_image(client, account, room)
    started = await client.post(
        "/api/v1/generate",
        json={"session_id": room, "input_image_ids": [image["id"]], "keyword": "oak"},
        headers=account.headers,
    )
    record_id = started.json()["record_id"]
    for _ in range(600):
        record: dict[str, Any] = (
            await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
        ).json()
        if record["done"]:
            return record
        await asyncio.sleep(0.1)
    raise AssertionError("the record did not finish")


async def _rows(app: FastAPI, user_id: str) -> dict[str, int]:
    uid = uuid.UUID(user_id)
    counts = {
        "users": select(func.count()).select_from(User).where(User.id == uid),
        "rooms": select(func.count()).select_from(Room).where(Room.owner_id == uid),
        "images": select(func.count()).select_from(Image).where(Image.owner_id == uid),
        "records": select(func.count()).select_from(Record).where(Record.owner_id == uid),
        "pins": select(func.count())
        .select_from(RoomPin)
        .join(Room, Room.id == RoomPin.room_id)
        .where(Room.owner_id == uid),
        "balance": select(func.count())
        .select_from(CreditAccount)
        .where(CreditAccount.user_id == uid),
        "ledger": select(func.count())
        .select_from(CreditTransaction)
        .where(CreditTransaction.user_id == uid),
        "api_keys": select(func.count()).select_from(ApiKey).where(ApiKey.user_id == uid),
        "webhooks": select(func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.user_id == uid),
    }
    async with app.state.runtime.sessionmaker() as session:
        return {name: int(await session.scalar(q) or 0) for name, q in counts.items()}


def _stored(settings_dir: Path, user_id: str) -> list[Path]:
    return [p for p in (settings_dir / "storage").rglob("*") if p.is_file() and user_id in str(p)]


async def test_deleting_the_account_erases_it_and_keeps_the_ledger(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    data_dir = app.state.runtime.settings.data_dir
    account = await signup(client)
    keeper = await signup(client)
    room = await create_room(client, account)
    record = await _finished(client, account, room)
    design = record["designs"][0]
    pinned = await client.post(
        f"/api/v1/layerroom/{room}/pins",
        json={"image_id": design["image_id"]},
        headers=account.headers,
    )
    assert pinned.status_code == 201, pinned.text
    keeper_room = await create_room(client, keeper)
    await _finished(client, keeper, keeper_room)
    key = await client.post(
        "/api/v1/api-keys", json={"name": "ci", "scopes": ["read"]}, headers=account.headers
    )
    assert key.status_code == 201, key.text
    before = await _rows(app, account.id)
    assert before["images"] >= 5 and before["pins"] == 1 and before["ledger"] == 2
    assert before["api_keys"] == 1
    assert _stored(data_dir, account.id)

    wrong = await client.request(
        "DELETE", "/api/v1/auth/me", json={"password": "not it"}, headers=account.headers
    )
    assert wrong.status_code == 403
    assert await _rows(app, account.id) == before

    deleted = await client.request(
        "DELETE", "/api/v1/auth/me", json={"password": "correct horse"}, headers=account.headers
    )
    assert deleted.status_code == 204, deleted.text
    # The token stops working at once; the account cannot log in; its signed URLs are dead.
    assert (await client.get("/api/v1/auth/me", headers=account.headers)).status_code == 401
    by_key = {"Authorization": f"Bearer {key.json()['key']}"}
    assert (await client.get("/api/v1/auth/me", headers=by_key)).status_code == 401
    assert (await _login(client, account.email, "correct horse")).status_code == 401
    assert (await client.get(design["url"])).status_code == 404

    assert await _rows(app, account.id) == dict.fromkeys(before, 0)
    assert _stored(data_dir, account.id) == []
    async with app.state.runtime.sessionmaker() as session:
        orphans = (
            await session.scalars(
                select(CreditTransaction).where(CreditTransaction.user_id.is_(None))
            )
        ).all()
    # The ledger keeps its two rows (sign-up, generation), with nothing that names the user.
    assert sorted(t.delta for t in orphans) == [-1, 50]
    assert all(t.idempotency_key is None and t.note == "" for t in orphans)
    # The other account is untouched.
    assert (await client.get("/api/v1/credits", headers=keeper.headers)).json()["balance"] == 49
    assert _stored(data_dir, keeper.id)
    assert (await _rows(app, keeper.id))["records"] == 1
