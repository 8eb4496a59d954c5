"""The basic descriptor: normalised, deterministic, and closer for images that look alike."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageEnhance

from layerminder.recommender.base import Embedder
from layerminder.recommender.basic import BasicDescriptorEmbedder

from .conftest import encode, scene


def test_shape_normalisation_and_label() -> None:
    embedder: Embedder = BasicDescriptorEmbedder()
    vectors = embedder.embed_images([encode(scene(i)) for i in range(3)])
    assert vectors.shape == (3, embedder.dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.model_id == "basic-descriptor-v1"
    assert "clip" not in embedder.model_id
    assert not hasattr(embedder, "embed_texts")


def test_deterministic_and_batch_independent() -> None:
    embedder = BasicDescriptorEmbedder()
    images = [encode(scene(i)) for i in range(3)]
    first = embedder.embed_images(images)
    np.testing.assert_array_equal(first, embedder.embed_images(images))
    np.testing.assert_array_equal(first[1:2], embedder.embed_images(images[1:2]))


def test_similar_images_are_closer_than_dissimilar() -> None:
    embedder = BasicDescriptorEmbedder()
    original = Image.fromarray(scene(21, (640, 480)))
    variants = [
        original.resize((320, 240)),
        ImageEnhance.Brightness(original).enhance(1.1),
        original.crop((16, 12, 624, 468)),
    ]
    others = [Image.fromarray(scene(seed, (640, 480))) for seed in (22, 23, 24)]
    base = embedder.embed_images([encode(original, "JPEG", quality=90)])[0]
    near = embedder.embed_images([encode(v, "JPEG", quality=80) for v in variants]) @ base
    far = embedder.embed_images([encode(o, "JPEG", quality=90) for o in others]) @ base
    assert near.min() > far.max(), (near, far)


def test_empty_batch_and_odd_modes() -> None:
    embedder = BasicDescriptorEmbedder()
    assert embedder.embed_images([]).shape == (0, embedder.dim)
    grey = Image.fromarray(scene(5)).convert("L")
    flat = Image.new("RGB", (50, 80), (200, 200, 200))
    vectors = embedder.embed_images([encode(grey), encode(flat)])
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
