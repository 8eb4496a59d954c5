"""The tiny random CLIP, loaded through the production path, reproduces torch's embeddings."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from layerminder.recommender.base import Embedder, TextEmbedder
from layerminder.recommender.clip_onnx import ClipModelMissing, ClipOnnxEmbedder

from .conftest import encode, scene


def inputs(expected: dict[str, np.ndarray]) -> list[bytes]:
    return [encode(expected[f"image_{i}"]) for i in range(len(expected["image_embeds"]))]


@pytest.fixture(scope="module")
def clip(tiny_clip_dir: Path) -> ClipOnnxEmbedder:
    return ClipOnnxEmbedder(tiny_clip_dir)


def test_is_an_image_and_text_embedder(clip: ClipOnnxEmbedder) -> None:
    embedder: Embedder = clip
    text: TextEmbedder = clip
    assert embedder.dim == text.dim == 16
    manifest = json.loads((Path(clip.model_dir) / "manifest.json").read_text())
    assert clip.model_id == f"tiny-clip-random:{manifest['fingerprint'][:12]}:fp32"


def test_image_embeddings_match_torch(clip: ClipOnnxEmbedder, expected: dict) -> None:
    vectors = clip.embed_images(inputs(expected))
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(vectors, expected["image_embeds"], atol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batch_equals_singles(clip: ClipOnnxEmbedder, expected: dict) -> None:
    images = inputs(expected)
    assert len(images) == 4
    batch = clip.embed_images(images)
    singles = np.concatenate([clip.embed_images([image]) for image in images])
    np.testing.assert_allclose(batch, singles, atol=1e-5)


def test_text_embeddings_match_torch(clip: ClipOnnxEmbedder, expected: dict) -> None:
    texts = [str(t) for t in expected["texts"]]
    vectors = clip.embed_texts(texts)
    np.testing.assert_allclose(vectors, expected["text_embeds"], atol=1e-4)
    # Padding within a batch must not change a text's embedding.
    np.testing.assert_allclose(clip.embed_texts(texts[:1]), vectors[:1], atol=1e-5)


def test_empty_inputs(clip: ClipOnnxEmbedder) -> None:
    assert clip.embed_images([]).shape == (0, 16)
    assert clip.embed_texts([]).shape == (0, 16)


def test_int8_model_is_a_different_model_id_close_to_fp32(
    tiny_clip_dir: Path, clip: ClipOnnxEmbedder, expected: dict
) -> None:
    int8 = ClipOnnxEmbedder(tiny_clip_dir, precision="int8")
    assert int8.model_id.endswith(":int8") and int8.model_id != clip.model_id
    images = inputs(expected)
    cosines = (int8.embed_images(images) * clip.embed_images(images)).sum(axis=1)
    assert cosines.min() > 0.99
    # The text side stays fp32 in both.
    np.testing.assert_allclose(int8.embed_texts(["oak"]), clip.embed_texts(["oak"]), atol=1e-6)


def test_lazy_load_is_thread_safe(tiny_clip_dir: Path) -> None:
    embedder = ClipOnnxEmbedder(tiny_clip_dir, intra_op_threads=1)
    image = encode(scene(3))
    results: list[np.ndarray] = []
    barrier = threading.Barrier(4)

    def work() -> None:
        barrier.wait()
        results.append(embedder.embed_images([image]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    for result in results[1:]:
        np.testing.assert_array_equal(result, results[0])


def test_missing_or_broken_model_is_a_typed_error(tmp_path: Path, tiny_clip_dir: Path) -> None:
    with pytest.raises(ClipModelMissing):
        ClipOnnxEmbedder(tmp_path)
    copy = tmp_path / "clip"
    shutil.copytree(tiny_clip_dir, copy)
    (copy / "vision.onnx").write_bytes(b"garbage")
    broken = ClipOnnxEmbedder(copy)
    with pytest.raises(ClipModelMissing):
        broken.verify()
    with pytest.raises(ClipModelMissing):
        broken.embed_images([encode(scene(1))])


def test_files_match_their_manifest_hashes(clip: ClipOnnxEmbedder) -> None:
    clip.verify()
