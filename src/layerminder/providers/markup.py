"""Markup edits' overlay: a transparent PNG of a designer's strokes, arrows and notes drawn over
one image, the same size (OpenAI's `markup` field). Checked before any credit is spent."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, UnidentifiedImageError

from layerminder.errors import InvalidMarkup
from layerminder.providers.base import ProviderError

# A pixel at least this opaque is ink; fainter ones are the antialiased edge of a stroke.
INK_ALPHA = 32
# Fewer inked pixels than this is a stray click, not a stroke.
MIN_STROKE_PIXELS = 16
# How far around a stroke (a share of the image's shorter side) counts as what it marks: an
# arrow's tip or a scribble points at the piece next to it, not at its own pixels.
STROKE_REACH = 0.04


@dataclass(frozen=True)
class Strokes:
    """Where the designer drew: True where the markup is inked."""

    ink: NDArray[np.bool_]

    @property
    def coverage(self) -> float:
        return float(self.ink.mean())


def read_markup(data: bytes, size: tuple[int, int]) -> Strokes:
    """The strokes a markup draws over an image of `size` (width, height); InvalidMarkup if it
    is not a PNG with transparency, does not fit that image or holds no stroke. Blocking
    (decodes the PNG): call it in a thread."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise InvalidMarkup(
                    f"the markup is a {image.format or 'unknown'} file: it must be a transparent "
                    "PNG of the strokes and notes"
                )
            if image.size != size:
                raise InvalidMarkup(
                    f"the markup is {image.width}x{image.height} but the image is "
                    f"{size[0]}x{size[1]}: they must be the same size"
                )
            alpha = np.asarray(image.convert("RGBA"))[:, :, 3]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidMarkup(f"the markup cannot be read ({exc})") from None
    if alpha.min() >= 255:
        raise InvalidMarkup(
            "the markup has no transparency: draw the strokes on a transparent layer, not over "
            "a copy of the image"
        )
    ink = alpha >= INK_ALPHA
    if int(ink.sum()) < MIN_STROKE_PIXELS:
        raise InvalidMarkup("the markup has no stroke: draw where the design should change")
    return Strokes(ink)


def onto_original(original: bytes, edited: bytes) -> bytes:
    """A markup edit's answer as a PNG of the original's size (a model may answer at another
    size when the image is not square). Blocking: call it in a thread."""
    try:
        with Image.open(io.BytesIO(original)) as opened:
            size = opened.size
        with Image.open(io.BytesIO(edited)) as opened:
            painted = opened.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ProviderError(f"the edited image cannot be decoded: {exc}") from None
    if painted.size != size:
        painted = painted.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    painted.save(out, format="PNG")
    return out.getvalue()


def marked_regions(strokes: Strokes) -> NDArray[np.bool_]:
    """The area a markup points at, for a provider that edits regions, not markup: every
    stroke widened by STROKE_REACH, and whatever a closed stroke encircles."""
    height, width = strokes.ink.shape
    reach = max(1, round(min(width, height) * STROKE_REACH))
    ink = Image.fromarray(strokes.ink.astype(np.uint8) * 255, mode="L")
    # MaxFilter takes odd sizes; two passes keep the kernel small on large images.
    widened = ink.filter(ImageFilter.MaxFilter(2 * (reach // 2) + 1)).filter(
        ImageFilter.MaxFilter(2 * (reach - reach // 2) + 1)
    )
    # Flood the outside from a 1 px frame: what the flood cannot reach is inked or enclosed.
    framed = Image.new("L", (width + 2, height + 2), 0)
    framed.paste(widened, (1, 1))
    ImageDraw.floodfill(framed, (0, 0), 128)
    outside = np.asarray(framed)[1:-1, 1:-1] == 128
    return np.asarray(~outside)


def regions_mask(data: bytes, size: tuple[int, int]) -> bytes:
    """A region-edit mask (transparent = repaint) of the area a markup points at: the strokes
    read as regions. Blocking: call it in a thread."""
    area = marked_regions(read_markup(data, size))
    alpha = np.where(area, 0, 255).astype(np.uint8)
    rgba = np.zeros((*area.shape, 4), dtype=np.uint8)
    rgba[:, :, 3] = alpha
    out = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(out, format="PNG")
    return out.getvalue()
