"""The `layerminder` console script as a user runs it: users, credits, library, generate."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import make_image
from tests.live import CLI, REPO_ROOT
from tests.storage.moto_server import running_moto_s3

pytestmark = pytest.mark.slow


def cli(
    data_dir: Path, *args: str, stdin: str | None = None, **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update(
        {
            "LAYERMINDER_DATA_DIR": str(data_dir),
            "LAYERMINDER_SEED_LIBRARY": "false",
            "COLUMNS": "200",
        }
    )
    env.update({f"LAYERMINDER_{k.upper()}": v for k, v in settings.items()})
    return subprocess.run(
        [CLI, *args],
        env=env,
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_users_and_credits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(data, "migrate").returncode == 0
    created = cli(
        data, "users", "create", "Admin@Studio.io", "--password", "long-password", "--admin"
    )
    assert created.returncode == 0, created.stderr
    assert "admin@studio.io (admin)" in created.stdout
    again = cli(data, "users", "create", "admin@studio.io", "--password", "long-password")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    short = cli(data, "users", "create", "x@studio.io", "--password", "short")
    assert short.returncode == 1

    granted = cli(data, "credits", "grant", "admin@studio.io", "7", "--reason", "pilot")
    assert granted.returncode == 0, granted.stderr
    assert "balance is now 57" in granted.stdout
    nobody = cli(data, "credits", "grant", "nobody@studio.io", "7")
    assert nobody.returncode == 1 and "no account" in nobody.stderr
    negative = cli(data, "credits", "grant", "admin@studio.io", "-3")
    assert negative.returncode != 0


def test_doctor_on_the_embedded_default(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(data, "migrate").returncode == 0
    result = cli(data, "doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "database" in result.stdout and "storage" in result.stdout


def test_doctor_says_when_migrations_are_missing(tmp_path: Path) -> None:
    result = cli(tmp_path / "data", "doctor")
    assert result.returncode == 1
    assert "layerminder migrate" in result.stdout


def test_library_import_dedupes_and_lists(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "refs"
    (folder / "nested").mkdir(parents=True)
    for i, colour in enumerate([(200, 30, 30), (30, 200, 30), (30, 30, 200)]):
        (folder / f"chair_{i}.jpg").write_bytes(make_image(color=colour))
    (folder / "nested" / "copy.jpg").write_bytes((folder / "chair_0.jpg").read_bytes())
    (folder / "notes.txt").write_text("not an image")
    (folder / "broken.png").write_bytes(b"not a png")

    empty = cli(data, "library", "list")
    assert "library is empty" in empty.stdout
    first = cli(data, "library", "import", str(folder), "--tag", "chairs")
    assert first.returncode == 0, first.stderr
    assert (
        "added 3" in first.stdout and "1 duplicates" in first.stdout and "1 failed" in first.stdout
    )
    assert re.search(r"failed in \d+\.\d s \(\d+ images/s\)", first.stdout), first.stdout
    second = cli(data, "library", "import", str(folder))
    assert "added 0" in second.stdout and "4 duplicates" in second.stdout
    listing = cli(data, "library", "list")
    assert "3 entries" in listing.stdout and "chair 1" in listing.stdout
    assert cli(data, "library", "import", str(tmp_path / "missing")).returncode == 1


def test_generate_writes_designs_and_story(tmp_path: Path) -> None:
    data = tmp_path / "data"
    inputs = []
    for i, colour in enumerate([(180, 120, 60), (60, 90, 140)]):
        path = tmp_path / f"input_{i}.png"
        path.write_bytes(make_image("PNG", color=colour))
        inputs.append(str(path))
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / "ref.jpg").write_bytes(make_image(color=(90, 90, 90)))
    assert cli(data, "library", "import", str(refs)).returncode == 0

    out = tmp_path / "out"
    result = cli(data, "generate", *inputs, "--keyword", "organic", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "recommendation" in result.stdout
    # The designs' passes as they were drawn (issue 16): each design's two previews.
    for n in range(1, 5):
        assert f"design {n}: preview 1/3" in result.stdout, result.stdout
        assert f"design {n}: preview 2/3" in result.stdout
    designs = sorted(out.glob("design-*.jpg"))
    assert len(designs) == 4
    assert all(Image.open(p).size == (1024, 1024) for p in designs)
    story = json.loads((out / "story.json").read_text())
    assert story["image_status"] == story["recommendation_status"] == "ready"
    assert len(story["keywords"]) == 12 and "organic" in story["keywords"]
    markdown = (out / "story.md").read_text()
    assert markdown.startswith("# ") and "Keywords:" in markdown


def test_generate_refuses_bad_input(tmp_path: Path) -> None:
    text = tmp_path / "notes.jpg"
    text.write_text("hello")
    result = cli(tmp_path / "data", "generate", str(text), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "not a readable JPEG, PNG or WebP" in result.stderr
    too_many = cli(tmp_path / "data", "generate", *[str(text)] * 5)
    assert too_many.returncode == 1 and "1 to 4" in too_many.stderr


def test_library_import_from_s3_is_paged_and_resumable(tmp_path: Path) -> None:
    with running_moto_s3() as moto:
        bucket = moto.create_bucket("references")
        s3 = moto.client()
        for i in range(5):
            body = make_image(color=(40 * i, 100, 200 - 30 * i))
            s3.put_object(Bucket=bucket, Key=f"chairs/lounge_{i}.jpg", Body=body)
        s3.put_object(Bucket=bucket, Key="chairs/readme.txt", Body=b"notes")
        s3.put_object(Bucket=bucket, Key="tables/oak.jpg", Body=make_image())
        settings = {k: str(v) for k, v in moto.settings(bucket).items() if k != "storage_url"}
        data = tmp_path / "data"

        first = cli(data, "library", "import", "s3://references/chairs/", **settings)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "added 5" in first.stdout
        s3.put_object(Bucket=bucket, Key="chairs/lounge_9.jpg", Body=make_image(color=(9, 9, 9)))
        again = cli(data, "library", "import", "s3://references/chairs/", **settings)
        assert "5 of 6 were imported before" in again.stdout
        assert "added 1" in again.stdout
        listing = cli(data, "library", "list")
        assert "6 entries" in listing.stdout and "lounge 9" in listing.stdout
