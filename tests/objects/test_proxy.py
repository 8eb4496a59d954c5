"""A design that is only a picture (as OpenAI's are) gets a proxy: the record's type at the
record's sizes, labelled as a proxy in the GLB, the headers, the parts list and the drawing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pygltflib
import pytest
import trimesh

from tests.finished_records import MakeRecord
from tests.helpers import signup
from tests.objects.test_endpoints import khronos_report


@pytest.fixture
def studio_settings() -> dict[str, Any]:
    return {
        "image_provider": "tests.fakes.providers:PictureOnlyImageProvider",
        "story_provider": "tests.fakes.providers:DiningChairStoryProvider",
    }


async def test_a_picture_gets_a_labelled_proxy_at_the_records_size(
    studio: httpx.AsyncClient, make_record: MakeRecord, tmp_path: Path
) -> None:
    account = await signup(studio)
    record = await make_record(account, keyword="seat 45")
    base = f"/api/v1/records/{record['id']}/designs/2"

    glb = await studio.get(f"{base}/model.glb", headers=account.headers)
    parts = await studio.get(f"{base}/parts", headers=account.headers)
    svg = await studio.get(f"{base}/drawings", headers=account.headers)

    assert glb.status_code == parts.status_code == svg.status_code == 200, glb.text
    assert glb.headers["x-layerminder-proxy"] == "true"
    assert khronos_report(glb.content, tmp_path)["issues"]["numErrors"] == 0
    gltf = pygltflib.GLTF2.load_from_bytes(glb.content)
    assert gltf.scenes[0].extras["proxy"] is True
    # The scripted story's dining chair: 46 x 52 x 80 cm, seat at 45, exactly.
    (x0, y0, z0), (x1, y1, z1) = trimesh.load(io.BytesIO(glb.content), file_type="glb").bounds
    assert [round((x1 - x0) * 100, 3), round((y1 - y0) * 100, 3), round((z1 - z0) * 100, 3)] == [
        46.0,
        80.0,
        52.0,
    ]
    body = parts.json()
    assert body["proxy"] is True and body["source"] == "proxy:chair"
    assert body["seat_height_cm"] == 45.0
    assert b"PROXY" in svg.content
