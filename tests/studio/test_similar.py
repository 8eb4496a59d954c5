"""More like this: stored design vectors rank a near-duplicate design first."""

from __future__ import annotations

import httpx

from tests.finished_records import MakeRecord
from tests.helpers import signup


async def test_a_near_duplicate_design_ranks_first(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    owner, other = await signup(studio), await signup(studio)
    original = await make_record(owner, colour=(180, 120, 60))
    twin = await make_record(owner, colour=(182, 121, 61))  # all but the same inputs
    different = await make_record(owner, colour=(30, 60, 200))
    await make_record(other, colour=(180, 120, 60))  # someone else's twin stays out of "mine"
    query = original["designs"][0]["image_id"]

    response = await studio.get(
        f"/api/v1/images/{query}/similar",
        params={"scope": "mine", "k": 12, "min_score": -1},
        headers=owner.headers,
    )

    assert response.status_code == 200, response.text
    body = response.json()
    hits = body["hits"]
    assert hits[0]["image_id"] == twin["designs"][0]["image_id"]
    assert hits[0]["record_id"] == twin["id"] and hits[0]["kind"] == "design"
    assert query not in {h["image_id"] for h in hits}
    mine = {d["image_id"] for r in (original, twin, different) for d in r["designs"]}
    assert {h["image_id"] for h in hits} <= mine
    assert len(hits) == 11  # every other design of the owner, none of the other user's
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert (
        hits[0]["score"]
        > {h["image_id"]: h["score"] for h in hits}[different["designs"][0]["image_id"]]
    )

    # The threshold drops weak matches; the library scope answers with references.
    strict = await studio.get(
        f"/api/v1/images/{query}/similar",
        params={"scope": "mine", "min_score": (hits[0]["score"] + hits[1]["score"]) / 2},
        headers=owner.headers,
    )
    assert [h["image_id"] for h in strict.json()["hits"]] == [hits[0]["image_id"]]
    library = await studio.get(
        f"/api/v1/images/{query}/similar",
        params={"scope": "library", "k": 3, "min_score": -1},
        headers=owner.headers,
    )
    assert library.status_code == 200
    assert [h["kind"] for h in library.json()["hits"]] == ["reference"] * 3
    assert all(h["title"] for h in library.json()["hits"])
    # Each reference also has the Korean title a Korean page shows (the starter set has them).
    assert all(h["title_ko"] for h in library.json()["hits"])
    # Another user's design is not there to compare.
    denied = await studio.get(f"/api/v1/images/{query}/similar", headers=other.headers)
    assert denied.status_code == 404
