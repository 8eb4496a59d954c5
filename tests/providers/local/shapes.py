"""Product-photo-like references the tests draw themselves: a legless slipper chair, a tall
chair on legs, a clearly coloured photo, and a brush mask over a design's seat."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from layerminder.providers.local.measures import object_mask_of

MUSTARD = [(204, 158, 38), (180, 134, 30), (222, 178, 70)]
TEAL = [(30, 118, 122), (22, 96, 100), (60, 140, 142)]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def slipper_chair(colour: tuple[int, int, int] = (150, 120, 100)) -> bytes:
    """A legless upholstered block with a back, solid to the floor, on a pale backdrop."""
    image = Image.new("RGB", (480, 360), (236, 236, 234))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((70, 170, 410, 320), radius=30, fill=colour)  # seat block
    draw.rounded_rectangle((110, 70, 370, 200), radius=30, fill=tuple(c - 30 for c in colour))
    return _png(image)


def tall_chair(colour: tuple[int, int, int] = (90, 60, 40)) -> bytes:
    """A tall, narrow chair on four thin legs."""
    image = Image.new("RGB", (360, 480), (236, 236, 234))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 40, 240, 220), fill=colour)  # back
    draw.rectangle((110, 220, 250, 250), fill=colour)  # seat
    for x in (112, 150, 210, 240):
        draw.rectangle((x, 250, x + 8, 440), fill=colour)
    return _png(image)


def seat_mask(design: bytes) -> tuple[bytes, np.ndarray]:
    """A brush over the lower middle of the piece: the mask PNG (transparent where to repaint)
    and the area it marks."""
    piece = object_mask_of(design)
    rows, cols = np.flatnonzero(piece.any(axis=1)), np.flatnonzero(piece.any(axis=0))
    y0, y1, x0, x1 = rows[0], rows[-1], cols[0], cols[-1]
    cx, cy, w, h = (x0 + x1) / 2, y0 + (y1 - y0) * 0.62, x1 - x0, y1 - y0
    mask = Image.new("RGBA", (piece.shape[1], piece.shape[0]), (0, 0, 0, 255))
    box = (cx - w * 0.28, cy - h * 0.14, cx + w * 0.28, cy + h * 0.14)
    ImageDraw.Draw(mask).ellipse(box, fill=(0, 0, 0, 0))
    return _png(mask), np.asarray(mask)[:, :, 3] == 0
