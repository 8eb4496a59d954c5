"""A record's view is reused only while nothing it shows has changed."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from layerminder.app import create_app
from layerminder.config import Settings
from layerminder.db.session import reading
from layerminder.runtime import Runtime
from tests.conftest import Database, make_settings
from tests.finished_records import wait_done
from tests.helpers import make_admin, signup, start_generation


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return make_settings(tmp_path, database, seed_library=True)


async def test_a_record_read_again_shows_a_reference_removed_since(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await signup(client)
    room, record_id = await start_generation(client, account, (150, 100, 60))
    record = await wait_done(client, account, record_id)
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


async def test_a_running_record_s_view_is_built_once_per_change_and_shared(
    tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every reader of a rendering record (its page, its room's history, its stream's events)
    gets the one view built for its current state, until the record changes."""
    control = tmp_path / "control.json"
    control.write_text(json.dumps({"image_delay": 60}))  # held in the images stage
    monkeypatch.setenv("LAYERMINDER_TEST_CONTROL_FILE", str(control))
    settings = make_settings(
        tmp_path,
        database,
        seed_library=True,
        image_provider="tests.integration.providers:TunableImageProvider",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            account = await signup(client)
            room, started = await start_generation(client, account, (90, 120, 60))
            record_id = uuid.UUID(started)
            runtime: Runtime = app.state.runtime
            views = runtime.record_views
            first = None
            for _ in range(200):
                async with reading(runtime.sessionmaker) as session:
                    first = await views.current(session, record_id)
                if first is not None and first.image_status == "processing":
                    break
                await asyncio.sleep(0.05)
            assert first is not None and first.image_status == "processing" and not first.done

            async with reading(runtime.sessionmaker) as session:
                again = await views.current(session, record_id)
                page, total = await views.room_page(session, uuid.UUID(room), 20, 0)
            assert again is first and page == [first] and page[0] is first and total == 1
            over_http = await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
            assert over_http.json() == first.model_dump(mode="json")

            # A change makes a new view, which every reader then shares in turn.
            cancel = await client.post(
                f"/api/v1/records/{record_id}/cancel", headers=account.headers
            )
            assert cancel.status_code == 200, cancel.text
            async with reading(runtime.sessionmaker) as session:
                ended = await views.current(session, record_id)
                page, _ = await views.room_page(session, uuid.UUID(room), 20, 0)
            assert ended is not None and ended is not first
            assert ended.cancelled and ended.version > first.version and page[0] is ended
