"""A basic image descriptor (colour, edges, layout): the fallback when no CLIP model is set up."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PIL import Image

from layerminder.recommender.base import Vectors, l2_normalise
from layerminder.recommender.preprocess import decode_image, to_rgb

# Working resolution: enough for colour and edge statistics, cheap to compute.
_SIDE = 64
_HUE_BINS, _SAT_BINS, _VAL_BINS = 12, 3, 3
_ORIENTATION_BINS = 8
_CELLS = 4
_THUMB = 8

# How much each block counts in the final cosine: colour matters most for interior references,
# then the shape (edge orientations), then the coarse layout.
_WEIGHTS = {"colour": 0.55, "edges": 0.3, "layout": 0.15}


class BasicDescriptorEmbedder:
    """Colour histogram + edge-orientation histogram + tiny thumbnail, L2-normalised.

    Not CLIP and not semantic: it finds images that look alike (palette, silhouette, layout), and
    says so in its model id. It has no text encoder.
    """

    model_id: str = "basic-descriptor-v1"
    # Unrelated images (another palette and silhouette) score about 0; the starter set's own
    # references score 0.37-0.93 against each other (5th-95th percentile).
    min_image_score: float = 0.3
    dim: int = (
        _HUE_BINS * _SAT_BINS * _VAL_BINS
        + _CELLS * _CELLS * _ORIENTATION_BINS
        + _THUMB * _THUMB * 3
    )

    def embed_images(self, images: Sequence[bytes]) -> Vectors:
        if not images:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Draft decoding is fine here: the descriptor works at 64 px anyway.
        return np.stack([self.describe(decode_image(data, draft_size=_SIDE)) for data in images])

    def describe(self, image: Image.Image) -> npt.NDArray[np.float32]:
        """One image → one L2-normalised descriptor row of length `dim`."""
        rgb = to_rgb(image).resize((_SIDE, _SIDE), resample=Image.Resampling.BILINEAR)
        colour = _colour_histogram(rgb)
        edges = _edge_histogram(np.asarray(rgb.convert("L"), dtype=np.float32) / 255.0)
        layout = _layout_thumbnail(rgb)
        parts = [
            _WEIGHTS["colour"] ** 0.5 * _unit(colour),
            _WEIGHTS["edges"] ** 0.5 * _unit(edges),
            _WEIGHTS["layout"] ** 0.5 * _unit(layout),
        ]
        return l2_normalise(np.concatenate(parts).astype(np.float32))


def _unit(vector: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-12 else vector


def _colour_histogram(rgb: Image.Image) -> npt.NDArray[np.float64]:
    hsv = np.asarray(rgb.convert("HSV"), dtype=np.int64)
    hue = hsv[..., 0] * _HUE_BINS // 256
    sat = hsv[..., 1] * _SAT_BINS // 256
    val = hsv[..., 2] * _VAL_BINS // 256
    bins = (hue * _SAT_BINS + sat) * _VAL_BINS + val
    counts = np.bincount(bins.ravel(), minlength=_HUE_BINS * _SAT_BINS * _VAL_BINS)
    # Square root (Hellinger): one dominant colour should not drown every other bin.
    histogram: npt.NDArray[np.float64] = np.sqrt(counts / counts.sum())
    return histogram


def _edge_histogram(grey: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    gy, gx = np.gradient(grey.astype(np.float64))
    magnitude = np.hypot(gx, gy)
    # Unsigned orientation: a chair leg is the same edge whichever side is lighter.
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    orientation = np.minimum((angle / np.pi * _ORIENTATION_BINS).astype(np.int64), 7)
    cell = _SIDE // _CELLS
    rows = np.arange(_SIDE)[:, None] // cell
    cols = np.arange(_SIDE)[None, :] // cell
    index = ((rows * _CELLS + cols) * _ORIENTATION_BINS + orientation).ravel()
    histogram = np.bincount(
        index, weights=magnitude.ravel(), minlength=_CELLS * _CELLS * _ORIENTATION_BINS
    )
    normalised: npt.NDArray[np.float64] = np.sqrt(histogram / max(float(histogram.sum()), 1e-12))
    return normalised


def _layout_thumbnail(rgb: Image.Image) -> npt.NDArray[np.float64]:
    thumb = np.asarray(rgb.resize((_THUMB, _THUMB), resample=Image.Resampling.BOX), np.float64)
    # Centred: the layout block compares structure, not overall brightness (colour does that).
    centred: npt.NDArray[np.float64] = (thumb / 255.0 - thumb.mean() / 255.0).ravel()
    return centred
