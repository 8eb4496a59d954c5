"""A studio app for tests, and finished records made through its API (the app runs the job)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from layerminder.app import create_app
from tests.conftest import Database, make_settings
from tests.helpers import Account, create_room, make_image, upload_image

MakeRecord = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def studio(tmp_path: Path, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the starter library and a scripted dining-chair story."""
    settings = make_settings(
        tmp_path,
        database,
        seed_library=True,
        story_provider="tests.fakes.providers:DiningChairStoryProvider",
        # Pictures without parts: the scripted story's sizes stay the record's.
        image_provider="tests.fakes.providers:PictureOnlyImageProvider",
    )
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=120) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def wait_done(client: httpx.AsyncClient, account: Account, record_id: str) -> dict[str, Any]:
    for _ in range(600):
        response = await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
        assert response.status_code == 200, response.text
        record: dict[str, Any] = response.json()
        if record["done"]:
            return record
        await asyncio.sleep(0.05)
    raise AssertionError(f"record {record_id} did not finish")


@pytest.fixture
def make_record(studio: httpx.AsyncClient) -> MakeRecord:
    async def _make(
        account: Account,
        keyword: str = "seat 45",
        room_id: str | None = None,
        colour: tuple[int, int, int] = (180, 120, 60),
        language: str = "en",
    ) -> dict[str, Any]:
        room_id = room_id or await create_room(studio, account)
        image = await upload_image(studio, account, room_id, make_image(color=colour))
        response = await studio.post(
            "/api/v1/generate",
            json={
                "session_id": room_id,
                "input_image_ids": [image["id"]],
                "keyword": keyword,
                "language": language,
            },
            headers=account.headers,
        )
        assert response.status_code == 202, response.text
        return await wait_done(studio, account, response.json()["record_id"])

    return _make
