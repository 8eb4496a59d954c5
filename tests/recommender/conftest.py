"""Shared fixtures for the recommender tests: images made on the fly, the tiny CLIP fixture."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

TINY_CLIP_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "tiny_clip"


def encode(image: Image.Image | np.ndarray, fmt: str = "PNG", **options: object) -> bytes:
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def scene(seed: int, size: tuple[int, int] = (320, 240)) -> np.ndarray:
    """A smooth random image with a few hard-edged blocks: photo-like enough for resizing."""
    rng = np.random.default_rng(seed)
    width, height = size
    y, x = np.mgrid[0:height, 0:width] / max(width, height)
    base = rng.uniform(0, 255, 3)
    slope = rng.uniform(-120, 120, (2, 3))
    image = base + x[..., None] * slope[0] + y[..., None] * slope[1]
    for _ in range(4):
        top, left = rng.integers(0, height - 20), rng.integers(0, width - 20)
        image[
            top : top + rng.integers(10, height // 2), left : left + rng.integers(10, width // 2)
        ] = rng.uniform(0, 255, 3)
    image += rng.normal(0, 6, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def tiny_clip_dir() -> Path:
    return TINY_CLIP_DIR


@pytest.fixture(scope="session")
def expected() -> dict[str, np.ndarray]:
    with np.load(TINY_CLIP_DIR / "expected.npz") as data:
        return {key: data[key] for key in data.files}
