"""API keys through HTTP (SQLite and PostgreSQL): shown once, stored hashed, scoped, revoked,
and gone with the account."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event, select

from layerminder.models import ApiKey
from tests.helpers import Account, create_room, make_image, signup, upload_image


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def _create(
    client: httpx.AsyncClient, account: Account, name: str, scopes: list[str]
) -> dict[str, str]:
    response = await client.post(
        "/api/v1/api-keys", json={"name": name, "scopes": scopes}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


async def test_a_key_is_shown_once_stored_hashed_and_works_as_a_token(
    client: httpx.AsyncClient, account: Account, app: FastAPI
) -> None:
    created = await _create(client, account, "ci script", ["generate", "read"])
    key = created["key"]
    assert key.startswith("lm_") and created["prefix"] == key[: len(created["prefix"])]
    assert created["scopes"] == ["generate", "read"] and created["last_used_at"] is None

    async with app.state.runtime.sessionmaker() as session:
        row = (await session.scalars(select(ApiKey))).one()
    # Only a hash of the secret is kept: the key itself appears nowhere in the row.
    stored = " ".join(str(v) for v in (row.name, row.prefix, row.secret_hash, row.scopes))
    assert key not in stored and key.split("_", 2)[2] not in stored
    assert row.secret_hash == hashlib.sha256(key.split("_", 2)[2].encode()).hexdigest()

    me = await client.get("/api/v1/auth/me", headers=_bearer(key))
    assert me.status_code == 200 and me.json()["email"] == account.email
    # Everywhere a token works: a room, an upload and a generation with a `generate` key.
    room = (
        await client.post("/api/v1/layerroom", json={"name": "Via key"}, headers=_bearer(key))
    ).json()["id"]
    upload = await client.post(
        f"/api/v1/layerroom/{room}/images",
        files={"file": ("ref.jpg", make_image(), "image/jpeg")},
        headers=_bearer(key),
    )
    assert upload.status_code == 201, upload.text
    started = await client.post(
        "/api/v1/generate",
        json={"session_id": room, "input_image_ids": [upload.json()["id"]]},
        headers=_bearer(key),
    )
    assert started.status_code == 202, started.text

    listing = await client.get("/api/v1/api-keys", headers=account.headers)
    assert listing.status_code == 200
    [listed] = listing.json()
    assert listed["name"] == "ci script" and listed["prefix"] == created["prefix"]
    assert listed["last_used_at"] is not None and "key" not in listed


async def test_a_burst_of_uses_stamps_the_key_once(
    client: httpx.AsyncClient, account: Account, app: FastAPI
) -> None:
    key = (await _create(client, account, "dashboard", ["read"]))["key"]
    stamps: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            stamps.append(statement)

    engine = app.state.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        # At once, so that every request reads the key before any stamp is written.
        burst = [client.get("/api/v1/auth/me", headers=_bearer(key)) for _ in range(4)]
        assert [r.status_code for r in await asyncio.gather(*burst)] == [200] * 4
        assert (await client.get("/api/v1/auth/me", headers=_bearer(key))).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(stamps) == 1
    [listed] = (await client.get("/api/v1/api-keys", headers=account.headers)).json()
    assert listed["last_used_at"] is not None


async def test_a_read_key_cannot_write_or_spend(
    client: httpx.AsyncClient, account: Account
) -> None:
    room = await create_room(client, account)
    image = await upload_image(client, account, room)
    key = (await _create(client, account, "dashboard", ["read"]))["key"]

    assert (await client.get(f"/api/v1/layerroom/{room}", headers=_bearer(key))).status_code == 200
    generate = await client.post(
        "/api/v1/generate",
        json={"session_id": room, "input_image_ids": [image["id"]]},
        headers=_bearer(key),
    )
    assert generate.status_code == 403
    assert generate.json()["error"] == "InsufficientScope"
    upload = await client.post(
        f"/api/v1/layerroom/{room}/images",
        files={"file": ("ref.jpg", make_image(), "image/jpeg")},
        headers=_bearer(key),
    )
    assert upload.status_code == 403
    new_room = await client.post("/api/v1/layerroom", json={"name": "x"}, headers=_bearer(key))
    assert new_room.status_code == 403
    me = (await client.get("/api/v1/auth/me", headers=account.headers)).json()
    assert me["credits"] == 50  # nothing was spent
    records = await client.get(f"/api/v1/sessions/{room}/records", headers=account.headers)
    assert records.status_code == 200 and records.json()["items"] == []


async def test_keys_cannot_manage_the_account(client: httpx.AsyncClient, account: Account) -> None:
    key = (await _create(client, account, "full", ["generate"]))["key"]
    for method, path, body in (
        ("POST", "/api/v1/api-keys", {"name": "more", "scopes": ["generate"]}),
        ("GET", "/api/v1/api-keys", None),
        ("POST", "/api/v1/auth/logout-all", None),
        ("POST", "/api/v1/auth/password", {"current_password": "x", "new_password": "y" * 10}),
    ):
        response = await client.request(method, path, json=body, headers=_bearer(key))
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"] == "LoginRequired"


async def test_revoked_forged_and_unknown_keys_are_refused(
    client: httpx.AsyncClient, account: Account
) -> None:
    other = await signup(client)
    created = await _create(client, account, "temp", ["read"])
    key = created["key"]
    assert (await client.get("/api/v1/auth/me", headers=_bearer(key))).status_code == 200

    # Someone else's key id cannot be revoked by another account.
    foreign = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=other.headers)
    assert foreign.status_code == 404
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for bad in (forged, "lm_nothing", "lm_" + "0" * 32 + "_secret"):
        refused = await client.get("/api/v1/auth/me", headers=_bearer(bad))
        assert refused.status_code == 401, bad

    revoked = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=account.headers)
    assert revoked.status_code == 204
    refused = await client.get("/api/v1/auth/me", headers=_bearer(key))
    assert refused.status_code == 401 and refused.json()["error"] == "NotAuthenticated"
    assert (await client.get("/api/v1/api-keys", headers=account.headers)).json() == []


async def test_validation_and_a_deleted_accounts_keys(
    client: httpx.AsyncClient, account: Account
) -> None:
    for body in ({"name": "x", "scopes": []}, {"name": "x", "scopes": ["admin"]}, {"name": ""}):
        response = await client.post("/api/v1/api-keys", json=body, headers=account.headers)
        assert response.status_code == 422 and response.json()["error"] == "ValidationError"
    key = (await _create(client, account, "mine", ["generate"]))["key"]
    deleted = await client.request(
        "DELETE", "/api/v1/auth/me", json={"password": "correct horse"}, headers=account.headers
    )
    assert deleted.status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=_bearer(key))).status_code == 401


async def test_openapi_lists_the_key_errors(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert (
        "InsufficientScope" in paths["/api/v1/generate"]["post"]["responses"]["403"]["description"]
    )
    assert "403" not in paths["/api/v1/records/{record_id}"]["get"]["responses"]
    assert "LoginRequired" in paths["/api/v1/api-keys"]["post"]["responses"]["403"]["description"]
