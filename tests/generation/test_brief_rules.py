"""Issue 28's rules through the API (a real server process, real HTTP, the local providers):
the named type, form and colour references, region edits, stories, refine, determinism."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from layerminder.providers.local.editing import hue_of
from layerminder.providers.local.measures import (
    dominant_hue,
    hue_distance,
    luminance_ssim,
    region_hue,
)
from layerminder.providers.local.spec import read_spec
from layerminder.providers.local.vocabulary_brief import COLOURS
from tests.helpers import Account, create_room, signup, upload_image
from tests.live import LiveServer, events_until_end, server_env, start_server
from tests.providers.local.photos import BLUE, photo
from tests.providers.local.shapes import MUSTARD, seat_mask, slipper_chair

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("brief-rules")
    env = server_env(root / "data", f"sqlite+aiosqlite:///{root / 'lm.db'}")
    live = start_server(env, root / "server.log")
    yield live
    live.stop()


async def _record(
    client: httpx.AsyncClient, account: Account, body: dict[str, Any]
) -> dict[str, Any]:
    accepted = await client.post("/api/v1/generate", json=body, headers=account.headers)
    assert accepted.status_code == 202, accepted.text
    record_id = accepted.json()["record_id"]
    await events_until_end(client, record_id, account.token)
    record: dict[str, Any] = (
        await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
    ).json()
    assert record["image_status"] == "ready" and record["story_status"] == "ready", record
    return record


async def _designs(client: httpx.AsyncClient, record: dict[str, Any]) -> list[bytes]:
    return [(await client.get(design["url"])).content for design in record["designs"]]


async def test_the_named_type_and_a_strong_colour_reference_win_over_the_style(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        account = await signup(client)
        room = await create_room(client, account)
        mustard = photo(MUSTARD, seed=4)
        colour = (await upload_image(client, account, room, mustard))["id"]
        record = await _record(
            client,
            account,
            {
                "session_id": room,
                "inputs": [{"image_id": colour, "role": "colour", "strength": 0.6}],
                "keyword": "곡선형 부클레 모듈러 소파",
                "style": "mid-century-modern",  # leans to lounge chairs, palette chocolate
                "language": "ko",
            },
        )
        designs = await _designs(client, record)
        assert [spec.kind for spec in map(read_spec, designs) if spec] == ["sofa"] * 4
        assert record["furniture_type"] == "sofa"
        wanted, got = dominant_hue(mustard), dominant_hue(*designs)
        assert wanted is not None and got is not None and hue_distance(wanted, got) <= 15
        # A Korean story never quotes English: the style by its Korean name.
        assert "미드센추리 모던" in record["story"]
        assert not re.search(r"[A-Za-z]", record["story"].replace("cm", ""))


async def test_a_legless_form_reference_gives_plinths_and_refine_keeps_the_style(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        account = await signup(client)
        room = await create_room(client, account)
        form = (await upload_image(client, account, room, slipper_chair(), "slipper.png"))["id"]
        record = await _record(
            client,
            account,
            {
                "session_id": room,
                "inputs": [{"image_id": form, "role": "form", "strength": 0.85}],
                "style": "art-deco",
            },
        )
        specs = [read_spec(design) for design in await _designs(client, record)]
        assert {(s.kind, s.base) for s in specs if s} == {("lounge", "plinth")}
        assert "legs" not in record["story"].replace("no legs", "")
        refined = await _record(
            client, account, {"parent": {"record_id": record["id"], "position": 2}}
        )
        children = [read_spec(design) for design in await _designs(client, refined)]
        assert all(c and c.style and c.style.id == "art-deco" for c in children)
        assert {(c.frame.word, c.seat.word) for c in children if c} == {("brass", "velvet")}
        assert "brass" in refined["material"].lower()


async def test_an_edit_repaints_the_seat_keeps_its_shading_and_the_name(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        account = await signup(client)
        room = await create_room(client, account)
        image = (await upload_image(client, account, room, photo(BLUE, seed=2)))["id"]
        record = await _record(
            client,
            account,
            {"session_id": room, "inputs": [{"image_id": image}], "keyword": "lounge chair oak"},
        )
        design = (await _designs(client, record))[0]
        mask, area = seat_mask(design)
        uploaded = await client.post(
            f"/api/v1/layerroom/{room}/images",
            files={"file": ("mask.png", mask, "image/png")},
            data={"purpose": "mask"},
            headers=account.headers,
        )
        assert uploaded.status_code == 201, uploaded.text
        edit = {
            "image_id": record["designs"][0]["image_id"],
            "mask_image_id": uploaded.json()["id"],
            "prompt": "머스터드색 부클레 좌방석",
        }
        edited = await _record(client, account, {"edit": edit})
        before = np.asarray(Image.open(io.BytesIO(design)).convert("RGB"))
        target = hue_of(tuple(c / 255 for c in COLOURS["mustard"]))  # type: ignore[arg-type]
        for variant in await _designs(client, edited):
            after = np.asarray(Image.open(io.BytesIO(variant)).convert("RGB"))
            assert (after[~area] == before[~area]).all()
            assert luminance_ssim(design, variant, area) >= 0.6
            changed = area & (np.abs(after.astype(int) - before.astype(int)).max(axis=2) > 6)
            hue = region_hue(variant, changed)
            assert hue is not None and hue_distance(hue, target) <= 20
            assert after[changed].std() > 4  # shaded, not a flat slab
        assert edited["name"] == record["name"]
        assert "oak" in edited["material"].lower() and "boucle" in edited["keywords"]


async def test_same_brief_same_bytes_and_records_read_differently(server: LiveServer) -> None:
    async with server.client() as client:
        account = await signup(client)
        room = await create_room(client, account)
        image = (await upload_image(client, account, room, photo(MUSTARD, seed=9)))["id"]
        body = {"session_id": room, "inputs": [{"image_id": image}], "keyword": "walnut bench"}
        first, second = await _record(client, account, body), await _record(client, account, body)
        assert await _designs(client, first) == await _designs(client, second)
        others = [
            await _record(client, account, {**body, "keyword": keyword})
            for keyword in ("stool", "dining chair", "sofa")
        ]
        names = {record["name"] for record in [first, *others]}
        assert len(names) == 4
        assert first["furniture_type"] == "bench" and "bench" in first["name"].lower()
