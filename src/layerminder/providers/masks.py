"""Region-edit masks: OpenAI images.edit's format, a PNG whose fully transparent pixels mark
the area to repaint. Checked before any credit is spent."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError

from layerminder.errors import InvalidMask
from layerminder.providers.base import ProviderError


@dataclass(frozen=True)
class MaskArea:
    """Where to repaint: True where the mask is fully transparent."""

    area: NDArray[np.bool_]

    @property
    def coverage(self) -> float:
        return float(self.area.mean())


def read_mask(data: bytes, size: tuple[int, int]) -> MaskArea:
    """The area a mask marks on an image of `size` (width, height); InvalidMask if it does not
    fit that image or marks nothing. Blocking (decodes the PNG): call it in a thread."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            if image_format != "PNG":
                raise InvalidMask(
                    f"the mask is a {image_format or 'unknown'} file: it must be a PNG with "
                    "transparency where the image is to be repainted"
                )
            if image.size != size:
                raise InvalidMask(
                    f"the mask is {image.width}x{image.height} but the image is "
                    f"{size[0]}x{size[1]}: they must be the same size"
                )
            alpha = np.asarray(image.convert("RGBA"))[:, :, 3]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidMask(f"the mask cannot be read ({exc})") from None
    area = alpha == 0
    if not area.any():
        raise InvalidMask(
            "the mask covers nothing: paint the area to change (transparent pixels mark it)"
        )
    return MaskArea(area)


def keep_outside(original: bytes, edited: bytes, mask: bytes) -> bytes:
    """The edit as a PNG: `edited` inside the mask's area, `original`'s decoded pixels exactly
    everywhere else. Lossless on purpose: a JPEG would shift the untouched pixels on encoding.

    Blocking (decodes and encodes): call it in a thread. Raises ProviderError when the edited
    image cannot be read."""
    try:
        with Image.open(io.BytesIO(original)) as opened:
            base = opened.convert("RGB")
        with Image.open(io.BytesIO(edited)) as opened:
            painted = opened.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ProviderError(f"the edited image cannot be decoded: {exc}") from None
    out = io.BytesIO()
    composite(base, painted, read_mask(mask, base.size)).save(out, format="PNG")
    return out.getvalue()


def composite(original: Image.Image, repainted: Image.Image, mask: MaskArea) -> Image.Image:
    """`repainted` inside the area, `original` pixel for pixel everywhere else (both RGB)."""
    if repainted.size != original.size:
        repainted = repainted.resize(original.size, Image.Resampling.LANCZOS)
    area = Image.fromarray(mask.area.astype(np.uint8) * 255, mode="L")
    return Image.composite(repainted.convert("RGB"), original.convert("RGB"), area)
