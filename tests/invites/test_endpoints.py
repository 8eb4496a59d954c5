"""Sign-up modes and invite codes through HTTP (ASGI app, SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from layerminder.app import create_app
from layerminder.models import User
from tests.conftest import Database, make_settings
from tests.helpers import make_admin, signup


async def _client(tmp_path: Path, database: Database, **settings: Any) -> AsyncIterator[Any]:
    app = create_app(make_settings(tmp_path, database, **settings))
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http, app


def _signup(client: httpx.AsyncClient, email: str, code: str | None = None) -> Any:
    body: dict[str, Any] = {"email": email, "password": "long-password"}
    if code is not None:
        body["invite_code"] = code
    return client.post("/api/v1/auth/signup", json=body)


async def _users(app: Any) -> int:
    async with app.state.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def test_invite_only_signup(tmp_path: Path, database: Database) -> None:
    async for client, app in _client(tmp_path, database, signup_mode="open"):
        admin = await make_admin(client, app)
        user = await signup(client)
    # The same database, now invite-only.
    async for client, app in _client(tmp_path, database, signup_mode="invite"):
        assert (await client.get("/api/v1/auth/config")).json() == {"signup_mode": "invite"}
        refused = await _signup(client, "no-code@example.com")
        assert refused.status_code == 403
        assert refused.json()["error"] == "InviteRequired"
        assert (await _signup(client, "bad-code@example.com", "inv_made-up")).status_code == 403

        denied = await client.post("/api/v1/invites", json={}, headers=user.headers)
        assert denied.status_code == 403
        created = await client.post(
            "/api/v1/invites", json={"max_uses": 2, "note": "pilot studio"}, headers=admin.headers
        )
        assert created.status_code == 201, created.text
        invite = created.json()
        code = invite["code"]
        assert code.startswith("inv_") and invite["uses"] == 0 and invite["expires_at"]

        assert (await _signup(client, "one@example.com", code)).status_code == 201
        # A failed sign-up (the email is taken) does not spend a use.
        assert (await _signup(client, "ONE@example.com", code)).status_code == 409
        assert (await _signup(client, "two@example.com", code)).status_code == 201
        used_up = await _signup(client, "three@example.com", code)
        assert used_up.status_code == 403 and "used up" in used_up.json()["detail"]

        listing = await client.get("/api/v1/invites", headers=admin.headers)
        assert [(i["uses"], i["max_uses"], i["note"]) for i in listing.json()] == [
            (2, 2, "pilot studio")
        ]
        assert "code" not in listing.json()[0]  # shown once, at creation
        assert await _users(app) == 4


async def test_expired_and_revoked_codes_are_refused(tmp_path: Path, database: Database) -> None:
    async for client, app in _client(tmp_path, database, signup_mode="open"):
        admin = await make_admin(client, app)
    async for client, _ in _client(tmp_path, database, signup_mode="invite"):
        short = await client.post(
            "/api/v1/invites", json={"expires_in_hours": 0.0003}, headers=admin.headers
        )
        await asyncio.sleep(1.2)
        expired = await _signup(client, "late@example.com", short.json()["code"])
        assert expired.status_code == 403 and "expired" in expired.json()["detail"]

        revoked = (await client.post("/api/v1/invites", json={}, headers=admin.headers)).json()
        gone = await client.delete(f"/api/v1/invites/{revoked['id']}", headers=admin.headers)
        assert gone.status_code == 204
        assert (await _signup(client, "revoked@example.com", revoked["code"])).status_code == 403
        again = await client.delete(f"/api/v1/invites/{revoked['id']}", headers=admin.headers)
        assert again.status_code == 404


async def test_closed_signup_and_the_defaults(tmp_path: Path, database: Database) -> None:
    async for client, app in _client(tmp_path, database, signup_mode="closed"):
        closed = await _signup(client, "anyone@example.com")
        assert closed.status_code == 403 and closed.json()["error"] == "SignupClosed"
        assert await _users(app) == 0
    # Unset: open in development, invite-only in production.
    async for client, _ in _client(tmp_path / "dev", database):
        assert (await client.get("/api/v1/auth/config")).json() == {"signup_mode": "open"}
    production = make_settings(tmp_path, database, env="production", jwt_secret="x" * 40)
    assert production.effective_signup_mode == "invite"
