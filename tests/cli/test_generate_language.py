"""`layerminder generate --language ko`: a Korean story.md and story.json, English keywords."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.test_main import cli
from tests.helpers import make_image

pytestmark = pytest.mark.slow

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_generate_in_korean_writes_a_korean_story(tmp_path: Path) -> None:
    data = tmp_path / "data"
    image = tmp_path / "input.png"
    image.write_bytes(make_image("PNG", color=(180, 120, 60)))
    out = tmp_path / "out"

    result = cli(
        data, "generate", str(image), "--keyword", "minimal", "--language", "ko", "--out", str(out)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    story = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert story["language"] == "ko" and story["story_status"] == "ready"
    assert len(story["keywords"]) == 12 and "minimal" in story["keywords"]
    assert all(re.fullmatch(r"[a-z]+", word) for word in story["keywords"])
    assert len(story["keywords_display"]) == 12
    assert all(HANGUL.search(word) for word in story["keywords_display"])
    markdown = (out / "story.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {story['title']}\n")
    assert f"**이름:** {story['name']}" in markdown
    dims = story["dimensions"]
    assert f"**치수:** 폭 {dims['width_cm']}cm × 깊이 {dims['depth_cm']}cm × " in markdown
    assert f"**소재:** {story['material']}" in markdown
    assert "**키워드:** " + ", ".join(story["keywords_display"]) in markdown
    assert ", ".join(story["keywords"]) in markdown
    assert story["story"] in markdown
    assert len(story["story"].split("\n\n")) == 2
    # Every label is Korean: no English word outside the keywords, providers and units.
    prose = markdown.replace(", ".join(story["keywords"]), "")
    for english in ("Name", "Dimensions", "Material", "Keywords", "Made by", "similarity"):
        assert english not in prose


def test_generate_refuses_an_unknown_language(tmp_path: Path) -> None:
    image = tmp_path / "input.png"
    image.write_bytes(make_image("PNG"))
    result = cli(tmp_path / "data", "generate", str(image), "--language", "fr")
    assert result.returncode == 2
    assert "fr" in result.stderr
