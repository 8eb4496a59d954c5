"""A design as an object over HTTP, on both deployments: the GLB passes the Khronos validator
and measures what the record says, the DXF's dimensions are the record's, the parts list
weighs and checks it, and the usual 4xx for what is not there or not the caller's."""

from __future__ import annotations

import io
import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pygltflib
import trimesh
from ezdxf import units
from ezdxf.entities import Dimension as DXFDimension
from ezdxf.filemanagement import read as read_dxf
from sqlalchemy import update

from layerminder.db.session import unit_of_work
from layerminder.models import Record
from tests.finished_records import MakeRecord
from tests.helpers import signup

VALIDATOR = Path(__file__).parent / "gltf"


def khronos_report(glb: bytes, tmp_path: Path) -> dict[str, Any]:
    """The Khronos glTF validator's report (npm `gltf-validator`, installed on first use)."""
    if not (VALIDATOR / "node_modules" / "gltf-validator").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=VALIDATOR, check=True, timeout=300
        )
    path = tmp_path / "design.glb"
    path.write_bytes(glb)
    done = subprocess.run(
        ["node", "validate.mjs", str(path)],
        cwd=VALIDATOR,
        capture_output=True,
        check=True,
        timeout=60,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _design(record: dict[str, Any], position: int = 0) -> str:
    return f"/api/v1/records/{record['id']}/designs/{position}"


async def test_the_glb_is_valid_gltf_at_the_records_size(
    studio: httpx.AsyncClient, make_record: MakeRecord, tmp_path: Path
) -> None:
    account = await signup(studio)
    record = await make_record(account, keyword="walnut")

    response = await studio.get(f"{_design(record)}/model.glb", headers=account.headers)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "model/gltf-binary"
    assert response.headers["x-layerminder-proxy"] == "false"
    report = khronos_report(response.content, tmp_path)
    assert report["issues"]["numErrors"] == 0, report["issues"]["messages"][:5]
    assert report["issues"]["numWarnings"] == 0, report["issues"]["messages"][:5]
    # Metres, Y up: the bounding box is the record's W x H x D within a centimetre.
    scene = trimesh.load(io.BytesIO(response.content), file_type="glb")
    (x0, y0, z0), (x1, y1, z1) = scene.bounds
    dims = record["dimensions"]
    assert abs((x1 - x0) * 100 - dims["width_cm"]) <= 1.0
    assert abs((y1 - y0) * 100 - dims["height_cm"]) <= 1.0
    assert abs((z1 - z0) * 100 - dims["depth_cm"]) <= 1.0
    assert abs(y0) < 1e-6  # standing on the floor
    gltf = pygltflib.GLTF2.load_from_bytes(response.content)
    names = {material.name for material in gltf.materials}
    assert "walnut" in names  # the keyword's material dresses the frame
    assert all(material.pbrMetallicRoughness is not None for material in gltf.materials)
    assert {node.name for node in gltf.nodes} >= {"seat-1"}


async def test_drawings_parts_and_checks_measure_the_same_design(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account)
    dims = record["dimensions"]

    dxf = await studio.get(
        f"{_design(record)}/drawings", params={"format": "dxf"}, headers=account.headers
    )
    svg = await studio.get(f"{_design(record)}/drawings", headers=account.headers)
    parts = await studio.get(f"{_design(record)}/parts", headers=account.headers)

    assert dxf.status_code == svg.status_code == parts.status_code == 200, dxf.text
    doc = read_dxf(io.StringIO(dxf.content.decode()))
    assert doc.units == units.MM
    measured = [
        float(entity.get_measurement())
        for entity in doc.modelspace().query("DIMENSION")
        if isinstance(entity, DXFDimension)
    ]
    # Front, side and top: width, height, depth and the seat height, in millimetres.
    for size in ("width_cm", "height_cm", "depth_cm", "seat_height_cm"):
        assert any(abs(value - dims[size] * 10) <= 10 for value in measured), (size, measured)
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b'data-view="front"' in svg.content and b'data-view="top"' in svg.content
    body = parts.json()
    assert body["proxy"] is False
    assert round(body["width_cm"]) == dims["width_cm"]
    assert round(body["seat_height_cm"]) == dims["seat_height_cm"]
    assert body["weight_kg"] > 0.5
    assert sum(cut["quantity"] for cut in body["cut_list"]) >= 4  # a frame of at least 4 pieces
    checks = {check["name"]: check for check in body["checks"]}
    assert checks["stability"]["status"] in ("ok", "warn")
    assert body["stability"]["inside"] is True
    assert 0 < body["stability"]["tipping_angle_deg"] < 90
    assert checks["legs_reach_floor"]["status"] == "ok"
    assert "seat_height" in checks


async def test_bad_positions_unfinished_and_other_peoples_designs_are_refused(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    owner, stranger = await signup(studio), await signup(studio)
    record = await make_record(owner)

    bad = await studio.get(f"{_design(record, 4)}/model.glb", headers=owner.headers)
    theirs = await studio.get(f"{_design(record)}/parts", headers=stranger.headers)
    anonymous = await studio.get(f"{_design(record)}/parts")
    # The same record as it was while its images were being made.
    runtime = studio.runtime  # type: ignore[attr-defined]
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            update(Record)
            .where(Record.id == uuid.UUID(record["id"]))
            .values(image_status="processing")
        )
    unfinished = await studio.get(f"{_design(record)}/drawings", headers=owner.headers)

    assert bad.status_code == 422 and bad.json()["error"] == "ValidationError"
    assert theirs.status_code == 404 and theirs.json()["error"] == "NotFound"
    assert anonymous.status_code == 401
    assert unfinished.status_code == 409, unfinished.text
    assert unfinished.json()["error"] == "DesignNotReady"
