"""Reading the input images: a palette of swatches, seamless texture tiles and a seed."""

from __future__ import annotations

import colorsys
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter

from layerminder.providers.base import ProviderError
from layerminder.providers.local.arrays import FloatArray

_THUMB = 64
# Side of the texture patch taken from each input; it repeats every 1/8th of a design.
_TEXTURE_TILE = 128


@dataclass(frozen=True)
class Swatch:
    rgb: tuple[float, float, float]  # 0..1
    weight: float

    @property
    def hls(self) -> tuple[float, float, float]:
        return colorsys.rgb_to_hls(*self.rgb)


@dataclass(frozen=True)
class InputLook:
    """What every design of one batch borrows from the inputs."""

    swatches: tuple[Swatch, ...]  # most prominent first
    details: tuple[FloatArray, ...]  # zero-mean, unit-std luminance detail tiles, one per input


def decode(data: bytes, max_side: int) -> Image.Image:
    try:
        opened = Image.open(io.BytesIO(data))
        # JPEG can decode at 1/2..1/8 scale directly, which makes large uploads cheap to read.
        opened.draft("RGB", (max_side * 2, max_side * 2))
        image = opened.convert("RGB")
    except Exception as exc:  # Pillow raises many types for corrupt data
        raise ProviderError(f"cannot read input image: {exc}", retryable=False) from exc
    image.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return image


def kmeans(
    pixels: FloatArray, k: int, iterations: int = 12, pixel_weights: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """Small deterministic k-means: centres start at luminance quantiles, so no RNG is needed.

    `pixel_weights` lets some pixels count more (a strong reference's over a weak one's)."""
    weights_in = np.ones(len(pixels), dtype=np.float32) if pixel_weights is None else pixel_weights
    luminance = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    order = np.argsort(luminance, kind="stable")
    picks = order[((np.arange(k) + 0.5) / k * len(order)).astype(int)]
    centres = pixels[picks].copy()
    labels = np.zeros(len(pixels), dtype=np.int64)
    for _ in range(iterations):
        distances = ((pixels[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = distances.argmin(axis=1)
        for index in range(k):
            chosen = labels == index
            total = float(weights_in[chosen].sum())
            if total > 0:
                centres[index] = (pixels[chosen] * weights_in[chosen, None]).sum(axis=0) / total
    weights = np.bincount(labels, weights=weights_in, minlength=k).astype(np.float32)
    weights /= max(float(weights_in.sum()), 1e-6)
    return centres, weights


def _detail_tile(image: Image.Image) -> FloatArray:
    """A seamless luminance detail map (zero mean, unit std) from the middle of an input."""
    # Half the short side: close enough to show the material's grain, not the whole scene.
    side = max(8, min(image.size) // 2)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    square = image.crop((left, top, left + side, top + side)).convert("L")
    square = square.resize((_TEXTURE_TILE, _TEXTURE_TILE), Image.Resampling.BILINEAR)
    fine = np.asarray(square, dtype=np.float32)
    coarse = np.asarray(square.filter(ImageFilter.GaussianBlur(2)), dtype=np.float32)
    # Clipping keeps hard edges in a photo (a table edge, a colour block) from drawing lines.
    spread = float((fine - coarse).std()) + 1e-6
    detail = np.clip(fine - coarse, -2.0 * spread, 2.0 * spread)
    # Cross-fading with a half-turn copy makes the tile wrap without seams (mirroring would
    # print a visible plaid of symmetric crosses).
    rolled = np.roll(detail, (detail.shape[0] // 2, detail.shape[1] // 2), axis=(0, 1))
    ramp = 1.0 - np.abs(np.linspace(-1.0, 1.0, detail.shape[0], dtype=np.float32))
    weight = np.minimum.outer(ramp, ramp)
    detail = detail * weight + rolled * (1.0 - weight)
    std = float(detail.std())
    if std < 0.8:
        # A flat input has no texture to give; amplifying its noise would only add speckle.
        return np.zeros_like(detail, dtype=np.float32)
    standardised: FloatArray = ((detail - detail.mean()) / std).astype(np.float32)
    return standardised


def read_inputs(
    images: Sequence[bytes],
    weights: Sequence[float] | None = None,
    detail_from: Sequence[int] | None = None,
) -> InputLook:
    """The palette of all inputs (each counting by its weight) and texture tiles from the inputs
    `detail_from` names (all by default)."""
    if not images:
        raise ProviderError("at least one input image is needed", retryable=False)
    thumbs = [decode(data, _THUMB * 4) for data in images]
    samples = [
        np.asarray(thumb.resize((_THUMB, _THUMB), Image.Resampling.BILINEAR), dtype=np.float32)
        for thumb in thumbs
    ]
    pixels = np.concatenate([s.reshape(-1, 3) for s in samples]) / 255.0
    pixel_weights = (
        None
        if weights is None
        else np.repeat(np.asarray(weights, dtype=np.float32), _THUMB * _THUMB)
    )
    centres, shares = kmeans(pixels.astype(np.float32), k=5, pixel_weights=pixel_weights)
    swatches = [
        Swatch((float(c[0]), float(c[1]), float(c[2])), float(w))
        for c, w in zip(centres, shares, strict=True)
        if w > 0.01
    ]
    swatches.sort(key=lambda s: (-s.weight, s.rgb))
    chosen = detail_from or range(len(thumbs))
    return InputLook(tuple(swatches), tuple(_detail_tile(thumbs[i]) for i in chosen))


def _row_backdrop(pixels: FloatArray) -> FloatArray:
    """Each row's backdrop colour from its left and right margins: a studio sweep or a wall
    meeting a floor changes down the image, hardly across it. Of the two margins the lighter
    one wins: a shadow reaching one edge only darkens it."""
    margin = max(2, pixels.shape[1] // 14)
    left = np.median(pixels[:, :margin], axis=1)
    right = np.median(pixels[:, -margin:], axis=1)
    backdrop: FloatArray = np.where((left.sum(axis=1) >= right.sum(axis=1))[:, None], left, right)
    return backdrop


def _reached_from_border(open_area: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The part of `open_area` connected (4-neighbours) to the image's border: a flood fill by
    repeated one-pixel growth, cheap at the sizes the readers use."""
    padded = np.pad(open_area, 1, constant_values=True)
    reached = np.zeros_like(padded)
    reached[0, :] = reached[-1, :] = reached[:, 0] = reached[:, -1] = True
    while True:
        grown = reached.copy()
        grown[1:, :] |= reached[:-1, :]
        grown[:-1, :] |= reached[1:, :]
        grown[:, 1:] |= reached[:, :-1]
        grown[:, :-1] |= reached[:, 1:]
        grown &= padded
        if (grown == reached).all():
            return reached[1:-1, 1:-1]
        reached = grown


def object_mask(pixels: FloatArray) -> npt.NDArray[np.bool_]:
    """Where the object is in a photo or a design (0..1 RGB): what differs from its row's
    backdrop, less the shadows it casts (the backdrop darker, its hue unchanged), opened so
    specks of the backdrop do not count. The whole image when nothing stands
    out."""
    backdrop = _row_backdrop(pixels)[:, None, :]
    distance = np.abs(pixels - backdrop).max(axis=2)
    luma = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    lum, back_lum = pixels @ luma, backdrop @ luma
    ratio = lum / np.clip(back_lum, 1e-3, None)
    chroma_shift = np.abs(
        (pixels - lum[..., None]) - (backdrop - back_lum[..., None]) * ratio[..., None]
    ).max(axis=2)
    shadow = (ratio > 0.5) & (ratio < 1.1) & (chroma_shift < 0.04)
    raw = (distance > 0.1) & ~shadow
    image = Image.fromarray(raw.astype(np.uint8) * 255, "L")
    # A median drops lone specks of a noisy backdrop but keeps thin legs; closing then fills
    # the small gaps a textured surface leaves inside the object.
    cleaned = image.filter(ImageFilter.MedianFilter(3))
    closed = cleaned.filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.MinFilter(3))
    # Whatever the backdrop cannot reach from the border is the object too: a pale cushion as
    # light as the wall, inside the piece's outline, is still the piece.
    mask: npt.NDArray[np.bool_] = ~_reached_from_border(np.asarray(closed) < 128)
    if mask.mean() < 0.02:
        return np.ones(pixels.shape[:2], dtype=bool)
    return mask


def dominant_colour(data: bytes) -> tuple[float, float, float]:
    """The colour an image is "of": the largest cluster of the object's pixels (the backdrop
    left out), clearly coloured ones preferred."""
    thumb = decode(data, _THUMB * 2).resize((_THUMB, _THUMB), Image.Resampling.BILINEAR)
    image = np.asarray(thumb, dtype=np.float32) / 255.0
    pixels = image[object_mask(image)].reshape(-1, 3)
    centres, shares = kmeans(pixels, k=3)

    def score(index: int) -> float:
        # Clearly coloured and mid-toned clusters are what the eye calls the object's colour
        # (a mustard seat, not the dark shadow under it).
        _, lightness, saturation = colorsys.rgb_to_hls(*(float(c) for c in centres[index]))
        return float(shares[index]) * (0.35 + saturation) * (1.0 - abs(lightness - 0.5))

    best = max(range(len(centres)), key=score)
    return (float(centres[best][0]), float(centres[best][1]), float(centres[best][2]))


def design_seed(images: Sequence[bytes], keyword: str | None, *extra: object) -> int:
    """A stable seed from the input bytes, the keyword (case-folded) and any extra parts."""
    digest = hashlib.sha256()
    for data in images:
        digest.update(hashlib.sha256(data).digest())
    digest.update(b"\0" + (keyword or "").strip().lower().encode("utf-8"))
    for item in extra:
        digest.update(b"\0" + str(item).encode("utf-8"))
    return int.from_bytes(digest.digest()[:8], "big")
