"""Abuse bursts against real server processes: one embedded server, and two replicas on Redis."""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REDIS_TEST_URL, Database
from tests.live import LiveServer, server_env, start_server

pytestmark = pytest.mark.slow

LIMITS = {
    "rate_limits_enabled": "true",
    "rate_limit_signup": "3/minute;10/hour",
    "rate_limit_login_account": "5/minute;20/hour",
    "rate_limit_login_address": "1000/minute",
}


async def _signup(client: httpx.AsyncClient, n: int, **headers: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/signup",
        json={"email": f"farm{n}-{secrets.token_hex(3)}@example.com", "password": "pw-12345"},
        headers=headers,
    )


async def _wrong_login(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": "guess-1234"})


def _check_refusals(responses: list[httpx.Response]) -> None:
    for response in responses:
        if response.status_code == 429:
            assert response.json()["error"] == "RateLimited"
            assert 1 <= int(response.headers["Retry-After"]) <= 60


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[LiveServer]:
    env = server_env(tmp_path / "data", f"sqlite+aiosqlite:///{tmp_path / 'lm.db'}", **LIMITS)
    server = start_server(env, tmp_path / "server.log")
    yield server
    server.stop()


async def test_bursts_on_the_embedded_default(embedded: LiveServer) -> None:
    async with embedded.client() as client:
        # 40 sign-ups at once from one address, each claiming another via X-Forwarded-For
        # (no proxy is trusted, so the header must change nothing).
        burst = await asyncio.gather(
            *(_signup(client, n, **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(40))
        )
        assert Counter(r.status_code for r in burst) == {201: 3, 429: 37}
        _check_refusals(burst)

        email = burst[[r.status_code for r in burst].index(201)].json()["user"]["email"]
        guesses = await asyncio.gather(*(_wrong_login(client, email) for _ in range(40)))
        assert Counter(r.status_code for r in guesses) == {401: 5, 429: 35}
        _check_refusals(guesses)


def test_limits_are_shared_by_two_replicas_over_redis(
    tmp_path: Path, postgres: Database, redis_prefix: str
) -> None:
    env = server_env(
        tmp_path / "data",
        postgres.url,
        redis_url=REDIS_TEST_URL,
        redis_prefix=redis_prefix,
        jwt_secret=secrets.token_urlsafe(48),
        **LIMITS,
    )
    replicas = [start_server(env, tmp_path / f"api-{n}.log") for n in (1, 2)]
    try:

        async def burst() -> None:
            clients = [replica.client() for replica in replicas]
            try:
                signups = await asyncio.gather(*(_signup(clients[n % 2], n) for n in range(40)))
                assert Counter(r.status_code for r in signups) == {201: 3, 429: 37}
                # Both replicas refused some: neither kept a count of its own.
                assert {r.url.port for r in signups if r.status_code == 429} == {
                    httpx.URL(replica.base_url).port for replica in replicas
                }
                _check_refusals(signups)
                email = signups[[r.status_code for r in signups].index(201)].json()["user"]["email"]
                guesses = await asyncio.gather(
                    *(_wrong_login(clients[n % 2], email) for n in range(40))
                )
                assert Counter(r.status_code for r in guesses) == {401: 5, 429: 35}
            finally:
                for client in clients:
                    await client.aclose()

        asyncio.run(burst())
    finally:
        for replica in replicas:
            replica.stop()
