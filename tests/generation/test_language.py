"""Stories in the language asked for (or the user's): Korean prose, English keywords, both shown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Database
from tests.helpers import Account, create_room, make_image, signup, upload_image
from tests.live import events_until_end, server_env, start_server

pytestmark = pytest.mark.slow

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")


def hangul_share(text: str) -> float:
    hangul, latin = len(HANGUL.findall(text)), len(LATIN.findall(text))
    return hangul / max(hangul + latin, 1)


async def _generate(
    client: httpx.AsyncClient, account: Account, room_id: str, image_id: str, **fields: Any
) -> httpx.Response:
    body = {"session_id": room_id, "input_image_ids": [image_id], **fields}
    return await client.post("/api/v1/generate", json=body, headers=account.headers)


async def _follow(client: httpx.AsyncClient, account: Account, response: httpx.Response) -> Any:
    assert response.status_code == 202, response.text
    record_id = response.json()["record_id"]
    events = await events_until_end(client, record_id, account.token)
    streamed = events[-2].data
    assert streamed is not None and streamed["story_status"] == "ready", streamed
    record = await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
    assert record.status_code == 200
    body = record.json()
    # The stream carries the same record, language and display keywords included.
    assert streamed["language"] == body["language"]
    assert streamed["keywords_display"] == body["keywords_display"]
    return body


def assert_korean(record: dict[str, Any], keyword: str) -> None:
    assert record["language"] == "ko"
    paragraphs = record["story"].split("\n\n")
    assert len(paragraphs) == 2
    assert all(hangul_share(paragraph) > 0.85 for paragraph in paragraphs), record["story"]
    for field in ("name", "title", "material"):
        assert HANGUL.search(record[field]), record[field]
    keywords = record["keywords"]
    assert len(keywords) == 12 == len(set(keywords))
    assert all(re.fullmatch(r"[a-z]+", word) for word in keywords)
    assert keyword in keywords
    display = record["keywords_display"]
    assert len(display) == 12
    assert all(HANGUL.search(word) for word in display), display
    assert display[keywords.index(keyword)] == "미니멀"


async def test_stories_come_in_the_language_asked_for_or_the_users(
    tmp_path: Path, database: Database
) -> None:
    env = server_env(tmp_path / "data", database.url, seed_library="true")
    server = start_server(env, tmp_path / "server.log")
    try:
        async with server.client() as client:
            account = await signup(client)
            room_id = await create_room(client, account)
            image_id = (await upload_image(client, account, room_id, make_image()))["id"]

            korean = await _follow(
                client,
                account,
                await _generate(
                    client, account, room_id, image_id, keyword="minimal", language="ko"
                ),
            )
            assert_korean(korean, "minimal")
            # Issue 28: the keyword is quoted in its Korean spelling, never in English.
            assert "‘미니멀’" in korean["story"] and "minimal" not in korean["story"]
            # The starter library's references carry their Korean names for the page.
            assert korean["recommendations"]
            for reference in korean["recommendations"]:
                assert HANGUL.search(reference["title_ko"]) and reference["title"]

            # No language and no saved locale: English, its keywords shown as they are.
            english = await _follow(
                client,
                account,
                await _generate(client, account, room_id, image_id, keyword="minimal"),
            )
            assert english["language"] == "en"
            assert hangul_share(english["story"]) == 0
            assert english["keywords_display"] == english["keywords"]
            # The same design reading in both languages: the same English keywords.
            assert set(english["keywords"]) == set(korean["keywords"])

            # The user's saved studio language is the default; an explicit language wins.
            patched = await client.patch(
                "/api/v1/auth/me", json={"locale": "ko"}, headers=account.headers
            )
            assert patched.status_code == 200, patched.text
            by_locale = await _follow(
                client,
                account,
                await _generate(client, account, room_id, image_id, keyword="미니멀"),
            )
            assert_korean(by_locale, "minimal")
            asked = await _generate(
                client, account, room_id, image_id, keyword="minimal", language="en"
            )
            assert (await _follow(client, account, asked))["language"] == "en"

            before = (await client.get("/api/v1/credits", headers=account.headers)).json()
            bad = await _generate(client, account, room_id, image_id, language="fr")
            assert bad.status_code == 422
            assert set(bad.json()) >= {"error", "detail"}
            after = (await client.get("/api/v1/credits", headers=account.headers)).json()
            assert after["balance"] == before["balance"]
    finally:
        server.stop()
