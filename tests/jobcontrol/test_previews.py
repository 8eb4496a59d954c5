"""Live previews (issue 16): `preview` events while the images stage runs, each design's status,
previews readable only by their owner and gone once the record ends; embedded and with the
Redis queue and a worker process. Real server processes, real HTTP, a real SSE client."""

from __future__ import annotations

import asyncio
import io
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image

from tests.conftest import REDIS_TEST_URL, Database
from tests.helpers import STAGES, Account, signup
from tests.integration.workers import start_worker
from tests.jobcontrol.common import (
    TUNABLE_IMAGES,
    generate,
    get_record,
    room_with_input,
    steer,
)
from tests.live import Event, LiveServer, read_stream, server_env, start_server

pytestmark = pytest.mark.slow


def _image_path(url: str) -> str:
    return urlsplit(url).path


async def _check_live_preview(
    client: httpx.AsyncClient, owner: Account, other: Account, preview: dict[str, Any]
) -> None:
    """A preview while it is the latest: a small JPEG at its signed URL, the owner's alone."""
    got = await client.get(preview["url"])
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(got.content)) as image:
        assert max(image.size) <= 384
    path = _image_path(preview["url"])
    assert (await client.get(path, headers=owner.headers)).status_code == 200
    assert (await client.get(path)).status_code == 404
    assert (await client.get(path, headers=other.headers)).status_code == 404
    assert (await client.get(f"{path}/metadata", headers=other.headers)).status_code == 404
    metadata = await client.get(f"{path}/metadata", headers=owner.headers)
    assert metadata.status_code == 200 and metadata.json()["kind"] == "preview"


async def _follow(
    client: httpx.AsyncClient, owner: Account, other: Account, record_id: str
) -> tuple[list[Event], list[Event]]:
    """Every event until `end`: the previews (the first one looked at while it is live) and
    the state events."""
    previews: list[Event] = []
    states: list[Event] = []
    async for event in read_stream(client, record_id, owner.token):
        if event.event == "preview":
            assert event.data is not None
            if not previews:
                await _check_live_preview(client, owner, other, event.data)
            previews.append(event)
        elif event.event != "end":
            states.append(event)
    return previews, states


def _check_previews(previews: list[Event], states: list[Event]) -> None:
    """Each design had its passes before it was made, all before the images stage was ready,
    and the designs were made one by one."""
    assert previews, "no preview event"
    steps: dict[int, list[int]] = {}
    for event in previews:
        data = event.data
        assert data is not None
        position, record = data["position"], data["record"]
        assert set(data) == {"position", "url", "step", "of", "record"}
        assert data["of"] == 3 and 1 <= data["step"] < data["of"]
        # The event carries the full state: a card can be drawn from it alone.
        assert record["image_status"] == "processing" and record["version"] == int(event.id)
        slot = record["designs"][position]
        assert slot["status"] == "running" and slot["url"] is None
        assert slot["preview"] == {"url": data["url"], "step": data["step"], "of": data["of"]}
        steps.setdefault(position, []).append(data["step"])
    assert steps == {0: [1, 2], 1: [1, 2], 2: [1, 2], 3: [1, 2]}
    ready_at = min(int(e.id) for e in states if e.data and e.data["image_status"] == "ready")
    assert all(int(e.id) < ready_at for e in previews)
    # A design turns ready on its own while later ones are still to come.
    partial = [
        [d["status"] for d in e.data["designs"]]
        for e in states
        if e.data and e.data["image_status"] == "processing" and e.data["designs"]
    ]
    assert ["ready", "pending", "pending", "pending"] in partial, partial
    ids = [int(e.id) for e in [*previews, *states]]
    assert len(set(ids)) == len(ids)


async def _assert_gone(client: httpx.AsyncClient, owner: Account, previews: list[Event]) -> None:
    for event in previews:
        assert event.data is not None
        assert (await client.get(event.data["url"])).status_code == 404
        path = _image_path(event.data["url"])
        assert (await client.get(path, headers=owner.headers)).status_code == 404


async def _watch_then_cancel(
    client: httpx.AsyncClient, owner: Account, record_id: str
) -> tuple[dict[str, Any], float]:
    """Wait for the first preview, cancel, and follow the stream to its end: the preview and
    how long after the cancel the stream ended."""
    first: dict[str, Any] = {}
    cancelled_at = 0.0
    async for event in read_stream(client, record_id, owner.token):
        if event.event == "preview" and not first:
            assert event.data is not None
            first = event.data
            cancelled_at = time.monotonic()
            response = await client.post(
                f"/api/v1/records/{record_id}/cancel", headers=owner.headers
            )
            assert response.status_code == 200, response.text
    return first, time.monotonic() - cancelled_at


async def _run_preview_checks(live: LiveServer, control: Path) -> None:
    async with live.client() as client:
        owner, other = await signup(client), await signup(client)
        room_id, image_id = await room_with_input(client, owner)

        # Each preview is held a moment, so one can be looked at while it is the latest.
        steer(control, preview_delay=0.3)
        record_id = await generate(client, owner, room_id, image_id)
        previews, states = await _follow(client, owner, other, record_id)
        _check_previews(previews, states)
        final = await get_record(client, owner, record_id)
        assert [final[s] for s in STAGES] == ["ready"] * 4
        assert [d["status"] for d in final["designs"]] == ["ready"] * 4
        assert all(d["preview"] is None and d["url"] for d in final["designs"])
        assert len(final["image_urls"]) == 4
        await _assert_gone(client, owner, previews)

        # Cancelled while a preview shows: the stream ends at once, the preview is gone with it.
        steer(control, preview_delay=60)
        record_id = await generate(client, owner, room_id, image_id)
        first, took = await _watch_then_cancel(client, owner, record_id)
        assert first, "no preview before the cancel"
        assert took < 2.0, f"stream ended {took:.2f}s after the cancel"
        assert (await client.get(first["url"])).status_code == 404
        cancelled = await get_record(client, owner, record_id)
        assert cancelled["image_status"] == "cancelled" and cancelled["refunded"]
        assert cancelled["designs"] == []
        # The job dropped its work: nothing more is written once the pause would be over.
        steer(control)
        await asyncio.sleep(1.5)
        later = await get_record(client, owner, record_id)
        assert later["version"] == cancelled["version"] and later["designs"] == []


async def test_previews_embedded(server: tuple[LiveServer, Path]) -> None:
    live, control = server
    try:
        await _run_preview_checks(live, control)
    finally:
        steer(control)


@pytest.fixture
def deployment(
    tmp_path: Path, postgres: Database, redis_prefix: str
) -> Iterator[tuple[LiveServer, Path]]:
    control = tmp_path / "control.json"
    steer(control)
    env = server_env(
        tmp_path / "data",
        postgres.url,
        redis_url=REDIS_TEST_URL,
        redis_prefix=redis_prefix,
        seed_library="true",
        signup_credits="20",
        jwt_secret=secrets.token_urlsafe(48),
        image_provider=TUNABLE_IMAGES,
        test_control_file=str(control),
    )
    api = start_server(env, tmp_path / "api.log")
    worker = start_worker(env, tmp_path / "worker.log", concurrency=1)
    try:
        yield api, control
    finally:
        worker.stop(kill=True)
        api.stop()


@pytest.mark.postgres
@pytest.mark.redis
async def test_previews_with_the_redis_queue_and_a_worker(
    deployment: tuple[LiveServer, Path],
) -> None:
    """The worker makes and removes the previews; the API process streams them (Redis)."""
    api, control = deployment
    await _run_preview_checks(api, control)
