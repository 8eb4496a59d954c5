"""Finding one's own work: full-text search and filters across rooms, cursors, favourites."""

from __future__ import annotations

from typing import Any

import httpx

from tests.finished_records import MakeRecord
from tests.helpers import create_room, signup


async def _search(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    response = await client.get("/api/v1/records", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_search_finds_records_by_a_story_word_and_never_another_users(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    owner, other = await signup(studio), await signup(studio)
    english = await make_record(owner)
    korean = await make_record(owner, language="ko", room_id=await create_room(studio, owner))
    theirs = await make_record(other)

    # "evenings" is only in the English story; 식탁 begins a word of the Korean one.
    found = await _search(studio, owner.headers, q="Evenings")
    assert [r["id"] for r in found["items"]] == [english["id"]]
    found = await _search(studio, owner.headers, q="식탁")
    assert [r["id"] for r in found["items"]] == [korean["id"]]
    # Words from the material and the keywords count too, and every word must match.
    found = await _search(studio, owner.headers, q="linen oak")
    assert {r["id"] for r in found["items"]} == {english["id"], korean["id"]}
    assert (await _search(studio, owner.headers, q="linen walnut"))["items"] == []
    # The other user has the same story, and sees only their own record.
    found = await _search(studio, other.headers, q="evenings")
    assert [r["id"] for r in found["items"]] == [theirs["id"]]
    # Query syntax is not passed through: quotes and operators are just characters.
    assert (await _search(studio, owner.headers, q='" OR * NEAR('))["items"] == []


async def test_filters_and_cursor_pagination_newest_first(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    owner = await signup(studio)
    room_a = await create_room(studio, owner, "A")
    room_b = await create_room(studio, owner, "B")
    made = [
        await make_record(owner, room_id=room_a),
        await make_record(owner, room_id=room_b),
        await make_record(owner, room_id=room_a),
    ]

    first = await _search(studio, owner.headers, limit=2)
    assert [r["id"] for r in first["items"]] == [made[2]["id"], made[1]["id"]]
    assert first["next_cursor"]
    second = await _search(studio, owner.headers, limit=2, cursor=first["next_cursor"])
    assert [r["id"] for r in second["items"]] == [made[0]["id"]]
    assert second["next_cursor"] is None

    in_a = await _search(studio, owner.headers, room_id=room_a)
    assert [r["id"] for r in in_a["items"]] == [made[2]["id"], made[0]["id"]]
    by_keyword = await _search(studio, owner.headers, keyword="joinery")
    assert len(by_keyword["items"]) == 3
    assert (await _search(studio, owner.headers, keyword="join"))["items"] == []
    assert len((await _search(studio, owner.headers, status="ready"))["items"]) == 3
    assert (await _search(studio, owner.headers, status="error"))["items"] == []

    bad = await studio.get("/api/v1/records", params={"cursor": "nope"}, headers=owner.headers)
    assert bad.status_code == 422 and bad.json()["error"] == "InvalidRequest"
    assert (await studio.get("/api/v1/records")).status_code == 401


async def test_favourites_round_trip_and_filter(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    owner, stranger = await signup(studio), await signup(studio)
    liked = await make_record(owner)
    plain = await make_record(owner)
    design = liked["designs"][2]["image_id"]
    path = f"/api/v1/images/{design}/favourite"

    for _ in range(2):  # idempotent
        response = await studio.put(path, headers=owner.headers)
        assert response.status_code == 200
        assert response.json() == {"image_id": design, "favourite": True}
    found = await _search(studio, owner.headers, favourite="true")
    assert [r["id"] for r in found["items"]] == [liked["id"]]
    assert found["favourite_image_ids"] == [design]
    found = await _search(studio, owner.headers, favourite="false")
    assert [r["id"] for r in found["items"]] == [plain["id"]]

    # Someone else's design is not there to like.
    assert (await studio.put(path, headers=stranger.headers)).status_code == 404
    # A library reference can be a favourite of anyone.
    reference = liked["recommendations"][0]["image_id"]
    liked_ref = await studio.put(f"/api/v1/images/{reference}/favourite", headers=stranger.headers)
    assert liked_ref.status_code == 200

    removed = await studio.delete(path, headers=owner.headers)
    assert removed.json() == {"image_id": design, "favourite": False}
    assert (await _search(studio, owner.headers, favourite="true"))["items"] == []
