"""A design's views sheet over HTTP, on both deployments: charged, made by a job, streamed to
its end; offline views are rendered from the model at one scale, so each silhouette spans the
model's own projection; a failed sheet is refunded."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from typing import Any

import httpx
import numpy as np
import trimesh
from httpx_sse import aconnect_sse
from PIL import Image
from sqlalchemy import update

from layerminder.db.session import reading, unit_of_work
from layerminder.images import service as images
from layerminder.models import DesignViews
from layerminder.objects.render import BACKGROUND
from layerminder.objects.views import recover_views
from tests.finished_records import MakeRecord
from tests.helpers import Account, signup


async def _balance(client: httpx.AsyncClient, account: Account) -> int:
    body = (await client.get("/api/v1/credits", headers=account.headers)).json()
    balance: int = body["balance"]
    return balance


async def _follow(client: httpx.AsyncClient, account: Account, base: str) -> list[tuple[str, Any]]:
    """The views stream read as a client does, until `end`."""
    events = []
    async with aconnect_sse(client, "GET", f"{base}/views/stream", headers=account.headers) as sse:
        sse.response.raise_for_status()
        async for event in sse.aiter_sse():
            if not event.data and event.event in ("", "message"):
                continue
            events.append((event.event, json.loads(event.data) if event.data else None))
            if event.event == "end":
                break
    return events


def _silhouette_cm(png: bytes, scale: float) -> tuple[float, float]:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    mask = np.abs(pixels - np.array(BACKGROUND)).max(axis=2) > 6
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return (cols[-1] - cols[0] + 1) / scale, (rows[-1] - rows[0] + 1) / scale


async def test_offline_views_are_the_models_own_projections(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account)
    base = f"/api/v1/records/{record['id']}/designs/1"
    before = await _balance(studio, account)

    started = await studio.post(f"{base}/views", headers=account.headers)
    assert started.status_code == 202, started.text
    assert started.json()["status"] in ("pending", "processing", "ready")
    events = await _follow(studio, account, base)
    sheet = (await studio.get(f"{base}/views", headers=account.headers)).json()

    assert events[-1][0] == "end" and events[-2][1]["status"] == "ready"
    assert sheet["status"] == "ready" and sheet["provider"] == "local", sheet
    assert [view["angle"] for view in sheet["views"]] == ["front", "side", "top", "three_quarter"]
    assert await _balance(studio, account) == before - 1
    glb = await studio.get(f"{base}/model.glb", headers=account.headers)
    (x0, y0, z0), (x1, y1, z1) = trimesh.load(io.BytesIO(glb.content), file_type="glb").bounds
    # The model's projections (cm) in the three orthographic views.
    expected = {
        "front": ((x1 - x0) * 100, (y1 - y0) * 100),
        "side": ((z1 - z0) * 100, (y1 - y0) * 100),
        "top": ((x1 - x0) * 100, (z1 - z0) * 100),
    }
    scales = {view["scale_px_per_cm"] for view in sheet["views"]}
    assert len(scales) == 1  # one camera scale for the whole sheet
    for view in sheet["views"]:
        image = await studio.get(view["url"])
        assert image.status_code == 200
        assert 0.0 < view["score"] <= 1.0001
        if view["angle"] in expected:
            across, up = _silhouette_cm(image.content, view["scale_px_per_cm"])
            want_across, want_up = expected[view["angle"]]
            assert abs(across - want_across) <= 0.02 * want_across, (view["angle"], across)
            assert abs(up - want_up) <= 0.02 * want_up, (view["angle"], up)


async def test_a_failed_views_sheet_is_refunded(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account)
    base = f"/api/v1/records/{record['id']}/designs/0"
    before = await _balance(studio, account)
    # The design's image gone from storage: the job cannot read its reference.
    runtime = studio.runtime  # type: ignore[attr-defined]
    design_id = uuid.UUID(record["designs"][0]["image_id"])
    async with reading(runtime.sessionmaker) as session:
        found = await images.get_many(session, [design_id])
    await runtime.storage.delete(found[design_id].storage_key)

    started = await studio.post(f"{base}/views", headers=account.headers)
    assert started.status_code == 202, started.text
    await _follow(studio, account, base)
    sheet = (await studio.get(f"{base}/views", headers=account.headers)).json()

    assert sheet["status"] == "error" and sheet["error"]
    assert await _balance(studio, account) == before
    again = await studio.get(f"/api/v1/records/{record['id']}/designs/9/views",
                             headers=account.headers)  # fmt: skip
    assert again.status_code == 422


async def test_a_sheet_left_open_by_a_dead_process_is_made_at_start_up(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account)
    base = f"/api/v1/records/{record['id']}/designs/2"
    assert (await studio.post(f"{base}/views", headers=account.headers)).status_code == 202
    await _follow(studio, account, base)
    sheet = (await studio.get(f"{base}/views", headers=account.headers)).json()
    # As a process that died mid-job leaves it: processing, nothing made.
    runtime = studio.runtime  # type: ignore[attr-defined]
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            update(DesignViews)
            .where(DesignViews.id == uuid.UUID(sheet["id"]))
            .values(status="processing", views=[])
        )

    assert await recover_views(runtime, at_startup=True) == 1
    for _ in range(200):
        again = (await studio.get(f"{base}/views", headers=account.headers)).json()
        if again["done"]:
            break
        await asyncio.sleep(0.05)

    assert again["status"] == "ready" and len(again["views"]) == 4
    assert [v["image_id"] for v in again["views"]] == [v["image_id"] for v in sheet["views"]]
