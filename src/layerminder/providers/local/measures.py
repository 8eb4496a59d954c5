"""How the offline designer's brief rules are measured (bench/brief.py and the tests use the
same code): an object's silhouette and dominant hue, silhouette IoU, luminance SSIM, and how
often a story's sentences repeat. Pixels only: they measure any image, a design or a photo."""

from __future__ import annotations

import colorsys
import io
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from PIL import Image

from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.inputs import decode, object_mask

_SIDE = 64
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
Mask = npt.NDArray[np.bool_]


def pixels_of(data: bytes, side: int = 160) -> FloatArray:
    return np.asarray(decode(data, side), dtype=np.float32) / 255.0


def silhouette_mask(data: bytes) -> Mask:
    """The object segmented from its backdrop (the border's colour), cropped to its box and
    centred in a _SIDE square with its aspect kept: two of them compare by shape alone."""
    mask = object_mask(pixels_of(data))
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    box = mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height, width = box.shape
    side = max(height, width)
    square = np.zeros((side, side), dtype=np.uint8)
    top, left = (side - height) // 2, (side - width) // 2
    square[top : top + height, left : left + width] = box * 255
    resized = Image.fromarray(square, "L").resize((_SIDE, _SIDE), Image.Resampling.BILINEAR)
    result: Mask = np.asarray(resized) >= 128
    return result


def object_mask_of(data: bytes) -> Mask:
    """The object's pixels at the image's own size."""
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.float32) / 255
    return object_mask(pixels)


def iou(a: Mask, b: Mask) -> float:
    union = float(np.logical_or(a, b).sum())
    return float(np.logical_and(a, b).sum()) / union if union else 0.0


def dominant_hue(*images: bytes) -> float | None:
    """The hue (degrees) most of the objects' clearly coloured pixels share, backdrops left
    out; None when nothing is clearly coloured."""
    histogram = np.zeros(36)
    for data in images:
        pixels = pixels_of(data, 128)
        chosen = pixels[object_mask(pixels)]
        for r, g, b in chosen[:: max(1, len(chosen) // 3000)]:
            hue, lightness, saturation = colorsys.rgb_to_hls(float(r), float(g), float(b))
            if saturation > 0.25 and 0.1 < lightness < 0.9:
                histogram[int(hue * 36) % 36] += 1
    if histogram.sum() < 20:
        return None
    peak = int(np.argmax(histogram))
    # The mean of the peak bin and its neighbours, so a hue on a bin edge is not off by 5°.
    bins = [(peak + offset) % 36 for offset in (-1, 0, 1)]
    weights = histogram[bins]
    angles = np.radians([b * 10 + 5 for b in bins])
    y, x = (weights * np.sin(angles)).sum(), (weights * np.cos(angles)).sum()
    return float(np.degrees(np.arctan2(y, x)) % 360)


def hue_distance(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def region_hue(image: bytes, area: Mask) -> float | None:
    """The dominant hue of the clearly coloured pixels inside `area` (an image-sized mask)."""
    pixels = np.asarray(Image.open(io.BytesIO(image)).convert("RGB"), dtype=np.float32) / 255
    chosen = pixels[area]
    histogram = np.zeros(72)
    for r, g, b in chosen[:: max(1, len(chosen) // 4000)]:
        hue, lightness, saturation = colorsys.rgb_to_hls(float(r), float(g), float(b))
        if saturation > 0.2 and 0.08 < lightness < 0.92:
            histogram[int(hue * 72) % 72] += 1
    if histogram.sum() < 10:
        return None
    return float(np.argmax(histogram) * 5 + 2.5)


def _box_mean(values: FloatArray, size: int) -> FloatArray:
    padded = np.pad(values, size // 2, mode="reflect")
    summed = padded.cumsum(axis=0).cumsum(axis=1)
    summed = np.pad(summed, ((1, 0), (1, 0)))
    n = size
    total = summed[n:, n:] - summed[:-n, n:] - summed[n:, :-n] + summed[:-n, :-n]
    mean: FloatArray = total / (size * size)
    return mean


def luminance_ssim(before: bytes, after: bytes, area: Mask, window: int = 7) -> float:
    """SSIM of the two images' luminance, averaged over the pixels of `area` (7x7 windows, the
    usual constants for values in 0..1)."""
    a = np.asarray(Image.open(io.BytesIO(before)).convert("RGB"), dtype=np.float64) / 255 @ _LUMA
    b = np.asarray(Image.open(io.BytesIO(after)).convert("RGB"), dtype=np.float64) / 255 @ _LUMA
    c1, c2 = 0.01**2, 0.03**2
    mean_a, mean_b = _box_mean(a, window), _box_mean(b, window)
    var_a = _box_mean(a * a, window) - mean_a**2
    var_b = _box_mean(b * b, window) - mean_b**2
    cov = _box_mean(a * b, window) - mean_a * mean_b
    ssim = ((2 * mean_a * mean_b + c1) * (2 * cov + c2)) / (
        (mean_a**2 + mean_b**2 + c1) * (var_a + var_b + c2)
    )
    return float(ssim[area].mean())


def sentences(text: str) -> list[str]:
    """A story's sentences (English full stops, Korean 다. endings), trimmed."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [part.strip() for part in parts if len(part.strip()) > 3]


def most_repeated_sentence(stories: Iterable[str]) -> tuple[int, str]:
    """In how many of the stories the most shared sentence appears, and the sentence."""
    counts: Counter[str] = Counter()
    for story in stories:
        counts.update(set(sentences(story)))
    if not counts:
        return 0, ""
    sentence, count = counts.most_common(1)[0]
    return count, sentence
