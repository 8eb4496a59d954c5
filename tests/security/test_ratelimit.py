"""Rate limits through HTTP (ASGI app, SQLite and PostgreSQL): 429, Retry-After, nothing written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from layerminder.app import create_app
from layerminder.models import Image, Record, User
from tests.conftest import Database, make_settings
from tests.helpers import create_room, make_image, signup, upload_image


async def _client(tmp_path: Path, database: Database, **limits: Any) -> AsyncIterator[Any]:
    app = create_app(make_settings(tmp_path, database, rate_limits_enabled=True, **limits))
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http, app


async def _count(app: Any, model: Any) -> int:
    async with app.state.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _assert_limited(response: httpx.Response, *, at_most: int) -> int:
    assert response.status_code == 429, response.text
    assert response.json()["error"] == "RateLimited"
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= at_most
    return retry_after


async def test_signup_burst_from_one_address_is_limited(tmp_path: Path, database: Database) -> None:
    async for client, app in _client(tmp_path, database, rate_limit_signup="3/minute"):
        statuses = []
        for n in range(6):
            response = await client.post(
                "/api/v1/auth/signup",
                json={"email": f"farm{n}@example.com", "password": "pw-12345"},
            )
            statuses.append(response.status_code)
        assert statuses == [201, 201, 201, 429, 429, 429]
        _assert_limited(response, at_most=60)
        assert await _count(app, User) == 3  # the refused sign-ups wrote nothing


async def test_login_guessing_waits_longer_at_each_tier(tmp_path: Path, database: Database) -> None:
    async for client, _ in _client(
        tmp_path, database, rate_limit_login_account="2/8 seconds;4/hour"
    ):
        await signup(client, "victim@example.com")
        wrong = {"email": "victim@example.com", "password": "guess-123"}
        for _ in range(2):
            assert (await client.post("/api/v1/auth/login", json=wrong)).status_code == 401
        wait = _assert_limited(await client.post("/api/v1/auth/login", json=wrong), at_most=8)
        # While refused, not even the right password is checked.
        right = {"email": "VICTIM@example.com", "password": "correct horse"}
        _assert_limited(await client.post("/api/v1/auth/login", json=right), at_most=8)
        await asyncio.sleep(wait + 0.1)
        for _ in range(2):
            assert (await client.post("/api/v1/auth/login", json=wrong)).status_code == 401
        # The next tier: the wait grows from seconds to most of an hour.
        refused = await client.post("/api/v1/auth/login", json=wrong)
        assert _assert_limited(refused, at_most=3600) > 60


async def test_a_successful_login_ends_the_count(tmp_path: Path, database: Database) -> None:
    async for client, _ in _client(tmp_path, database, rate_limit_login_account="3/hour"):
        await signup(client, "forgetful@example.com")
        wrong = {"email": "forgetful@example.com", "password": "guess-123"}
        right = {"email": "forgetful@example.com", "password": "correct horse"}
        for _ in range(2):
            assert (await client.post("/api/v1/auth/login", json=wrong)).status_code == 401
        assert (await client.post("/api/v1/auth/login", json=right)).status_code == 200
        for _ in range(2):
            assert (await client.post("/api/v1/auth/login", json=wrong)).status_code == 401
        assert (await client.post("/api/v1/auth/login", json=right)).status_code == 200


async def test_login_is_limited_per_address_across_accounts(
    tmp_path: Path, database: Database
) -> None:
    async for client, _ in _client(tmp_path, database, rate_limit_login_address="4/minute"):
        statuses = [
            (
                await client.post(
                    "/api/v1/auth/login", json={"email": f"a{n}@example.com", "password": "x"}
                )
            ).status_code
            for n in range(6)
        ]
        assert statuses == [401] * 4 + [429] * 2


async def test_generate_and_upload_are_limited_per_user(tmp_path: Path, database: Database) -> None:
    async for client, app in _client(
        tmp_path, database, rate_limit_generate="2/minute", rate_limit_upload="3/minute"
    ):
        account = await signup(client)
        other = await signup(client)
        room = await create_room(client, account)
        images = [(await upload_image(client, account, room))["id"] for _ in range(3)]
        refused = await client.post(
            f"/api/v1/layerroom/{room}/images",
            files={"file": ("x.jpg", make_image(), "image/jpeg")},
            headers=account.headers,
        )
        _assert_limited(refused, at_most=60)
        assert await _count(app, Image) == 3
        # Another user's uploads are counted apart.
        await upload_image(client, other, await create_room(client, other))

        body = {"session_id": room, "input_image_ids": images[:1], "keyword": "oak"}
        for _ in range(2):
            started = await client.post("/api/v1/generate", json=body, headers=account.headers)
            assert started.status_code == 202, started.text
        _assert_limited(
            await client.post("/api/v1/generate", json=body, headers=account.headers), at_most=60
        )
        assert await _count(app, Record) == 2
        me = await client.get("/api/v1/auth/me", headers=account.headers)
        assert me.json()["credits"] == 48  # the refused one spent nothing


async def test_forwarded_for_counts_only_from_a_trusted_proxy(
    tmp_path: Path, database: Database
) -> None:
    def attempt(client: httpx.AsyncClient, n: int, address: str) -> Any:
        return client.post(
            "/api/v1/auth/signup",
            json={"email": f"p{address}-{n}@example.com", "password": "pw-12345"},
            headers={"X-Forwarded-For": f"{address}, 10.0.0.9"},
        )

    # The test client's peer is 127.0.0.1; trusted here, together with the inner proxy.
    async for client, _ in _client(
        tmp_path, database, rate_limit_signup="2/minute", trusted_proxies="127.0.0.1,10.0.0.0/8"
    ):
        for address in ("203.0.113.7", "198.51.100.4"):
            assert [(await attempt(client, n, address)).status_code for n in range(3)] == [
                201,
                201,
                429,
            ]
    # Untrusted (the default): the header is ignored, every attempt is the same client.
    async for client, _ in _client(tmp_path / "untrusted", database, rate_limit_signup="2/minute"):
        statuses = [(await attempt(client, n, f"192.0.2.{n}")).status_code for n in range(3)]
        assert statuses == [201, 201, 429]


def test_a_bad_limit_setting_fails_at_start(tmp_path: Path, database: Database) -> None:
    with pytest.raises(ValueError, match="rate_limit_generate"):
        make_settings(tmp_path, database, rate_limit_generate="ten a minute")
