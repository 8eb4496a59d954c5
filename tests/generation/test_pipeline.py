"""The generation pipeline end to end: a real server process, real HTTP, a real SSE client."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from layerminder.models import Stage
from tests.conftest import Database
from tests.helpers import STAGES, Account, create_room, make_image, signup, upload_image
from tests.live import LiveServer, events_until_end, server_env, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def happy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("happy")
    env = server_env(root / "data", f"sqlite+aiosqlite:///{root / 'lm.db'}", seed_library="true")
    server = start_server(env, root / "server.log")
    yield server
    server.stop()


def _server(tmp_path: Path, database: Database, **settings: str) -> LiveServer:
    env = server_env(tmp_path / "data", database.url, **settings)
    return start_server(env, tmp_path / "server.log")


async def _room_with_inputs(
    client: httpx.AsyncClient, account: Account, count: int
) -> tuple[str, list[str]]:
    room_id = await create_room(client, account)
    colours = [(200, 60, 40), (40, 90, 160), (230, 200, 120), (60, 60, 60)]
    ids = [
        (await upload_image(client, account, room_id, make_image(color=colours[i % 4])))["id"]
        for i in range(count)
    ]
    return room_id, ids


async def _generate(
    client: httpx.AsyncClient,
    account: Account,
    room_id: str,
    image_ids: list[str],
    keyword: str | None = "minimal",
    key: str | None = None,
) -> httpx.Response:
    headers = dict(account.headers)
    if key:
        headers["Idempotency-Key"] = key
    body: dict[str, object] = {"session_id": room_id, "input_image_ids": image_ids}
    if keyword is not None:
        body["keyword"] = keyword
    return await client.post("/api/v1/generate", json=body, headers=headers)


async def _balance(client: httpx.AsyncClient, account: Account) -> tuple[int, list[str]]:
    body = (await client.get("/api/v1/credits", headers=account.headers)).json()
    return body["balance"], [t["reason"] for t in body["transactions"]]


async def _final_record_event(
    client: httpx.AsyncClient, account: Account, inputs: int
) -> dict[str, Any]:
    """A new room with `inputs` references, one generation followed to its end: the record as
    its last event before `end` sent it."""
    room_id, image_ids = await _room_with_inputs(client, account, inputs)
    record_id = (await _generate(client, account, room_id, image_ids)).json()["record_id"]
    final = (await events_until_end(client, record_id, account.token))[-2].data
    assert final is not None
    return final


@pytest.mark.parametrize("inputs", [1, 4])
async def test_happy_path_streams_every_stage_to_the_end(
    happy_server: LiveServer, inputs: int
) -> None:
    async with happy_server.client() as client:
        account = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, account, inputs)
        response = await _generate(client, account, room_id, image_ids)
        assert response.status_code == 202, response.text
        body = response.json()
        assert body["image_status"] == "pending"
        record_id = body["record_id"]

        events = await events_until_end(client, record_id, account.token)
        names = [e.event for e in events]
        assert names[-1] == "end"
        for stage in Stage:
            assert stage in names
        ids = [int(e.id) for e in events[:-1]]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        final = events[-2].data
        assert final is not None
        assert all(final[s] == "ready" for s in STAGES), final
        assert final["done"] is True and final["refunded"] is False

        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        # `stages` lists every stage of the one Stage enum, in pipeline order (issue 26).
        assert record["stages"] == [
            {"stage": stage.value, "status": "ready", "error": None} for stage in Stage
        ]
        assert len(record["designs"]) == 4
        assert [d["position"] for d in record["designs"]] == [0, 1, 2, 3]
        design = await client.get(record["designs"][0]["url"])
        assert design.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(design.content)).size == (1024, 1024)
        assert len({d["image_id"] for d in record["designs"]}) == 4
        assert len(record["keywords"]) == 12 == len(set(record["keywords"]))
        assert all(k == k.lower() and " " not in k for k in record["keywords"])
        assert "minimal" in record["keywords"]
        assert record["name"] and record["material"] and record["title"]
        assert len(record["story"].split("\n\n")) == 2
        # Seat height joined W/D/H with the dimension checks (issue 19); the local story states it.
        assert set(record["dimensions"]) == {"width_cm", "depth_cm", "height_cm", "seat_height_cm"}
        assert all(isinstance(v, int) and v > 0 for v in record["dimensions"].values())
        recommendations = record["recommendations"]
        assert len(recommendations) == 3
        scores = [r["score"] for r in recommendations]
        assert scores == sorted(scores, reverse=True)
        assert (await client.get(recommendations[0]["url"])).status_code == 200
        assert record["image_provider"] == "local" and record["story_provider"] == "local"
        assert record["embedder_model"] == "basic-descriptor-v1"
        assert len(record["analysis"]["design_input_similarity"][0]) == inputs

        assert await _balance(client, account) == (49, ["generation", "signup"])


async def test_stream_on_a_finished_record_sends_state_then_end(happy_server: LiveServer) -> None:
    async with happy_server.client() as client:
        account = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, account, 2)
        record_id = (await _generate(client, account, room_id, image_ids, keyword=None)).json()[
            "record_id"
        ]
        await events_until_end(client, record_id, account.token)
        again = await events_until_end(client, record_id, account.token, use_header=True)
        assert [e.event for e in again] == ["state", "end"]
        assert again[0].data is not None and again[0].data["done"] is True


async def test_idempotency_key_gives_the_same_record_and_one_debit(
    happy_server: LiveServer,
) -> None:
    async with happy_server.client() as client:
        account = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, account, 2)
        first, second = await asyncio.gather(
            _generate(client, account, room_id, image_ids, key="click-1"),
            _generate(client, account, room_id, image_ids, key="click-1"),
        )
        assert first.status_code == second.status_code == 202
        assert first.json()["record_id"] == second.json()["record_id"]
        await events_until_end(client, first.json()["record_id"], account.token)
        balance, reasons = await _balance(client, account)
        assert balance == 49 and reasons.count("generation") == 1
        listing = await client.get(f"/api/v1/sessions/{room_id}/records", headers=account.headers)
        assert listing.json()["total"] == 1


async def test_bad_generate_requests_write_nothing(happy_server: LiveServer) -> None:
    async with happy_server.client() as client:
        alice = await signup(client)
        bob = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, alice, 4)
        bob_room, bob_ids = await _room_with_inputs(client, bob, 1)
        fifth = (await upload_image(client, alice, room_id))["id"]

        cases = [
            (alice, room_id, [], 422),
            (alice, room_id, [*image_ids, fifth], 422),
            (alice, room_id, [image_ids[0], image_ids[0]], 422),
            (alice, room_id, [bob_ids[0]], 404),
            (alice, bob_room, [image_ids[0]], 404),
            (bob, room_id, image_ids[:1], 404),
        ]
        for account, room, ids, status in cases:
            response = await _generate(client, account, room, ids)
            assert response.status_code == status, (ids, response.text)
            assert set(response.json()) == {"error", "detail"}
        alias = await client.post(
            "/api/v1/generate",
            json={"session_id": room_id, "input_image_keys": []},
            headers=alice.headers,
        )
        assert alias.status_code == 422
        anonymous = await client.post(
            "/api/v1/generate", json={"session_id": room_id, "input_image_ids": image_ids}
        )
        assert anonymous.status_code == 401
        assert await _balance(client, alice) == (50, ["signup"])
        listing = await client.get(f"/api/v1/sessions/{room_id}/records", headers=alice.headers)
        assert listing.json()["total"] == 0


async def test_generated_designs_can_be_inputs_and_alias_works(
    happy_server: LiveServer,
) -> None:
    async with happy_server.client() as client:
        account = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, account, 1)
        accepted = await client.post(
            "/api/v1/generate",
            json={"session_id": room_id, "input_image_keys": image_ids},
            headers=account.headers,
        )
        assert accepted.status_code == 202
        record_id = accepted.json()["record_id"]
        events = await events_until_end(client, record_id, account.token)
        design_id = events[-2].data["designs"][0]["image_id"]  # type: ignore[index]
        again = await _generate(client, account, room_id, [design_id])
        assert again.status_code == 202, again.text


async def test_record_and_stream_are_owner_only(happy_server: LiveServer) -> None:
    async with happy_server.client() as client:
        alice = await signup(client)
        bob = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, alice, 1)
        record_id = (await _generate(client, alice, room_id, image_ids)).json()["record_id"]
        path = f"/api/v1/records/{record_id}"
        assert (await client.get(path, headers=bob.headers)).status_code == 404
        stream = f"{path}/stream"
        assert (await client.get(stream, headers=bob.headers)).status_code == 404
        assert (await client.post(f"{stream}-ticket", headers=bob.headers)).status_code == 404
        assert (await client.get(stream)).status_code == 401
        assert (await client.get(stream, params={"ticket": "junk"})).status_code == 401
        await events_until_end(client, record_id, alice.token)
        history = await client.get(f"/api/v1/sessions/{room_id}/records", headers=bob.headers)
        assert history.status_code == 404


async def test_history_is_paginated_newest_first(happy_server: LiveServer) -> None:
    async with happy_server.client() as client:
        account = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, account, 1)
        record_ids = []
        for keyword in ("oak", "steel", "velvet"):
            response = await _generate(client, account, room_id, image_ids, keyword=keyword)
            record_ids.append(response.json()["record_id"])
        for record_id in record_ids:
            await events_until_end(client, record_id, account.token)
        page = await client.get(
            f"/api/v1/sessions/{room_id}/records", params={"limit": 2}, headers=account.headers
        )
        body = page.json()
        assert body["total"] == 3
        assert [r["keyword"] for r in body["items"]] == ["velvet", "steel"]
        assert all(len(r["designs"]) == 4 for r in body["items"])


async def test_failing_image_stage_refunds_the_credit(tmp_path: Path, database: Database) -> None:
    server = _server(
        tmp_path, database, image_provider="tests.fakes.providers:FailingImageProvider"
    )
    try:
        async with server.client() as client:
            account = await signup(client)
            final = await _final_record_event(client, account, 2)
            assert final["image_status"] == "error"
            assert "content policy" in final["image_error"]
            assert final["story_status"] == final["recommendation_status"] == "error"
            assert final["story_error"].startswith("not run")
            assert final["refunded"] is True and final["designs"] == []
            assert await _balance(client, account) == (50, ["refund", "generation", "signup"])
    finally:
        server.stop()


async def test_failing_story_stage_keeps_designs_and_the_debit(
    tmp_path: Path, database: Database
) -> None:
    server = _server(
        tmp_path, database, story_provider="tests.fakes.providers:FailingStoryProvider"
    )
    try:
        async with server.client() as client:
            account = await signup(client)
            final = await _final_record_event(client, account, 1)
            assert final["image_status"] == "ready" and len(final["designs"]) == 4
            assert final["story_status"] == final["keywords_status"] == "error"
            assert final["story_error"] == "the story model is unavailable"
            assert final["recommendation_status"] == "error"
            # The list says the same as the flat fields, errors included.
            assert [(s["stage"], s["status"], s["error"]) for s in final["stages"]] == [
                (stage.value, final[stage.status_field], final[stage.error_field])
                for stage in Stage
            ]
            assert final["refunded"] is False
            assert await _balance(client, account) == (49, ["generation", "signup"])
    finally:
        server.stop()


async def test_empty_library_is_a_clear_recommendation_error(tmp_path: Path) -> None:
    database = Database("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'lm.db'}")
    server = _server(tmp_path, database)
    try:
        async with server.client() as client:
            account = await signup(client)
            final = await _final_record_event(client, account, 1)
            assert final["story_status"] == "ready"
            assert final["recommendation_status"] == "error"
            assert "library is empty" in final["recommendation_error"]
    finally:
        server.stop()


async def test_a_library_indexed_at_another_precision_is_a_clear_recommendation_error(
    tmp_path: Path,
) -> None:
    import subprocess

    from tests.live import CLI, REPO_ROOT

    database = Database("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'lm.db'}")
    tiny_clip = REPO_ROOT / "tests" / "fixtures" / "tiny_clip"
    env = server_env(
        tmp_path / "data", database.url, clip_model_dir=tiny_clip, clip_precision="fp32"
    )
    folder = tmp_path / "references"
    folder.mkdir()
    for i, colour in enumerate([(200, 60, 40), (40, 90, 160)]):
        (folder / f"ref-{i}.png").write_bytes(make_image(color=colour))
    imported = await asyncio.to_thread(
        subprocess.run,
        [CLI, "library", "import", str(folder)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    # The same model at int8: its vectors are not comparable with the fp32 index.
    server = start_server({**env, "LAYERMINDER_CLIP_PRECISION": "int8"}, tmp_path / "server.log")
    try:
        async with server.client() as client:
            account = await signup(client)
            final = await _final_record_event(client, account, 1)
            assert final["recommendation_status"] == "error"
            error = final["recommendation_error"]
            assert "unexpected error" not in error
            assert ":fp32" in error and ":int8" in error and "layerminder library reindex" in error
    finally:
        server.stop()


async def test_concurrent_generates_never_overspend(tmp_path: Path, database: Database) -> None:
    server = _server(tmp_path, database, signup_credits="5")
    try:
        async with server.client() as client:
            account = await signup(client)
            room_id, image_ids = await _room_with_inputs(client, account, 1)
            responses = await asyncio.gather(
                *(_generate(client, account, room_id, image_ids) for _ in range(20))
            )
            statuses = sorted(r.status_code for r in responses)
            assert statuses == [202] * 5 + [402] * 15
            refused = next(r for r in responses if r.status_code == 402)
            assert refused.json()["error"] == "InsufficientCredits"
            for response in responses:
                if response.status_code == 202:
                    await events_until_end(client, response.json()["record_id"], account.token)
            balance, reasons = await _balance(client, account)
            assert balance == 0
            assert reasons.count("generation") == 5 and reasons.count("signup") == 1
            listing = await client.get(
                f"/api/v1/sessions/{room_id}/records", headers=account.headers
            )
            assert listing.json()["total"] == 5
    finally:
        server.stop()


async def test_records_left_by_a_killed_process_are_resumed(
    tmp_path: Path, database: Database
) -> None:
    slow = _server(
        tmp_path,
        database,
        image_provider="tests.fakes.providers:SlowImageProvider",
        job_lease_seconds="2",
    )
    try:
        async with slow.client() as client:
            account = await signup(client)
            room_id, image_ids = await _room_with_inputs(client, account, 2)
            record_id = (await _generate(client, account, room_id, image_ids)).json()["record_id"]
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                record = (
                    await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
                ).json()
                if record["image_status"] == "processing":
                    break
                await asyncio.sleep(0.1)
            assert record["image_status"] == "processing"
    finally:
        slow.stop(kill=True)

    await asyncio.sleep(2.5)  # let the dead job's lease expire
    fresh = _server(tmp_path, database, job_lease_seconds="2")
    try:
        async with fresh.client() as client:
            await events_until_end(client, record_id, account.token)
            response = await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
            final = response.json()
            assert all(final[s] in ("ready", "error") for s in STAGES)
            assert final["image_status"] == "ready" and len(final["designs"]) == 4
            assert await _balance(client, account) == (49, ["generation", "signup"])
    finally:
        fresh.stop()


async def test_public_room_shows_its_finished_designs(happy_server: LiveServer) -> None:
    async with happy_server.client() as client:
        account = await signup(client)
        room_id, image_ids = await _room_with_inputs(client, account, 1)
        record_id = (await _generate(client, account, room_id, image_ids)).json()["record_id"]
        await events_until_end(client, record_id, account.token)
        room = await client.patch(
            f"/api/v1/layerroom/{room_id}", json={"is_public": True}, headers=account.headers
        )
        public = await client.get(f"/api/v1/public/rooms/{room.json()['slug']}")
        assert public.status_code == 200
        records = public.json()["records"]
        assert [r["id"] for r in records] == [record_id]
        assert (await client.get(records[0]["designs"][0]["url"])).status_code == 200
