"""`layerminder generate --role ROLE:PATH --strength S --style ID --parent RECORD:POS`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_main import cli
from tests.helpers import make_image

pytestmark = pytest.mark.slow


def test_roles_strengths_and_style_then_refine_a_design(tmp_path: Path) -> None:
    data = tmp_path / "data"
    chair, red, plain = tmp_path / "chair.png", tmp_path / "red.png", tmp_path / "plain.jpg"
    chair.write_bytes(make_image("PNG", color=(120, 80, 40)))
    red.write_bytes(make_image("PNG", color=(200, 30, 30)))
    plain.write_bytes(make_image("JPEG", color=(90, 90, 90)))
    first = tmp_path / "first"

    result = cli(
        data,
        "generate",
        str(plain),
        "--role",
        f"form:{chair}",
        "--strength",
        "0.8",
        "--role",
        f"colour:{red}",
        "--style",
        "japandi",
        "--out",
        str(first),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    story = json.loads((first / "story.json").read_text(encoding="utf-8"))
    assert [(i["role"], i["strength"]) for i in story["inputs"]] == [
        ("form", 0.8),
        ("colour", 0.5),
        ("any", 0.5),
    ]
    assert story["style"] == "japandi"
    assert story["image_status"] == "ready"

    refined = tmp_path / "refined"
    result = cli(data, "generate", "--parent", f"{story['id']}:1", "--out", str(refined))
    assert result.returncode == 0, result.stdout + result.stderr
    child = json.loads((refined / "story.json").read_text(encoding="utf-8"))
    assert child["parent"] == {"record_id": story["id"], "position": 1}
    assert child["room_id"] == story["room_id"]
    assert child["inputs"][0]["image_id"] == story["designs"][1]["image_id"]
    assert (child["inputs"][0]["role"], child["inputs"][0]["strength"]) == ("form", 0.8)
    assert len(list(refined.glob("design-*.jpg"))) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "shape:x.png"], "--role takes ROLE:PATH"),
        (["--parent", "not-a-record:1"], "--parent takes RECORD:POS"),
        (["--parent", "00000000-0000-0000-0000-000000000000:7"], "0-3"),
        (["--strength", "0.3"], "1 --strength values for 0 --role"),
    ],
)
def test_bad_loop_options_say_what_is_wrong(tmp_path: Path, args: list[str], message: str) -> None:
    result = cli(tmp_path / "data", "generate", *args)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_another_users_or_a_missing_parent_is_not_found(tmp_path: Path) -> None:
    result = cli(
        tmp_path / "data", "generate", "--parent", "00000000-0000-0000-0000-000000000000:0"
    )
    assert result.returncode != 0
    assert "no record" in result.stdout + result.stderr
