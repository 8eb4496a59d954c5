"""The studio on both deployments (SQLite + a storage folder; PostgreSQL + S3 on moto), with
the offline providers, and finished records made through its API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from layerminder.app import create_app
from tests.conftest import Database, make_settings
from tests.finished_records import MakeRecord, wait_done
from tests.helpers import Account, create_room, make_image, upload_image
from tests.storage.moto_server import running_moto_s3


@pytest.fixture(params=["embedded", "scaled"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings for one deployment: the embedded default, or PostgreSQL with an S3 bucket."""
    if request.param == "embedded":
        database: Database = request.getfixturevalue("sqlite_database")
        yield {"database": database}
        return
    database = request.getfixturevalue("postgres")
    with running_moto_s3(tmp_path / "moto.log") as moto:
        bucket = moto.create_bucket(f"lm-{uuid.uuid4().hex[:12]}")
        yield {"database": database, **moto.settings(bucket, "lm")}


@pytest.fixture
def sqlite_database(tmp_path: Path, sqlite_template: Path) -> Database:
    import shutil

    path = tmp_path / "lm.sqlite"
    shutil.copy(sqlite_template, path)
    return Database("sqlite", f"sqlite+aiosqlite:///{path}")


@pytest.fixture
def studio_settings() -> dict[str, Any]:
    """Settings a test module adds to the studio's (a module overrides this fixture)."""
    return {}


@pytest.fixture
async def studio(
    tmp_path: Path, deployment: dict[str, Any], studio_settings: dict[str, Any]
) -> AsyncIterator[httpx.AsyncClient]:
    values = {**deployment, **studio_settings}
    settings = make_settings(tmp_path, values.pop("database"), **values)
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=120) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            http.runtime = app.state.runtime  # type: ignore[attr-defined]
            yield http


@pytest.fixture
def make_record(studio: httpx.AsyncClient) -> MakeRecord:
    async def _make(account: Account, keyword: str = "walnut", **body: Any) -> dict[str, Any]:
        room_id = await create_room(studio, account)
        image = await upload_image(studio, account, room_id, make_image(color=(150, 100, 60)))
        response = await studio.post(
            "/api/v1/generate",
            json={"session_id": room_id, "input_image_ids": [image["id"]], "keyword": keyword,
                  **body},
            headers=account.headers,
        )  # fmt: skip
        assert response.status_code == 202, response.text
        return await wait_done(studio, account, response.json()["record_id"])

    return _make
