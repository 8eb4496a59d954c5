"""Photo-like inputs for the local provider tests, and a way to measure their colours."""

from __future__ import annotations

import colorsys
import io

import numpy as np
from PIL import Image

from layerminder.providers.base import InputImage


def photo(colours: list[tuple[int, int, int]], seed: int = 0, size=(480, 360)) -> bytes:
    """A photo-like input: soft colour regions, a fine weave and sensor noise."""
    rng = np.random.default_rng(seed)
    width, height = size
    regions = rng.integers(0, len(colours), (4, 6)).astype(np.uint8)
    index = np.asarray(Image.fromarray(regions).resize((width, height), Image.Resampling.NEAREST))
    pixels = np.asarray(colours, dtype=np.float32)[index]
    yy, xx = np.mgrid[0:height, 0:width]
    pixels *= (1 + 0.06 * np.sin(xx * 0.9) * np.sin(yy * 0.9))[..., None]
    pixels += rng.normal(0, 5, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG")
    return buffer.getvalue()


def as_inputs(*images: bytes) -> list[InputImage]:
    return [
        InputImage(data=d, content_type="image/jpeg", filename=f"{i}.jpg")
        for i, d in enumerate(images)
    ]


RED = [(200, 30, 35), (160, 20, 30), (230, 80, 70)]
BLUE = [(30, 60, 190), (20, 40, 140), (80, 120, 220)]


def hue_share(jpeg: bytes, low: float, high: float) -> float:
    """Share of clearly coloured pixels whose hue (degrees) falls in [low, high)."""
    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB").resize((128, 128))) / 255.0
    hits = total = 0
    for r, g, b in pixels.reshape(-1, 3)[::3]:
        hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
        if saturation > 0.3 and 0.1 < lightness < 0.9:
            total += 1
            degrees = hue * 360
            hits += low <= degrees < high or (low < 0 and degrees >= 360 + low)
    return hits / max(total, 1)
