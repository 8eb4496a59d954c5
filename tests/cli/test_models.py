"""`layerminder models export-clip` through the console script: sources it refuses, and why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.live import CLI

pytestmark = pytest.mark.slow


def cli(tmp_path: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAYERMINDER_", "HF_"))}
    env.update(
        {
            "LAYERMINDER_DATA_DIR": str(tmp_path / "data"),
            # A Hugging Face cache of its own: nothing cached, nothing shared with the machine's.
            "HF_HOME": str(tmp_path / "hf"),
            # Narrow, so an error that wrapped would show as several lines.
            "COLUMNS": "60",
            "NO_COLOR": "1",
            **env_extra,
        }
    )
    return subprocess.run(
        [CLI, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0]
    return lines[0]


def need_export_extra() -> None:
    """Skip, naming why, without torch + transformers + onnx; fail instead where `make test`
    installed them (it sets LAYERMINDER_REQUIRE_EXPORT_TESTS): CI never skips these silently."""
    missing = [name for name in ("torch", "transformers", "onnx") if find_spec(name) is None]
    if not missing:
        return
    reason = f"the `export` extra is not installed (no {', '.join(missing)}): `make export-extra`"
    if os.environ.get("LAYERMINDER_REQUIRE_EXPORT_TESTS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def test_the_models_group_is_registered(tmp_path: Path) -> None:
    result = cli(tmp_path, "models", "export-clip", "--help", COLUMNS="200")
    assert result.returncode == 0, result.stderr
    assert "--source" in result.stdout and "models/clip" in result.stdout


def test_a_missing_directory(tmp_path: Path) -> None:
    result = cli(tmp_path, "models", "export-clip", "--source", "./no/such/folder")
    assert_one_clear_line(result, "./no/such/folder: no such directory")
    assert not (tmp_path / "data" / "models").exists()


def test_a_folder_without_weights(tmp_path: Path) -> None:
    source = tmp_path / "half-a-model"
    source.mkdir()
    (source / "config.json").write_text(json.dumps({"model_type": "clip"}))
    (source / "tokenizer.json").write_text("{}")
    result = cli(tmp_path, "models", "export-clip", "--source", str(source))
    assert_one_clear_line(result, "holds no CLIP weights", "model.safetensors", "pytorch_model.bin")


def test_a_file_is_not_a_source(tmp_path: Path) -> None:
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"not really")
    result = cli(tmp_path, "models", "export-clip", "--source", str(weights))
    assert_one_clear_line(result, "is not a directory")


def test_a_model_that_is_not_clip(tmp_path: Path) -> None:
    source = tmp_path / "bert"
    source.mkdir()
    (source / "config.json").write_text(json.dumps({"model_type": "bert"}))
    (source / "model.safetensors").write_bytes(b"")
    result = cli(tmp_path, "models", "export-clip", "--source", str(source))
    assert_one_clear_line(result, "holds a bert model, not CLIP")


def test_an_original_openai_checkpoint_is_named_as_such(tmp_path: Path) -> None:
    source = tmp_path / "openai-original"
    source.mkdir()
    (source / "ViT-B-32.pt").write_bytes(b"")
    result = cli(tmp_path, "models", "export-clip", "--source", str(source))
    assert_one_clear_line(result, "OpenAI/open_clip original checkpoint (ViT-B-32.pt)")


def test_a_hub_id_that_cannot_be_downloaded(tmp_path: Path) -> None:
    # Offline and nothing cached: what a user without network (every machine here) sees.
    result = cli(
        tmp_path,
        "models",
        "export-clip",
        "--source",
        "openai/clip-vit-base-patch32",
        HF_HUB_OFFLINE="1",
    )
    assert_one_clear_line(result, "cannot download openai/clip-vit-base-patch32", "local directory")


def test_a_bad_weights_file_is_one_line(tmp_path: Path) -> None:
    need_export_extra()
    source = tmp_path / "broken"
    source.mkdir()
    (source / "config.json").write_text(json.dumps({"model_type": "clip"}))
    (source / "model.safetensors").write_bytes(b"\x00" * 64)
    result = cli(tmp_path, "models", "export-clip", "--source", str(source))
    assert_one_clear_line(result, f"cannot load CLIP weights from {source}")


# -- exporting the tiny fixture (tests/fixtures/tiny_clip/hf, made by scripts/make_tiny_clip.py)

TINY_CLIP = Path(__file__).resolve().parents[1] / "fixtures" / "tiny_clip"
# Wide enough that a path is never wrapped.
WIDE = {"COLUMNS": "400"}


def pickle_copy(source: Path, target: Path) -> Path:
    """The same weights as `pytorch_model.bin` only: the hub's openai/clip-vit-base-patch32 main
    branch ships its weights that way."""
    import torch
    from safetensors.torch import load_file

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.safetensors"))
    torch.save(load_file(source / "model.safetensors"), target / "pytorch_model.bin")
    return target


def assert_exported(result: subprocess.CompletedProcess[str], target: Path) -> dict:
    assert result.returncode == 0, result.stdout + result.stderr
    # The path once, and no warnings from torch's exporter or the quantiser.
    assert result.stdout.count(str(target)) == 1, result.stdout
    assert "Warning" not in result.stderr, result.stderr
    manifest = json.loads((target / "manifest.json").read_text())
    # The same graphs as the fixture's own export: both weight formats give identical ONNX.
    fixture = json.loads((TINY_CLIP / "manifest.json").read_text())
    assert manifest["fingerprint"] == fixture["fingerprint"]
    return manifest


def test_export_from_a_safetensors_folder_into_the_default_location(tmp_path: Path) -> None:
    need_export_extra()
    result = cli(tmp_path, "models", "export-clip", "--source", str(TINY_CLIP / "hf"), **WIDE)
    target = tmp_path / "data" / "models" / "clip"
    manifest = assert_exported(result, target)
    assert (target / "vision.int8.onnx").is_file() and "vision_int8" in manifest["files"]
    assert "layerminder library reindex" in result.stdout
    # With no setting at all, the next process finds it there and embeds with it.
    stats = cli(tmp_path, "library", "stats", COLUMNS="200")
    assert stats.returncode == 0, stats.stderr
    assert f"embedder in use: {manifest['name']}:{manifest['fingerprint'][:12]}" in stats.stdout


def test_export_from_a_pytorch_model_bin_folder(tmp_path: Path) -> None:
    need_export_extra()
    source = pickle_copy(TINY_CLIP / "hf", tmp_path / "tiny-clip-bin")
    target = tmp_path / "elsewhere"
    result = cli(
        tmp_path,
        "models",
        "export-clip",
        "--source",
        str(source),
        "--out",
        str(target),
        "--no-int8",
        **WIDE,
    )
    manifest = assert_exported(result, target)
    assert "vision_int8" not in manifest["files"]
    assert "LAYERMINDER_CLIP_MODEL_DIR" in result.stdout


def fake_hub_repo(hf_home: Path, repo_id: str, files: Path) -> None:
    """A repository as huggingface_hub caches it (refs/main → snapshots/<commit>/files): with
    HF_HUB_OFFLINE=1 the export's snapshot_download calls are answered from it. No network here,
    so this is the hub path as far as it can run: the download itself is not exercised."""
    repo = hf_home / "hub" / f"models--{repo_id.replace('/', '--')}"
    commit = "0" * 40
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    shutil.copytree(files, repo / "snapshots" / commit)


def test_export_from_a_hub_id_whose_repository_has_only_pytorch_model_bin(tmp_path: Path) -> None:
    need_export_extra()
    weights = pickle_copy(TINY_CLIP / "hf", tmp_path / "bin")
    fake_hub_repo(tmp_path / "hf", "layerminder-test/tiny-clip", weights)
    result = cli(
        tmp_path,
        "models",
        "export-clip",
        "--source",
        "layerminder-test/tiny-clip",
        "--no-int8",
        HF_HUB_OFFLINE="1",
        **WIDE,
    )
    manifest = assert_exported(result, tmp_path / "data" / "models" / "clip")
    assert manifest["source"] == "layerminder-test/tiny-clip"
    assert manifest["name"] == "tiny-clip"
