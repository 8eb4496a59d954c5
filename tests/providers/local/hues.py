"""Measuring what colour a set of designs (or a reference) mostly is."""

from __future__ import annotations

import colorsys
import io

import numpy as np
from PIL import Image


def dominant_hue(*images: bytes) -> float:
    """The hue (degrees) most clearly coloured pixels of the pieces share, over all the images
    together; the studio background (each row's colour at its left and right edges) is left out.
    """
    histogram = np.zeros(36)
    for data in images:
        pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB").resize((96, 96))) / 255.0
        edges = np.concatenate([pixels[:, :6], pixels[:, -6:]], axis=1)
        background = np.median(edges, axis=1)[:, None, :]
        piece = np.sqrt(((pixels - background) ** 2).sum(axis=2)) > 0.2
        for r, g, b in pixels[piece]:
            hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
            if saturation > 0.3 and 0.1 < lightness < 0.9:
                histogram[int(hue * 36) % 36] += 1
    return float(np.argmax(histogram) * 10 + 5)


def hue_distance(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def share_near(jpeg: bytes, rgb: tuple[int, int, int], tolerance: float = 0.12) -> float:
    """Share of pixels within `tolerance` (0..1 RGB distance) of a colour."""
    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB").resize((128, 128))) / 255.0
    target = np.asarray(rgb, dtype=np.float64) / 255.0
    distance = np.sqrt(((pixels - target) ** 2).sum(axis=2))
    return float((distance < tolerance).mean())
