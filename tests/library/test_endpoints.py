"""Library routes through HTTP: admins add and remove references, users search by image/text."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from layerminder.app import create_app
from layerminder.config import Settings
from layerminder.db.session import unit_of_work
from layerminder.models import User, UserRole
from layerminder.runtime import Runtime
from tests.conftest import Database, make_settings
from tests.helpers import Account, make_image, signup

TINY_CLIP = Path(__file__).resolve().parents[1] / "fixtures" / "tiny_clip"


async def _admin(client: httpx.AsyncClient, app: FastAPI) -> Account:
    account = await signup(client)
    runtime: Runtime = app.state.runtime
    async with unit_of_work(runtime.sessionmaker) as session:
        user = await session.scalar(select(User).where(User.email == account.email))
        assert user is not None
        user.role = UserRole.admin
    return account


async def _add(
    client: httpx.AsyncClient, admin: Account, data: bytes, title: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/library/references",
        files={"file": (f"{title}.jpg", data, "image/jpeg")},
        data={"title": title, "tags": "Oak, chair"},
        headers=admin.headers,
    )


async def test_nobody_logs_in_as_the_account_that_owns_library_images(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await _admin(client, app)
    assert (await _add(client, admin, make_image(), "chair")).status_code == 201
    for password in ("", "!", "correct horse"):
        login = await client.post(
            "/api/v1/auth/login",
            json={"email": "library@layerminder.local", "password": password},
        )
        assert login.status_code in (401, 422)
        assert set(login.json()) == {"error", "detail"}
    owner = await client.post(
        "/api/v1/auth/login",
        json={"email": "library@layerminder.local", "password": "any password at all"},
    )
    assert owner.json() == {"error": "InvalidCredentials", "detail": "wrong email or password"}


async def test_admin_adds_and_removes_references(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await _admin(client, app)
    user = await signup(client)
    red, blue = make_image(color=(220, 30, 30)), make_image(color=(30, 30, 220))

    added = await _add(client, admin, red, "red chair")
    assert added.status_code == 201, added.text
    assert added.json() == {"added": 1, "duplicates": 0, "failed": []}
    assert (await _add(client, admin, blue, "blue chair")).json()["added"] == 1
    duplicate = await _add(client, admin, red, "red again")
    assert duplicate.json() == {"added": 0, "duplicates": 1, "failed": []}
    bad = await _add(client, admin, b"not an image", "junk")
    assert bad.status_code == 422
    assert (await _add(client, user, red, "nope")).status_code == 403

    listing = await client.get("/api/v1/library/references", headers=user.headers)
    body = listing.json()
    assert body["total"] == 2
    assert {r["title"] for r in body["items"]} == {"red chair", "blue chair"}
    assert body["items"][0]["tags"] == ["oak", "chair"]

    search = await client.post(
        "/api/v1/library/search",
        files={"file": ("q.png", make_image("PNG", color=(230, 40, 40)), "image/png")},
        # Every hit, ranked: blue scores under the basic descriptor's own floor (0.3).
        params={"k": 2, "min_score": -1},
        headers=user.headers,
    )
    assert search.status_code == 200, search.text
    hits = search.json()["hits"]
    assert [h["reference"]["title"] for h in hits] == ["red chair", "blue chair"]
    assert hits[0]["score"] > hits[1]["score"]
    assert (await client.get(hits[0]["reference"]["url"])).status_code == 200

    red_id = hits[0]["reference"]["id"]
    assert (
        await client.delete(f"/api/v1/library/references/{red_id}", headers=user.headers)
    ).status_code == 403
    removed = await client.delete(f"/api/v1/library/references/{red_id}", headers=admin.headers)
    assert removed.status_code == 204
    again = await client.delete(f"/api/v1/library/references/{red_id}", headers=admin.headers)
    assert again.status_code == 404
    search = await client.post(
        "/api/v1/library/search",
        files={"file": ("q.png", make_image("PNG", color=(230, 40, 40)), "image/png")},
        params={"min_score": -1},
        headers=user.headers,
    )
    assert [h["reference"]["title"] for h in search.json()["hits"]] == ["blue chair"]


async def test_words_search_titles_tags_and_sources_without_clip(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await _admin(client, app)
    user = await signup(client)
    await _add(client, admin, make_image(color=(120, 80, 40)), "Walnut lounge chair")
    await _add(client, admin, make_image(color=(200, 200, 200)), "Marble side table")
    await _add(client, admin, make_image(color=(40, 40, 40)), "Steel stool")

    response = await client.get(
        "/api/v1/library/search", params={"q": "walnut lounge"}, headers=user.headers
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["match"] == "words"
    assert "clip" not in body["embedder"]
    titles = [h["reference"]["title"] for h in body["hits"]]
    assert titles == ["Walnut lounge chair"]
    assert body["hits"][0]["score"] == 1.0 and body["hits"][0]["match"] == "words"
    # A word may begin a longer one; a tag counts like the title; best matches come first.
    partial = await client.get(
        "/api/v1/library/search", params={"q": "marb oak"}, headers=user.headers
    )
    hits = partial.json()["hits"]
    assert hits[0]["reference"]["title"] == "Marble side table" and hits[0]["score"] == 1.0
    assert {h["reference"]["title"] for h in hits[1:]} == {"Walnut lounge chair", "Steel stool"}
    assert all(h["score"] == 0.5 for h in hits[1:])
    nothing = await client.get(
        "/api/v1/library/search", params={"q": "velvet"}, headers=user.headers
    )
    assert nothing.json()["hits"] == []
    anonymous = await client.get("/api/v1/library/search", params={"q": "oak"})
    assert anonymous.status_code == 401


@pytest.mark.skipif(not (TINY_CLIP / "manifest.json").exists(), reason="tiny CLIP fixture missing")
async def test_text_search_with_clip(tmp_path: Path, database: Database) -> None:
    from asgi_lifespan import LifespanManager

    # A random tiny CLIP scores text against images anywhere in [-1, 1]: keep every hit.
    settings: Settings = make_settings(
        tmp_path, database, clip_model_dir=TINY_CLIP, library_min_score=-1.0
    )
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            admin = await _admin(client, app)
            for i, colour in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200)]):
                await _add(client, admin, make_image(color=colour), f"ref {i}")
            response = await client.get(
                "/api/v1/library/search", params={"q": "a red chair", "k": 2}, headers=admin.headers
            )
            assert response.status_code == 200, response.text
            body = response.json()
            assert "clip" in body["embedder"]
            assert body["match"] == "clip+words"
            assert len(body["hits"]) == 2
            assert body["hits"][0]["score"] >= body["hits"][1]["score"]


@pytest.mark.skipif(not (TINY_CLIP / "manifest.json").exists(), reason="tiny CLIP fixture missing")
async def test_a_search_whose_scores_are_all_under_the_floor_says_so(
    tmp_path: Path, database: Database
) -> None:
    from asgi_lifespan import LifespanManager

    settings: Settings = make_settings(tmp_path, database, clip_model_dir=TINY_CLIP)
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            admin = await _admin(client, app)
            for i, colour in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200)]):
                await _add(client, admin, make_image(color=colour), f"ref {i}")
            search = "/api/v1/library/search"
            # No setting: CLIP's own floors, text lower than image.
            words = (await client.get(search, params={"q": "sofa"}, headers=admin.headers)).json()
            assert words["min_score"] == 0.2
            image = await client.post(
                search,
                files={"file": ("q.png", make_image(color=(200, 40, 40)), "image/png")},
                headers=admin.headers,
            )
            assert image.json()["min_score"] == 0.5
            # A floor nothing reaches: no hits, and the answer says the library held 3 below it.
            response = await client.get(
                search, params={"q": "sofa", "min_score": 0.999}, headers=admin.headers
            )
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["hits"] == []
            assert body["min_score"] == 0.999
            assert body["below_min_score"] == 3
            assert -1 <= body["best_below"] < 0.999
            # Without CLIP there is no floor to speak of: words only.
            too_high = await client.get(
                search, params={"q": "sofa", "min_score": 1.5}, headers=admin.headers
            )
            assert too_high.status_code == 422
            assert set(too_high.json()) == {"error", "detail"}
