"""Issue 28's rules through `layerminder generate`: the named type, a colour reference over
the style, a legless form reference, a Korean story, and a refine keeping the style."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from layerminder.providers.local.measures import dominant_hue, hue_distance
from layerminder.providers.local.spec import read_spec
from tests.cli.test_main import cli
from tests.providers.local.photos import photo
from tests.providers.local.shapes import MUSTARD, slipper_chair

pytestmark = pytest.mark.slow


def test_the_brief_is_followed_and_a_refine_keeps_the_style(tmp_path: Path) -> None:
    data = tmp_path / "data"
    mustard, slipper = tmp_path / "mustard.jpg", tmp_path / "slipper.png"
    mustard.write_bytes(photo(MUSTARD, seed=5))
    slipper.write_bytes(slipper_chair())
    first = tmp_path / "first"
    result = cli(
        data, "generate",
        "--role", f"form:{slipper}", "--strength", "0.85",
        "--role", f"colour:{mustard}", "--strength", "0.6",
        "--keyword", "스툴", "--style", "art-deco", "--language", "ko",
        "--out", str(first),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    designs = [path.read_bytes() for path in sorted(first.glob("design-*.jpg"))]
    specs = [read_spec(design) for design in designs]
    # The keyword names the type; the legless reference picks the base.
    assert {(s.kind, s.base) for s in specs if s} == {("stool", "plinth")}
    wanted, got = dominant_hue(mustard.read_bytes()), dominant_hue(*designs)
    assert wanted is not None and got is not None and hue_distance(wanted, got) <= 15
    story = json.loads((first / "story.json").read_text(encoding="utf-8"))
    assert story["furniture_type"] == "stool"
    assert "아르데코" in story["story"]
    assert not re.search(r"[A-Za-z]", story["story"].replace("cm", ""))

    refined = tmp_path / "refined"
    result = cli(data, "generate", "--parent", f"{story['id']}:0", "--out", str(refined))
    assert result.returncode == 0, result.stdout + result.stderr
    children = [read_spec(p.read_bytes()) for p in sorted(refined.glob("design-*.jpg"))]
    assert all(c and c.style and c.style.id == "art-deco" for c in children)
    assert {(c.frame.word, c.seat.word) for c in children if c} == {("brass", "velvet")}
