"""The brief on POST /generate: roles and strengths, any of the caller's images, styles.

Through a real server process and real HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import Account, create_room, make_image, signup, upload_image
from tests.live import LiveServer, events_until_end, server_env, start_server
from tests.providers.local.hues import dominant_hue, hue_distance
from tests.providers.local.photos import BLUE, RED, photo

GREEN = [(40, 150, 60), (30, 110, 40), (90, 180, 100)]
HUES = {"red": 358.0, "blue": 226.0, "green": 130.0}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("brief")
    env = server_env(root / "data", f"sqlite+aiosqlite:///{root / 'lm.db'}", seed_library="true")
    live = start_server(env, root / "server.log")
    yield live
    live.stop()


async def _generate(
    client: httpx.AsyncClient, account: Account, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/api/v1/generate", json=body, headers=account.headers)


async def _balance(client: httpx.AsyncClient, account: Account) -> int:
    balance: int = (await client.get("/api/v1/credits", headers=account.headers)).json()["balance"]
    return balance


async def test_roles_and_strengths_round_trip(server: LiveServer) -> None:
    async with server.client() as client:
        account = await signup(client)
        room_id = await create_room(client, account)
        first = await upload_image(client, account, room_id, make_image(color=(200, 60, 40)))
        second = await upload_image(client, account, room_id, make_image(color=(40, 90, 160)))
        inputs = [
            {"image_id": second["id"], "role": "colour", "strength": 0.9},
            {"image_id": first["id"], "role": "form"},
        ]
        accepted = await _generate(
            client,
            account,
            {"session_id": room_id, "inputs": inputs, "keyword": "walnut", "style": "japandi"},
        )
        assert accepted.status_code == 202, accepted.text
        record_id = accepted.json()["record_id"]
        events = await events_until_end(client, record_id, account.token)
        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert record["inputs"] == [
            {"image_id": second["id"], "role": "colour", "strength": 0.9},
            {"image_id": first["id"], "role": "form", "strength": 0.5},
        ]
        assert record["input_image_ids"] == [second["id"], first["id"]]
        assert record["style"] == "japandi" and record["keyword"] == "walnut"
        assert record["image_status"] == "ready", record["image_error"]
        assert events[-2].data is not None and events[-2].data["inputs"] == record["inputs"]

        # The plain list still works, read as role `any` at strength 0.5.
        plain = await _generate(
            client, account, {"session_id": room_id, "input_image_ids": [first["id"]]}
        )
        assert plain.status_code == 202, plain.text
        plain_url = f"/api/v1/records/{plain.json()['record_id']}"
        plain_record = (await client.get(plain_url, headers=account.headers)).json()
        assert plain_record["inputs"] == [{"image_id": first["id"], "role": "any", "strength": 0.5}]
        assert plain_record["style"] is None


async def test_bad_briefs_are_422_or_404_and_cost_nothing(server: LiveServer) -> None:
    async with server.client() as client:
        alice, bob = await signup(client), await signup(client)
        room_id = await create_room(client, alice)
        image = (await upload_image(client, alice, room_id))["id"]
        bob_room = await create_room(client, bob)
        bob_image = (await upload_image(client, bob, bob_room))["id"]
        one = [{"image_id": image}]
        cases: list[tuple[dict[str, Any], int]] = [
            ({"session_id": room_id, "inputs": one, "input_image_ids": [image]}, 422),
            ({"session_id": room_id, "inputs": one, "input_image_keys": [image]}, 422),
            ({"session_id": room_id, "inputs": []}, 422),
            ({"session_id": room_id, "inputs": one * 2}, 422),
            ({"session_id": room_id, "inputs": [{"image_id": image, "role": "smell"}]}, 422),
            ({"session_id": room_id, "inputs": [{"image_id": image, "strength": 1.5}]}, 422),
            ({"session_id": room_id, "inputs": [{"image_id": image, "strength": -0.1}]}, 422),
            ({"session_id": room_id, "inputs": one, "style": "rococo-revival"}, 422),
            ({"session_id": room_id, "inputs": [{"image_id": bob_image, "role": "form"}]}, 404),
            ({"session_id": room_id}, 422),
        ]
        for body, status in cases:
            response = await _generate(client, alice, body)
            assert response.status_code == status, (body, response.text)
            assert set(response.json()) == {"error", "detail"}
        assert await _balance(client, alice) == 50


async def test_any_of_the_callers_images_is_a_reference(server: LiveServer) -> None:
    async with server.client() as client:
        account = await signup(client)
        room_id = await create_room(client, account)
        other_room = await create_room(client, account, "Other")
        upload = (await upload_image(client, account, other_room))["id"]
        first = await _generate(
            client, account, {"session_id": other_room, "inputs": [{"image_id": upload}]}
        )
        events = await events_until_end(client, first.json()["record_id"], account.token)
        assert events[-2].data is not None
        design = events[-2].data["designs"][0]["image_id"]
        library = await client.get("/api/v1/library/references", headers=account.headers)
        assert library.status_code == 200, library.text
        reference = library.json()["items"][0]["image_id"]

        mixed = [
            {"image_id": design, "role": "form", "strength": 0.8},
            {"image_id": reference, "role": "material", "strength": 0.4},
            {"image_id": upload, "role": "colour", "strength": 0.7},
        ]
        accepted = await _generate(client, account, {"session_id": room_id, "inputs": mixed})
        assert accepted.status_code == 202, accepted.text
        record_id = accepted.json()["record_id"]
        await events_until_end(client, record_id, account.token)
        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert record["image_status"] == "ready", record["image_error"]
        assert [i["image_id"] for i in record["inputs"]] == [design, reference, upload]

        # Another user cannot use this user's design, even knowing its id.
        stranger = await signup(client)
        stranger_room = await create_room(client, stranger)
        refused = await _generate(
            client, stranger, {"session_id": stranger_room, "inputs": [{"image_id": design}]}
        )
        assert refused.status_code == 404
        assert await _balance(client, stranger) == 50


async def test_local_designs_follow_a_strong_colour_and_a_named_material(
    server: LiveServer,
) -> None:
    async with server.client() as client:
        account = await signup(client)
        room_id = await create_room(client, account)
        ids = {}
        for name, colours in (("blue", BLUE), ("red", RED), ("green", GREEN)):
            ids[name] = (await upload_image(client, account, room_id, photo(colours, 7)))["id"]
        inputs = [
            {"image_id": ids["blue"], "role": "any"},
            {"image_id": ids["red"], "role": "colour", "strength": 0.9},
            {"image_id": ids["green"], "role": "material", "strength": 0.3},
        ]
        accepted = await _generate(
            client, account, {"session_id": room_id, "inputs": inputs, "keyword": "walnut"}
        )
        assert accepted.status_code == 202, accepted.text
        record_id = accepted.json()["record_id"]
        await events_until_end(client, record_id, account.token)
        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        designs = [(await client.get(design["url"])).content for design in record["designs"]]
        hue = dominant_hue(*designs)
        distances = {name: hue_distance(hue, HUES[name]) for name in HUES}
        assert distances["red"] < min(distances["blue"], distances["green"]), (hue, distances)
        assert "walnut" in record["material"].lower(), record["material"]
        assert "walnut" in record["keywords"]
        assert record["image_model"] == "procedural-v2"
