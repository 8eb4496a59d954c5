"""A `form` reference's silhouette: what kind of seat it shows and in what proportions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from layerminder.providers.local.inputs import decode, object_mask

_SIDE = 128


@dataclass(frozen=True)
class Silhouette:
    aspect: float  # bounding box width / height
    fill: float  # share of the bounding box the object covers
    widest_at: float  # where its widest row is: 0 = top, 1 = floor (a seat's height)
    top_mass: float  # share of the object in the top 40 % of its box (a backrest)
    # How solid the piece is near the floor, row by row between its outer edges: legs leave
    # gaps (low), a block to the floor fills the row (high).
    bottom_fill: float

    @property
    def base(self) -> str:
        """What it stands on: a block to the floor (a plinth) or legs."""
        return "plinth" if self.bottom_fill >= 0.75 else "four_legs"

    @property
    def archetype(self) -> str:
        """chair, stool, bench or lounge, read from the shape alone."""
        if self.aspect >= 1.7:
            return "bench"
        if self.aspect >= 1.05:
            return "lounge" if self.fill >= 0.45 or self.aspect < 1.35 else "bench"
        # Taller than wide: a stool is widest at its top, a chair at its seat below the back.
        if self.widest_at < 0.3:
            return "stool"
        return "chair"

    def scale(self, archetype: str) -> dict[str, float]:
        """Proportion multipliers that bring the archetype's default shape towards this one."""
        default_aspect = {
            "chair": 0.64, "stool": 0.8, "bench": 1.8, "lounge": 1.14, "sofa": 2.2,
            "side_table": 0.95,
        }[archetype]  # fmt: skip
        ratio = self.aspect / default_aspect
        return {
            # Wider than the archetype's usual shape: a wider, lower piece, and the reverse.
            "width": float(np.clip(ratio**0.5, 0.8, 1.3)),
            "height": float(np.clip(ratio**-0.5, 0.8, 1.35)),
            # A solid silhouette is a heavy piece; an open one a light one.
            "thickness": float(np.clip(0.6 + 1.2 * self.fill, 0.7, 1.6)),
            "leg": float(np.clip(0.5 + 1.4 * self.fill, 0.6, 1.8)),
            "back": float(np.clip(0.6 + 1.2 * self.top_mass, 0.7, 1.3)),
        }


def _span_fill(rows: np.ndarray) -> float:
    """The mean share of each row filled between its first and last object pixel."""
    shares = []
    for row in rows:
        filled = np.flatnonzero(row)
        if len(filled):
            shares.append(len(filled) / (filled[-1] - filled[0] + 1))
    return float(np.mean(shares)) if shares else 0.0


def read_silhouette(data: bytes) -> Silhouette | None:
    """The object against its background (the border's colour); None when nothing stands out."""
    image = np.asarray(decode(data, _SIDE), dtype=np.float32) / 255.0
    mask = object_mask(image)
    if mask.all():
        return None
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    box = mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height, width = box.shape
    widths = box.sum(axis=1).astype(np.float32)
    # Smoothed, so one stray row does not decide where the seat is.
    kernel = np.ones(max(1, height // 12), dtype=np.float32)
    smooth = np.convolve(widths, kernel / kernel.sum(), mode="same")
    top = box[: max(1, int(height * 0.4))]
    return Silhouette(
        aspect=width / max(height, 1),
        fill=float(box.mean()),
        widest_at=float(np.argmax(smooth) / max(height - 1, 1)),
        top_mass=float(top.sum() / max(box.sum(), 1)),
        bottom_fill=_span_fill(
            box[int(height * 0.78) : max(int(height * 0.95), int(height * 0.78) + 1)]
        ),
    )
