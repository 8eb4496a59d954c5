"""Refine, lineage and region edits through HTTP against a real server process."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.helpers import STAGES, Account, create_room, make_image, signup, upload_image
from tests.live import LiveServer, events_until_end, server_env, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("design-loop")
    env = server_env(root / "data", f"sqlite+aiosqlite:///{root / 'lm.db'}")
    live = start_server(env, root / "server.log")
    yield live
    live.stop()


async def _finished(client: httpx.AsyncClient, account: Account, record_id: str) -> dict[str, Any]:
    await events_until_end(client, record_id, account.token)
    response = await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    record: dict[str, Any] = response.json()
    assert record["image_status"] == "ready", record
    return record


async def _generate(
    client: httpx.AsyncClient, account: Account, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/api/v1/generate", json=body, headers=account.headers)


async def _base_record(client: httpx.AsyncClient, account: Account) -> dict[str, Any]:
    room_id = await create_room(client, account)
    image = await upload_image(client, account, room_id, make_image(color=(120, 80, 40)))
    response = await _generate(
        client, account, {"session_id": room_id, "input_image_ids": [image["id"]]}
    )
    assert response.status_code == 202, response.text
    return await _finished(client, account, response.json()["record_id"])


async def _balance(client: httpx.AsyncClient, account: Account) -> int:
    balance: int = (await client.get("/api/v1/credits", headers=account.headers)).json()["balance"]
    return balance


async def _pixels(client: httpx.AsyncClient, account: Account, url: str) -> np.ndarray:
    response = await client.get(url, headers=account.headers)
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.content)) as image:
        return np.asarray(image.convert("RGB"))


def _mask_png(size: tuple[int, int], box: tuple[int, int, int, int] | None) -> bytes:
    """Opaque everywhere, fully transparent inside `box` (the area to repaint)."""
    mask = Image.new("RGBA", size, (0, 0, 0, 255))
    if box is not None:
        mask.paste((0, 0, 0, 0), box)
    out = io.BytesIO()
    mask.save(out, format="PNG")
    return out.getvalue()


async def _upload_mask(
    client: httpx.AsyncClient, account: Account, room_id: str, data: bytes
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/layerroom/{room_id}/images",
        files={"file": ("mask.png", data, "image/png")},
        data={"purpose": "mask"},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_refine_starts_from_a_design_and_the_lineage_goes_both_ways(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        account = await signup(client)
        root = await _base_record(client, account)
        design = root["designs"][1]

        response = await _generate(
            client, account, {"parent": {"record_id": root["id"], "position": 1}, "keyword": "oak"}
        )
        assert response.status_code == 202, response.text
        child = await _finished(client, account, response.json()["record_id"])
        assert child["parent"] == {"record_id": root["id"], "position": 1}
        assert child["room_id"] == root["room_id"]
        assert child["input_image_ids"][0] == design["image_id"]
        assert len(child["designs"]) == 4

        # A grandchild, refined into another room of the caller's.
        other_room = await create_room(client, account, "Elsewhere")
        response = await _generate(
            client,
            account,
            {"session_id": other_room, "parent": {"record_id": child["id"], "position": 0}},
        )
        assert response.status_code == 202, response.text
        grandchild = await _finished(client, account, response.json()["record_id"])
        assert grandchild["room_id"] == other_room

        lineage = (
            await client.get(f"/api/v1/records/{root['id']}/lineage", headers=account.headers)
        ).json()
        assert lineage["ancestors"] == []
        assert [n["record_id"] for n in lineage["descendants"]] == [child["id"], grandchild["id"]]
        assert lineage["descendants"][1]["parent"] == {"record_id": child["id"], "position": 0}
        assert all(n["kind"] == "refine" for n in lineage["descendants"])
        # Each node's state is its record's: here a later stage fails (no library is seeded).
        expected = [
            "failed" if any(r[s] == "error" for s in STAGES) else "ready"
            for r in (child, grandchild)
        ]
        assert [n["state"] for n in lineage["descendants"]] == expected

        lineage = (
            await client.get(f"/api/v1/records/{grandchild['id']}/lineage", headers=account.headers)
        ).json()
        assert [n["record_id"] for n in lineage["ancestors"]] == [root["id"], child["id"]]
        assert lineage["ancestors"][0]["kind"] == "generate"
        assert lineage["ancestors"][0]["title"] == root["title"]
        first = lineage["ancestors"][0]["first_design_url"]
        assert (await client.get(first)).status_code == 200  # signed: works in an <img>
        assert lineage["descendants"] == []


async def test_another_users_parent_or_image_is_a_404_and_costs_nothing(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        owner = await signup(client)
        root = await _base_record(client, owner)
        stranger = await signup(client)
        room = await create_room(client, stranger)
        before = await _balance(client, stranger)

        response = await _generate(
            client, stranger, {"parent": {"record_id": root["id"], "position": 0}}
        )
        assert response.status_code == 404, response.text
        assert response.json()["error"] == "NotFound"
        lineage = await client.get(
            f"/api/v1/records/{root['id']}/lineage", headers=stranger.headers
        )
        assert lineage.status_code == 404

        mask = await _upload_mask(client, stranger, room, _mask_png((1024, 1024), (0, 0, 64, 64)))
        response = await _generate(
            client,
            stranger,
            {
                "session_id": room,
                "edit": {
                    "image_id": root["designs"][0]["image_id"],
                    "mask_image_id": mask["id"],
                    "prompt": "a walnut seat",
                },
            },
        )
        assert response.status_code == 404, response.text
        assert await _balance(client, stranger) == before

        response = await _generate(
            client, owner, {"parent": {"record_id": root["id"], "position": 4}}
        )
        assert response.status_code == 422

        # The owner's parent, but into a room that is not theirs: the room is not found.
        response = await _generate(
            client,
            owner,
            {"session_id": room, "parent": {"record_id": root["id"], "position": 0}},
        )
        assert response.status_code == 404, response.text
        assert await _balance(client, stranger) == before


async def test_an_edit_repaints_inside_the_mask_and_leaves_every_other_pixel(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        account = await signup(client)
        root = await _base_record(client, account)
        design = root["designs"][0]
        box = (256, 400, 768, 640)
        mask = await _upload_mask(
            client, account, root["room_id"], _mask_png((design["width"], design["height"]), box)
        )
        uploads = (
            await client.get(f"/api/v1/layerroom/{root['room_id']}/images", headers=account.headers)
        ).json()
        assert mask["id"] not in [i["id"] for i in uploads["items"]]  # not a reference card
        before = await _balance(client, account)

        response = await _generate(
            client,
            account,
            {
                "edit": {
                    "image_id": design["image_id"],
                    "mask_image_id": mask["id"],
                    "prompt": "a walnut seat",
                }
            },
        )
        assert response.status_code == 202, response.text
        edited = await _finished(client, account, response.json()["record_id"])
        assert await _balance(client, account) == before - 1
        assert edited["parent"] == {"record_id": root["id"], "position": 0}
        assert edited["edit"]["prompt"] == "a walnut seat"
        assert edited["room_id"] == root["room_id"]
        assert len(edited["designs"]) == 4

        original = await _pixels(client, account, design["url"])
        inside = np.zeros(original.shape[:2], dtype=bool)
        inside[box[1] : box[3], box[0] : box[2]] = True
        results = [await _pixels(client, account, d["url"]) for d in edited["designs"]]
        for result in results:
            assert result.shape == original.shape
            # Exactly the decoded original outside: designs from edits are stored losslessly.
            assert np.array_equal(result[~inside], original[~inside])
            changed = np.abs(result[inside].astype(int) - original[inside].astype(int)).sum(axis=1)
            assert (changed > 12).mean() > 0.5
        assert len({r.tobytes() for r in results}) == 4  # four variants

        lineage = (
            await client.get(f"/api/v1/records/{root['id']}/lineage", headers=account.headers)
        ).json()
        assert lineage["descendants"][0]["kind"] == "edit"


@pytest.mark.parametrize(
    ("mask", "reason"),
    [
        (_mask_png((512, 512), (0, 0, 100, 100)), "same size"),
        (_mask_png((1024, 1024), None), "covers nothing"),
    ],
)
async def test_a_bad_mask_is_a_422_with_nothing_spent_or_written(
    server: LiveServer, mask: bytes, reason: str
) -> None:
    async with server.client() as client:
        account = await signup(client)
        root = await _base_record(client, account)
        uploaded = await _upload_mask(client, account, root["room_id"], mask)
        before = await _balance(client, account)

        response = await _generate(
            client,
            account,
            {
                "edit": {
                    "image_id": root["designs"][0]["image_id"],
                    "mask_image_id": uploaded["id"],
                    "prompt": "brass legs",
                }
            },
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "InvalidMask"
        assert reason in response.json()["detail"]
        assert await _balance(client, account) == before
        records = (
            await client.get(f"/api/v1/sessions/{root['room_id']}/records", headers=account.headers)
        ).json()
        assert records["total"] == 1
