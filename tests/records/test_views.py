"""A record's view is reused only while nothing it shows has changed."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from layerminder.config import Settings
from tests.conftest import Database, make_settings
from tests.finished_records import wait_done
from tests.helpers import create_room, make_admin, make_image, signup, upload_image


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return make_settings(tmp_path, database, seed_library=True)


async def test_a_record_read_again_shows_a_reference_removed_since(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await signup(client)
    room = await create_room(client, account)
    image = await upload_image(client, account, room, make_image(color=(150, 100, 60)))
    created = await client.post(
        "/api/v1/generate",
        json={"session_id": room, "input_image_ids": [image["id"]], "keyword": "oak"},
        headers=account.headers,
    )
    assert created.status_code == 202, created.text
    record = await wait_done(client, account, created.json()["record_id"])
    recommended = [r["reference_id"] for r in record["recommendations"]]
    assert recommended, "the starter library gives every record recommendations"
    again = await client.get(f"/api/v1/records/{record['id']}", headers=account.headers)
    assert again.json()["recommendations"] == record["recommendations"]

    # Removing a reference changes the record's recommendations but not the record itself.
    admin = await make_admin(client, app)
    removed = await client.delete(
        f"/api/v1/library/references/{recommended[0]}", headers=admin.headers
    )
    assert removed.status_code == 204, removed.text

    after = await client.get(f"/api/v1/records/{record['id']}", headers=account.headers)
    assert after.json()["version"] == record["version"]
    assert [r["reference_id"] for r in after.json()["recommendations"]] == recommended[1:]
    page = await client.get(f"/api/v1/sessions/{room}/records", headers=account.headers)
    assert page.json()["items"] == [after.json()]
