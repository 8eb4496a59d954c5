"""`layerminder model RECORD:POS --out chair.glb` and `layerminder views RECORD:POS`, through
the entry point: a GLB at the record's size, four views, and plain errors for bad designs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import trimesh
from PIL import Image

from tests.cli.test_main import cli
from tests.helpers import make_image

pytestmark = pytest.mark.slow


def test_model_and_views_of_a_generated_design(tmp_path: Path) -> None:
    data = tmp_path / "data"
    image = tmp_path / "input.png"
    image.write_bytes(make_image("PNG", color=(150, 100, 60)))
    generated = cli(data, "generate", str(image), "--keyword", "oak", "--out", str(tmp_path / "g"))
    assert generated.returncode == 0, generated.stderr
    story = json.loads((tmp_path / "g" / "story.json").read_text(encoding="utf-8"))
    glb = tmp_path / "chair.glb"

    modelled = cli(data, "model", f"{story['id']}:0", "--out", str(glb))
    viewed = cli(data, "views", f"{story['id']}:0", "--out", str(tmp_path / "views"))
    bad = cli(data, "model", f"{story['id']}:7")
    unknown = cli(data, "model", "not-a-record:0")

    assert modelled.returncode == 0, modelled.stderr
    (x0, y0, z0), (x1, y1, z1) = trimesh.load(glb, file_type="glb").bounds
    dims = story["dimensions"]
    assert abs((x1 - x0) * 100 - dims["width_cm"]) <= 1.0
    assert abs((y1 - y0) * 100 - dims["height_cm"]) <= 1.0
    assert abs((z1 - z0) * 100 - dims["depth_cm"]) <= 1.0
    assert viewed.returncode == 0, viewed.stderr
    for angle in ("front", "side", "top", "three_quarter"):
        view = Image.open(io.BytesIO((tmp_path / "views" / f"{angle}.png").read_bytes()))
        assert view.size == (768, 768)
        assert f"{angle}: consistency" in viewed.stdout
    assert bad.returncode == 1 and "position is 0-3" in bad.stderr
    assert unknown.returncode == 1 and "RECORD:POS" in unknown.stderr
