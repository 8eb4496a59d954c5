"""`layerminder library import` and `library search` through the console script, with CLIP."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.live import CLI

pytestmark = pytest.mark.slow

TINY_CLIP = Path(__file__).resolve().parents[1] / "fixtures" / "tiny_clip"


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update(
        {
            "LAYERMINDER_DATA_DIR": str(tmp_path / "data"),
            "LAYERMINDER_CLIP_MODEL_DIR": str(TINY_CLIP),
            "LAYERMINDER_SEED_LIBRARY": "false",
            "COLUMNS": "200",
            "NO_COLOR": "1",
        }
    )
    return subprocess.run(
        [CLI, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )


def test_a_search_that_nothing_passes_says_how_many_scored_below(tmp_path: Path) -> None:
    folder = tmp_path / "references"
    folder.mkdir()
    for i, colour in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200)]):
        buffer = io.BytesIO()
        Image.new("RGB", (240, 200), colour).save(buffer, "JPEG")
        (folder / f"ref-{i}.jpg").write_bytes(buffer.getvalue())

    empty = cli(tmp_path, "library", "search", "sofa")
    assert empty.returncode == 0, empty.stderr
    assert "the library is empty" in empty.stdout

    imported = cli(tmp_path, "library", "import", str(folder))
    assert imported.returncode == 0, imported.stderr
    assert "added 3" in imported.stdout and "images/s" in imported.stdout

    # The tiny random CLIP scores words anywhere in [-1, 1]: nothing reaches 0.999.
    result = cli(tmp_path, "library", "search", "sofa", "--min-score", "0.999")
    assert result.returncode == 0, result.stderr
    assert "3 references scored below 0.999" in result.stdout
    assert "no matches" in result.stdout
    assert "empty" not in result.stdout

    everything = cli(tmp_path, "library", "search", "sofa", "--min-score", "-1")
    assert everything.returncode == 0, everything.stderr
    assert "3 matches" in everything.stdout and "scored below" not in everything.stdout
