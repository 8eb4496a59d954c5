"""`layerminder doctor` as a user runs it: the console script, against the fake OpenAI server."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeModel, FakeOpenAI, Script, running_fake_openai
from tests.live import CLI, REPO_ROOT

pytestmark = pytest.mark.slow

TODAY = datetime.now(UTC).date()


def _env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LAYERMINDER_", "OPENAI_"))  # nothing from the developer's shell
    }
    env.update(
        {
            "LAYERMINDER_DATA_DIR": str(data_dir),
            "LAYERMINDER_SEED_LIBRARY": "false",
            # Wide enough that no table row wraps.
            "COLUMNS": "500",
            "PYTHONIOENCODING": "utf-8",
        }
    )
    env.update(settings)
    return env


def doctor(data_dir: Path, **settings: str) -> tuple[int, dict[str, tuple[str, str]], str]:
    """Run the console script; (exit code, {check: (status, details)}, full output)."""
    result = subprocess.run(
        [CLI, "doctor"],
        env=_env(data_dir, **settings),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    rows: dict[str, tuple[str, str]] = {}
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) == 3 and cells[1] in ("ok", "warn", "fail"):
            rows[cells[0]] = (cells[1], cells[2])
    assert rows, output
    return result.returncode, rows, output


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated embedded database (doctor fails on an unmigrated schema, rightly)."""
    data = tmp_path_factory.mktemp("doctor") / "data"
    migrated = subprocess.run(
        [CLI, "migrate"],
        env=_env(data),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    return data


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    soon = (TODAY + timedelta(days=10)).isoformat()
    later = (TODAY + timedelta(days=200)).isoformat()
    past = (TODAY - timedelta(days=32)).isoformat()
    script = Script(
        models=[
            FakeModel("gpt-image-2", shutdown_date=soon),
            FakeModel("gpt-image-2.6-flare"),
            FakeModel("gpt-image-2.6-sunburst"),
            FakeModel("gpt-6-luna"),
            FakeModel("gpt-6-terra", shutdown_date=later),
            FakeModel("gpt-4.1-nano", shutdown_date=past),
            FakeModel("legacy-compatible", include_shutdown_date=False),
        ]
    )
    with running_fake_openai(script=script) as server:
        yield server


def _openai(fake: FakeOpenAI, **settings: str) -> dict[str, str]:
    values = {
        "LAYERMINDER_IMAGE_PROVIDER": "openai",
        "LAYERMINDER_STORY_PROVIDER": "openai",
        # The plain names a user exports, not the LAYERMINDER_ ones.
        "OPENAI_API_KEY": fake.api_key,
        "OPENAI_BASE_URL": fake.base_url,
    }
    values.update(settings)
    return values


def test_embedded_default_without_keys_is_all_ok(data_dir: Path) -> None:
    code, rows, output = doctor(data_dir)
    assert code == 0, output
    assert all(status == "ok" for status, _ in rows.values()), output
    assert {"database", "storage", "providers", "embedder"} <= set(rows)
    assert rows["providers"][1] == (
        "images: local (offline, no API calls); story: local (offline, no API calls)"
    )
    embedder = rows["embedder"][1]
    assert embedder.startswith("basic-descriptor-v1: basic descriptor (not CLIP)")
    assert "LAYERMINDER_CLIP_MODEL_DIR" in embedder
    # Local providers need no key and no model checks.
    assert "openai key" not in rows and "image model" not in rows


def test_models_available_and_a_near_shutdown_warns(data_dir: Path, fake: FakeOpenAI) -> None:
    code, rows, output = doctor(data_dir, **_openai(fake, LAYERMINDER_IMAGE_MODEL="gpt-image-2"))
    assert code == 0, output  # a warning is not a failure
    assert rows["providers"] == ("ok", "images: openai (gpt-image-2); story: openai (gpt-6-luna)")
    assert rows["openai key"] == ("ok", f"OPENAI_API_KEY is set; endpoint {fake.base_url}")
    status, details = rows["image model"]
    assert status == "warn"
    shutdown = (TODAY + timedelta(days=10)).isoformat()
    assert f"gpt-image-2 shuts down on {shutdown} (in 10 days)" in details
    assert "LAYERMINDER_IMAGE_MODEL" in details
    assert rows["story model"] == ("ok", "gpt-6-luna is available")
    assert rows["edit model"] == ("ok", "gpt-image-2.6-sunburst is available")
    # Known from the deprecations table, without asking the API.
    status, details = rows["image model deprecation"]
    assert status == "warn"
    assert "gpt-image-2 is deprecated since 2026-11-10 and shuts down on 2027-02-10" in details
    assert "LAYERMINDER_IMAGE_MODEL=gpt-image-2.6-flare" in details
    listing = fake.requests_to("/v1/models")
    assert len(listing) == 1 and listing[0].status == 200
    assert listing[0].headers["authorization"] == f"Bearer {fake.api_key}"


def test_missing_and_shut_down_models_fail(data_dir: Path, fake: FakeOpenAI) -> None:
    code, rows, output = doctor(
        data_dir,
        **_openai(
            fake,
            LAYERMINDER_IMAGE_MODEL="gpt-image-9",
            LAYERMINDER_STORY_MODEL="gpt-4.1-nano",
        ),
    )
    assert code == 1, output
    assert rows["image model"][0] == "fail"
    assert "gpt-image-9 is not available" in rows["image model"][1]
    assert "LAYERMINDER_IMAGE_MODEL" in rows["image model"][1]
    assert rows["story model"][0] == "fail"
    past = (TODAY - timedelta(days=32)).isoformat()
    assert f"gpt-4.1-nano was shut down on {past}" in rows["story model"][1]
    # The rest of the report still runs.
    assert rows["database"][0] == rows["embedder"][0] == "ok"


def test_only_the_openai_side_is_checked_and_shared_models_once(
    data_dir: Path, fake: FakeOpenAI
) -> None:
    code, rows, output = doctor(
        data_dir,
        **_openai(
            fake,
            LAYERMINDER_IMAGE_PROVIDER="local",
            LAYERMINDER_STORY_MODEL="gpt-6-terra",
        ),
    )
    assert code == 0, output
    assert "image model" not in rows
    status, details = rows["story model"]
    later = (TODAY + timedelta(days=200)).isoformat()
    assert status == "ok" and f"shutdown announced for {later}" in details
    # A compatible server's entry without `shutdown_date` is fine.
    code, rows, output = doctor(
        data_dir,
        **_openai(
            fake,
            LAYERMINDER_IMAGE_MODEL="legacy-compatible",
            LAYERMINDER_STORY_MODEL="legacy-compatible",
        ),
    )
    assert code == 0, output
    assert rows["image and story model"] == ("ok", "legacy-compatible is available")


def test_openai_without_a_key_says_what_to_set(data_dir: Path, fake: FakeOpenAI) -> None:
    settings = _openai(fake)
    del settings["OPENAI_API_KEY"], settings["OPENAI_BASE_URL"]
    code, rows, output = doctor(data_dir, **settings)
    assert code == 1, output
    status, details = rows["openai key"]
    assert status == "fail"
    assert "OPENAI_API_KEY is not set" in details and "LAYERMINDER_IMAGE_PROVIDER=local" in details
    # No model rows repeating the same failure, and nothing was asked of any server.
    assert "image model" not in rows and "story model" not in rows
    assert fake.requests == []


def test_a_wrong_key_and_an_unreachable_endpoint_fail_in_plain_words(
    data_dir: Path, fake: FakeOpenAI, tmp_path: Path
) -> None:
    code, rows, output = doctor(data_dir, **_openai(fake, OPENAI_API_KEY="sk-wrong"))
    assert code == 1, output
    status, details = rows["image model"]
    assert status == "fail" and "could not list models" in details
    assert "Incorrect API key" in details

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    code, rows, output = doctor(data_dir, **_openai(fake, OPENAI_BASE_URL=closed))
    assert code == 1, output
    assert "could not connect" in rows["story model"][1]


def test_a_plugin_provider_that_does_not_import_fails(data_dir: Path) -> None:
    code, rows, output = doctor(
        data_dir,
        LAYERMINDER_IMAGE_PROVIDER="tests.fakes.providers:FailingImageProvider",
        LAYERMINDER_STORY_PROVIDER="no_such_module:Story",
        PYTHONPATH=str(REPO_ROOT),
    )
    assert code == 1, output
    assert rows["image provider"][0] == "ok"
    assert rows["story provider"][0] == "fail"
    assert "no_such_module" in rows["story provider"][1]


def test_a_quality_the_image_model_refuses_fails_with_the_values_it_takes(
    data_dir: Path, fake: FakeOpenAI
) -> None:
    code, rows, output = doctor(
        data_dir,
        **_openai(fake, LAYERMINDER_IMAGE_MODEL="gpt-image-2", LAYERMINDER_IMAGE_QUALITY="max"),
    )
    assert code == 1, output
    status, details = rows["image quality"]
    assert status == "fail"
    assert "'max'" in details and "gpt-image-2" in details and "auto, high, low, medium" in details
    code, rows, output = doctor(data_dir, **_openai(fake))
    assert rows["image quality"] == (
        "ok",
        "low is a quality gpt-image-2.6-flare and gpt-image-2.6-sunburst take",
    ), output
    # The defaults (issue 30) are current: no deprecation rows, nothing to warn about.
    assert code == 0 and not [name for name in rows if "deprecation" in name], output
    assert rows["providers"] == (
        "ok",
        "images: openai (gpt-image-2.6-flare); story: openai (gpt-6-luna)",
    )
