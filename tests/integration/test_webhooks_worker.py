"""Webhooks in the scaled deployment: an API process and a `layerminder worker` over Redis and
PostgreSQL. The worker runs the generation and then the delivery jobs (and their retries), and
the API only queues them."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REDIS_TEST_URL, Database, require_service
from tests.helpers import make_image
from tests.integration.workers import LiveWorker, start_worker
from tests.live import LiveServer, server_env, start_server
from tests.webhooks.receiver import Receiver, run_receiver, verify

pytestmark = pytest.mark.slow


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with run_receiver() as state:
        yield state


@pytest.fixture
def scaled(
    tmp_path: Path, postgres: Database, redis_prefix: str
) -> Iterator[tuple[LiveServer, LiveWorker]]:
    require_service("Redis", REDIS_TEST_URL)
    env = server_env(
        tmp_path / "data",
        postgres.url,
        redis_url=REDIS_TEST_URL,
        redis_prefix=redis_prefix,
        jwt_secret=secrets.token_urlsafe(48),
        webhook_allow_private_addresses="true",
        webhook_retry_base_seconds="0.5",
        webhook_sweep_interval_seconds="0.25",
    )
    api = start_server(env, tmp_path / "api.log")
    try:
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            yield api, worker
        finally:
            worker.stop(kill=True)
    finally:
        api.stop()


async def test_the_worker_delivers_and_retries(
    scaled: tuple[LiveServer, LiveWorker], receiver: Receiver
) -> None:
    api, worker = scaled
    receiver.statuses = [500]  # the first attempt fails; the worker's sweep retries it
    async with api.client() as client:
        signed = await client.post(
            "/api/v1/auth/signup", json={"email": "hooks@example.com", "password": "pw-123456"}
        )
        headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        hook = (
            await client.post(
                "/api/v1/webhooks",
                json={"url": receiver.url, "events": ["record.failed", "record.finished"]},
                headers=headers,
            )
        ).json()
        room = (await client.post("/api/v1/layerroom", json={"name": "r"}, headers=headers)).json()
        image = (
            await client.post(
                f"/api/v1/layerroom/{room['id']}/images",
                files={"file": ("a.jpg", make_image(), "image/jpeg")},
                headers=headers,
            )
        ).json()
        started = await client.post(
            "/api/v1/generate",
            json={"session_id": room["id"], "input_image_ids": [image["id"]]},
            headers=headers,
        )
        record_id = started.json()["record_id"]
        log: list[dict[str, Any]] = []
        for _ in range(600):
            log = (
                await client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=headers)
            ).json()
            if log and log[0]["status"] != "pending":
                break
            await asyncio.sleep(0.2)
    # No reference library here: the record ends as record.failed, with its designs.
    [delivery] = log
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 2, delivery
    assert delivery["event"] == "record.failed" and delivery["record_id"] == record_id
    assert len(receiver.received) == 2
    for received in receiver.received:
        payload = verify(hook["secret"], received)
        assert payload["record"]["id"] == record_id and len(payload["record"]["designs"]) == 4
    # The worker sent it; the API only queued it.
    assert "webhook delivery attempt 2" in worker.log()
    assert "webhook delivery attempt" not in api.log()
    assert httpx.codes.is_success(started.status_code)
