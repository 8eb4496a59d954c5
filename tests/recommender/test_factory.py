"""`build_embedder` is the one place the embedder is chosen."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from layerminder.config import Settings
from layerminder.errors import ServiceUnavailable
from layerminder.recommender.basic import BasicDescriptorEmbedder
from layerminder.recommender.clip_onnx import ClipOnnxEmbedder
from layerminder.recommender.factory import as_text_embedder, build_embedder


def settings(**values: Any) -> Settings:
    # model_validate skips the environment and .env: only these values and the defaults count.
    return Settings.model_validate(values)


def test_auto_uses_clip_when_a_model_is_there(
    tiny_clip_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        embedder = build_embedder(settings(clip_model_dir=tiny_clip_dir))
    assert isinstance(embedder, ClipOnnxEmbedder)
    # The export wrote an int8 vision model: auto precision takes it.
    assert embedder.model_id.endswith(":int8")
    assert embedder.model_id in caplog.text


def test_auto_precision_is_fp32_without_an_int8_model(tiny_clip_dir: Path, tmp_path: Path) -> None:
    import json
    import shutil

    copy = tmp_path / "clip"
    shutil.copytree(tiny_clip_dir, copy, ignore=shutil.ignore_patterns("hf", "*.int8.onnx"))
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["files"]["vision_int8"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    embedder = build_embedder(settings(clip_model_dir=copy))
    assert embedder.model_id.endswith(":fp32")


def test_auto_falls_back_to_basic_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        assert isinstance(build_embedder(settings()), BasicDescriptorEmbedder)
        assert isinstance(
            build_embedder(settings(clip_model_dir=tmp_path)), BasicDescriptorEmbedder
        )
    assert "basic-descriptor-v1" in caplog.text and "not CLIP" in caplog.text


def test_explicit_choices(tiny_clip_dir: Path, tmp_path: Path) -> None:
    basic = build_embedder(settings(embedder="basic", clip_model_dir=tiny_clip_dir))
    assert isinstance(basic, BasicDescriptorEmbedder)
    int8 = build_embedder(
        settings(embedder="clip", clip_model_dir=tiny_clip_dir, clip_precision="int8")
    )
    assert isinstance(int8, ClipOnnxEmbedder) and int8.model_id.endswith(":int8")
    with pytest.raises(ServiceUnavailable):
        build_embedder(settings(embedder="clip", clip_model_dir=tmp_path))


def test_text_search_is_there_only_for_clip(tiny_clip_dir: Path) -> None:
    clip = build_embedder(settings(clip_model_dir=tiny_clip_dir))
    text = as_text_embedder(clip)
    assert text is not None and text.embed_texts(["oak chair"]).shape == (1, clip.dim)
    assert as_text_embedder(build_embedder(settings(embedder="basic"))) is None
