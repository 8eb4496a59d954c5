"""Reading a design back from its pixels: silhouette, palette, edge directions, texture."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.inputs import decode, kmeans


@dataclass(frozen=True)
class DesignReading:
    """What the pixels of one design say about it."""

    form: str  # one of SEAT_FORMS
    aspect: float  # object bounding box width / height
    fill: float  # object pixels / bounding box area
    top_mass: float  # share of object pixels in the upper 35% of the box
    base_fill: float  # how solid the lowest 20% of the box is (legs vs plinth)
    angularity: float  # 0 = edges in every direction (curved), 1 = a few dominant directions
    texture: float  # mean local contrast on the object
    colours: tuple[
        tuple[tuple[float, float, float], float], ...
    ]  # (rgb 0..1, share), largest first


def _row_background(pixels: FloatArray) -> FloatArray:
    """Per-row background colour from the left and right margins (studio sweeps vary by row).

    Of the two margins the lighter one wins: a cast shadow reaching one edge only darkens.
    """
    width = pixels.shape[1]
    margin = max(2, width // 14)
    left = np.median(pixels[:, :margin], axis=1)
    right = np.median(pixels[:, -margin:], axis=1)
    return np.where((left.sum(axis=1) >= right.sum(axis=1))[:, None], left, right)


def read_design(jpeg: bytes) -> DesignReading:
    """Measure a design image: object silhouette, palette, edge directions and texture."""
    image = decode(jpeg, 192)
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    height, width = pixels.shape[:2]
    background = _row_background(pixels)[:, None, :]
    distance = np.abs(pixels - background).max(axis=2)
    lum = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    bg_lum = background[..., 0] * 0.299 + background[..., 1] * 0.587 + background[..., 2] * 0.114
    ratio = lum / np.clip(bg_lum, 1e-3, None)
    chroma_shift = np.abs(
        (pixels - lum[..., None]) - (background - bg_lum[..., None]) * ratio[..., None]
    ).max(axis=2)
    # A floor shadow (or vignette) is the background darker or lighter without a change of hue;
    # it is not the object.
    shadow = (ratio > 0.55) & (ratio < 1.1) & (chroma_shift < 0.035)
    mask = (distance > 0.09) & ~shadow
    if mask.mean() < 0.02:
        mask = distance > 0.05
    if mask.mean() < 0.005:
        mask = np.ones_like(mask)
    # Columns first, with a height threshold: a flat shadow blob beside the object is only a few
    # pixels tall, while legs and panels run tall. Rows then count only inside those columns.
    cols = np.flatnonzero(mask.sum(axis=0) >= max(3, height // 32))
    if len(cols):
        rows = np.flatnonzero(mask[:, cols[0] : cols[-1] + 1].sum(axis=1) >= max(2, width // 100))
    if not len(cols) or not len(rows):
        rows, cols = np.arange(height), np.arange(width)
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    box = mask[y0:y1, x0:x1]
    box_h, box_w = box.shape
    total = max(int(box.sum()), 1)
    aspect = box_w / max(box_h, 1)
    fill = total / max(box.size, 1)
    top_mass = float(box[: max(1, int(box_h * 0.35))].sum()) / total
    base_fill = float(box[int(box_h * 0.8) :].mean()) if box_h >= 5 else fill

    gray = lum[y0:y1, x0:x1]
    gx = np.zeros_like(gray)
    gy = np.zeros_like(gray)
    gx[:, 1:-1] = gray[:, 2:] - gray[:, :-2]
    gy[1:-1, :] = gray[2:, :] - gray[:-2, :]
    magnitude = np.hypot(gx, gy)
    strong = magnitude > 0.06
    if strong.sum() >= 20:
        angles = np.mod(np.arctan2(gy[strong], gx[strong]), math.pi)
        histogram, _ = np.histogram(angles, bins=18, range=(0, math.pi), weights=magnitude[strong])
        share = histogram / max(float(histogram.sum()), 1e-6)
        entropy = -float((share[share > 0] * np.log(share[share > 0])).sum()) / math.log(18)
        angularity = float(np.clip(1.0 - entropy, 0.0, 1.0) * 2.5)
    else:
        angularity = 0.0
    laplacian = np.abs(
        4 * gray[1:-1, 1:-1] - gray[:-2, 1:-1] - gray[2:, 1:-1] - gray[1:-1, :-2] - gray[1:-1, 2:]
    )
    inner = box[1:-1, 1:-1]
    texture = float(laplacian[inner].mean()) if inner.any() else 0.0

    object_pixels = pixels[y0:y1, x0:x1][box]
    stride = max(1, len(object_pixels) // 4000)
    centres, weights = kmeans(object_pixels[::stride].astype(np.float32), k=4)
    colours = sorted(
        (
            ((float(c[0]), float(c[1]), float(c[2])), float(w))
            for c, w in zip(centres, weights, strict=True)
            if w > 0.03
        ),
        key=lambda item: (-item[1], item[0]),
    )
    return DesignReading(
        form=_guess_form(aspect, top_mass),
        aspect=aspect,
        fill=fill,
        top_mass=top_mass,
        base_fill=base_fill,
        angularity=min(angularity, 1.0),
        texture=texture,
        colours=tuple(colours),
    )


def _guess_form(aspect: float, top_mass: float) -> str:
    # Thresholds measured on this module's own renders; other images only need a rough reading.
    if aspect >= 1.45:
        return "bench"
    if aspect >= 0.95:
        return "lounge"
    return "stool" if aspect + 0.3 * top_mass >= 0.8 else "chair"
