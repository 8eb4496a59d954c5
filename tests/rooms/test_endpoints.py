"""Rooms and pins through HTTP: CRUD, pagination, ownership, public read by slug."""

from __future__ import annotations

import httpx

from tests.helpers import create_room, signup, upload_image


async def test_room_crud(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = await client.post(
        "/api/v1/layerroom",
        json={"name": "Nordic study", "description": "oak and wool"},
        headers=account.headers,
    )
    assert created.status_code == 201
    room = created.json()
    assert room["slug"].startswith("nordic-study-")
    assert room["is_public"] is False

    patched = await client.patch(
        f"/api/v1/layerroom/{room['id']}",
        json={"name": "Nordic study II", "is_public": True},
        headers=account.headers,
    )
    assert patched.status_code == 200
    assert patched.json()["name"] == "Nordic study II"
    assert patched.json()["description"] == "oak and wool"
    assert patched.json()["is_public"] is True

    fetched = await client.get(f"/api/v1/layerroom/{room['id']}", headers=account.headers)
    assert fetched.json()["name"] == "Nordic study II"

    deleted = await client.delete(f"/api/v1/layerroom/{room['id']}", headers=account.headers)
    assert deleted.status_code == 204
    gone = await client.get(f"/api/v1/layerroom/{room['id']}", headers=account.headers)
    assert gone.status_code == 404
    assert gone.json()["error"] == "NotFound"
    public = await client.get(f"/api/v1/public/rooms/{room['slug']}")
    assert public.status_code == 404


async def test_list_is_paginated_newest_first(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    for i in range(5):
        await create_room(client, account, f"room {i}")
    first = await client.get("/api/v1/layerroom?limit=2", headers=account.headers)
    assert first.status_code == 200
    body = first.json()
    assert body["total"] == 5
    assert [r["name"] for r in body["items"]] == ["room 4", "room 3"]
    rest = await client.get("/api/v1/layerroom?limit=2&offset=4", headers=account.headers)
    assert [r["name"] for r in rest.json()["items"]] == ["room 0"]
    bad = await client.get("/api/v1/layerroom?limit=1000", headers=account.headers)
    assert bad.status_code == 422


async def test_validation_errors(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    too_long = await client.post(
        "/api/v1/layerroom", json={"name": "x" * 101}, headers=account.headers
    )
    assert too_long.status_code == 422
    empty = await client.post("/api/v1/layerroom", json={"name": ""}, headers=account.headers)
    assert empty.status_code == 422
    anonymous = await client.post("/api/v1/layerroom", json={"name": "x"})
    assert anonymous.status_code == 401


async def test_another_users_room_is_not_found(client: httpx.AsyncClient) -> None:
    alice = await signup(client)
    bob = await signup(client)
    room_id = await create_room(client, alice)
    for method, path, body in [
        ("GET", f"/api/v1/layerroom/{room_id}", None),
        ("PATCH", f"/api/v1/layerroom/{room_id}", {"name": "mine"}),
        ("DELETE", f"/api/v1/layerroom/{room_id}", None),
        ("GET", f"/api/v1/layerroom/{room_id}/images", None),
        ("GET", f"/api/v1/layerroom/{room_id}/pins", None),
    ]:
        response = await client.request(method, path, headers=bob.headers, json=body)
        assert response.status_code == 404, (method, path, response.text)
    assert (
        await client.get(f"/api/v1/layerroom/{room_id}", headers=alice.headers)
    ).status_code == 200


async def test_public_room_is_readable_without_login(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    room_id = await create_room(client, account, "Shared")
    image = await upload_image(client, account, room_id)
    room = (await client.get(f"/api/v1/layerroom/{room_id}", headers=account.headers)).json()
    private = await client.get(f"/api/v1/public/rooms/{room['slug']}")
    assert private.status_code == 404

    await client.patch(
        f"/api/v1/layerroom/{room_id}", json={"is_public": True}, headers=account.headers
    )
    public = await client.get(f"/api/v1/public/rooms/{room['slug']}")
    assert public.status_code == 200
    body = public.json()
    assert body["name"] == "Shared"
    assert [i["id"] for i in body["images"]] == [image["id"]]
    # The signed URL works without a login, so <img> tags on the public page load.
    picture = await client.get(body["images"][0]["url"])
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/jpeg"


async def test_pin_and_unpin(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    room_a = await create_room(client, account, "A")
    room_b = await create_room(client, account, "B")
    image = await upload_image(client, account, room_a)

    pinned = await client.post(
        f"/api/v1/layerroom/{room_b}/pins",
        json={"image_id": image["id"], "note": "the leg profile"},
        headers=account.headers,
    )
    assert pinned.status_code == 201
    assert pinned.json()["image"]["id"] == image["id"]
    again = await client.post(
        f"/api/v1/layerroom/{room_b}/pins", json={"image_id": image["id"]}, headers=account.headers
    )
    assert again.status_code == 409
    pins = await client.get(f"/api/v1/layerroom/{room_b}/pins", headers=account.headers)
    assert [p["note"] for p in pins.json()] == ["the leg profile"]

    unpinned = await client.delete(
        f"/api/v1/layerroom/{room_b}/pins",
        params={"image_id": image["id"]},
        headers=account.headers,
    )
    assert unpinned.status_code == 204
    missing = await client.delete(
        f"/api/v1/layerroom/{room_b}/pins",
        params={"image_id": image["id"]},
        headers=account.headers,
    )
    assert missing.status_code == 404


async def test_cannot_pin_another_users_image(client: httpx.AsyncClient) -> None:
    alice = await signup(client)
    bob = await signup(client)
    alice_room = await create_room(client, alice)
    bob_room = await create_room(client, bob)
    image = await upload_image(client, alice, alice_room)
    response = await client.post(
        f"/api/v1/layerroom/{bob_room}/pins", json={"image_id": image["id"]}, headers=bob.headers
    )
    assert response.status_code == 404
    into_alice = await client.post(
        f"/api/v1/layerroom/{alice_room}/pins", json={"image_id": image["id"]}, headers=bob.headers
    )
    assert into_alice.status_code == 404
