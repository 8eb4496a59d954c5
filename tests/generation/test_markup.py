"""Markup edits offline (issue 30): the local provider gets a region edit of what the strokes
mark (the widened strokes and what a closed stroke encircles), the notes in its prompt; a bad
markup is a 422 before anything is spent. Through a real server with the local providers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.helpers import Account, create_room, make_image, signup, upload_image
from tests.live import LiveServer, events_until_end, server_env, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("markup")
    live = start_server(
        server_env(root / "data", f"sqlite+aiosqlite:///{root / 'lm.db'}"), root / "server.log"
    )
    yield live
    live.stop()


def _markup(size: tuple[int, int], circle: tuple[int, int, int, int] | None) -> bytes:
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    if circle is not None:
        ImageDraw.Draw(layer).ellipse(circle, outline=(220, 30, 30, 255), width=6)
    out = io.BytesIO()
    layer.save(out, format="PNG")
    return out.getvalue()


async def _design(client: httpx.AsyncClient, account: Account) -> dict[str, Any]:
    room_id = await create_room(client, account)
    image = await upload_image(client, account, room_id, make_image(color=(120, 80, 40)))
    response = await client.post(
        "/api/v1/generate",
        json={"session_id": room_id, "input_image_ids": [image["id"]]},
        headers=account.headers,
    )
    assert response.status_code == 202, response.text
    record_id = response.json()["record_id"]
    await events_until_end(client, record_id, account.token)
    record: dict[str, Any] = (
        await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
    ).json()
    return record


async def _upload(client: httpx.AsyncClient, account: Account, room_id: str, data: bytes) -> str:
    response = await client.post(
        f"/api/v1/layerroom/{room_id}/images",
        files={"file": ("markup.png", data, "image/png")},
        data={"purpose": "markup"},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _balance(client: httpx.AsyncClient, account: Account) -> int:
    balance: int = (await client.get("/api/v1/credits", headers=account.headers)).json()["balance"]
    return balance


async def _pixels(client: httpx.AsyncClient, account: Account, url: str) -> np.ndarray:
    response = await client.get(url, headers=account.headers)
    with Image.open(io.BytesIO(response.content)) as image:
        return np.asarray(image.convert("RGB"))


async def test_the_strokes_are_read_as_regions_and_the_notes_as_the_prompt(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        account = await signup(client)
        root = await _design(client, account)
        design = root["designs"][0]
        size = (design["width"], design["height"])
        circle = (312, 312, 712, 712)
        markup_id = await _upload(client, account, root["room_id"], _markup(size, circle))
        uploads = (
            await client.get(f"/api/v1/layerroom/{root['room_id']}/images", headers=account.headers)
        ).json()
        assert markup_id not in [item["id"] for item in uploads["items"]]  # not a reference
        before = await _balance(client, account)

        response = await client.post(
            "/api/v1/generate",
            json={
                "edit": {
                    "image_id": design["image_id"],
                    "markup_image_id": markup_id,
                    "prompt": "make this part walnut",
                }
            },
            headers=account.headers,
        )
        assert response.status_code == 202, response.text
        record_id = response.json()["record_id"]
        await events_until_end(client, record_id, account.token)
        edited = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert edited["image_status"] == "ready", edited["image_error"]
        assert edited["edit"] == {
            "image_id": design["image_id"],
            "mask_image_id": None,
            "markup_image_id": markup_id,
            "prompt": "make this part walnut",
        }
        assert edited["parent"] == {"record_id": root["id"], "position": 0}
        assert await _balance(client, account) == before - 1

        original = await _pixels(client, account, design["url"])
        centre = np.zeros(original.shape[:2], dtype=bool)
        centre[412:612, 412:612] = True  # well inside the circle
        far = np.ones(original.shape[:2], dtype=bool)
        far[232:792, 232:792] = False  # well outside the circle and its reach
        for result in edited["designs"]:
            after = await _pixels(client, account, result["url"])
            assert after.shape == original.shape
            assert np.array_equal(after[far], original[far])
            changed = np.abs(after[centre].astype(int) - original[centre].astype(int)).sum(axis=1)
            assert (changed > 12).mean() > 0.5


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        (_markup((512, 512), (10, 10, 200, 200)), "same size"),
        (_markup((1024, 1024), None), "no stroke"),
    ],
)
async def test_a_bad_markup_is_a_422_with_nothing_spent(
    server: LiveServer, markup: bytes, reason: str
) -> None:
    async with server.client() as client:
        account = await signup(client)
        root = await _design(client, account)
        design = root["designs"][0]
        markup_id = await _upload(client, account, root["room_id"], markup)
        before = await _balance(client, account)
        history = await client.get(
            f"/api/v1/sessions/{root['room_id']}/records", headers=account.headers
        )
        response = await client.post(
            "/api/v1/generate",
            json={
                "edit": {
                    "image_id": design["image_id"],
                    "markup_image_id": markup_id,
                    "prompt": "walnut",
                }
            },
            headers=account.headers,
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "InvalidMarkup"
        assert reason in response.json()["detail"]
        assert await _balance(client, account) == before
        after = await client.get(
            f"/api/v1/sessions/{root['room_id']}/records", headers=account.headers
        )
        assert after.json()["total"] == history.json()["total"]


async def test_a_markup_with_a_mask_or_as_a_reference_is_refused(server: LiveServer) -> None:
    async with server.client() as client:
        account = await signup(client)
        root = await _design(client, account)
        design = root["designs"][0]
        markup_id = await _upload(
            client, account, root["room_id"], _markup((1024, 1024), (10, 10, 300, 300))
        )
        both = await client.post(
            "/api/v1/generate",
            json={
                "edit": {
                    "image_id": design["image_id"],
                    "markup_image_id": markup_id,
                    "mask_image_id": markup_id,
                    "prompt": "walnut",
                }
            },
            headers=account.headers,
        )
        assert both.status_code == 422 and "not both" in both.text
        as_reference = await client.post(
            "/api/v1/generate",
            json={"session_id": root["room_id"], "input_image_ids": [markup_id]},
            headers=account.headers,
        )
        assert as_reference.status_code == 422 and "markup" in as_reference.text
        estimate = await client.get("/api/v1/generate/estimate", headers=account.headers)
        assert estimate.status_code == 200
        assert estimate.json()["provider"] == "local"
        assert estimate.json()["without_previews"]["usd"] == 0.0
        assert estimate.json()["previews_default"] is True
