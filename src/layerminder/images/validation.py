"""Decide what an uploaded file really is from its bytes, and make it safe to store."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from layerminder.errors import ImageTooLarge, InvalidImage

_ORIENTATION = 0x0112
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class ValidImage:
    data: bytes
    content_type: str
    width: int
    height: int
    sha256: str


def validate_image(
    data: bytes, *, max_bytes: int, max_pixels: int, decode: bool = True
) -> ValidImage:
    """JPEG/PNG/WebP by content, within size limits, fully decodable, EXIF orientation applied.

    Blocking (decodes the image): call it in a thread. `decode=False` checks everything but the
    pixel data, for a caller that decodes every image right after anyway (the library import's
    embedder) and reports a damaged one itself.
    """
    if len(data) > max_bytes:
        raise ImageTooLarge(
            f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB"
        )
    if not data:
        raise InvalidImage("the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            image_format = image.format or ""
            if image_format not in FORMATS:
                raise InvalidImage(
                    f"{image_format or 'this'} files are not accepted: upload a JPEG, PNG or WebP"
                )
            # Checked from the header, before decoding: a decompression bomb never expands.
            if image.width * image.height > max_pixels:
                raise ImageTooLarge(
                    f"the image is {image.width}x{image.height} "
                    f"({image.width * image.height / 1e6:.0f} megapixels); "
                    f"the limit is {max_pixels / 1e6:.0f} megapixels"
                )
            width, height = image.size
            orientation = _orientation(image, image_format, decode)
            if decode and image_format == "JPEG" and orientation == 1:
                # Still a full check: every byte of the entropy-coded data is decoded (truncation
                # and corruption fail the same way), only the inverse DCT runs at 1/8 scale,
                # which halves the cost. Pixels are not kept, so the scale does not matter.
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            if decode or orientation != 1:  # a rotated image is decoded to be stored upright
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard fires on open for headers far beyond our limit.
        raise ImageTooLarge(
            f"the image has far more than {max_pixels / 1e6:.0f} megapixels"
        ) from None
    except UnidentifiedImageError:
        raise InvalidImage("the file is not a readable JPEG, PNG or WebP image") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidImage(f"the image is damaged or truncated ({exc})") from None

    content_type = FORMATS[image_format]
    if orientation != 1:
        # Store pixels the right way up so every consumer (browser, CLIP, OpenAI) agrees.
        image = ImageOps.exif_transpose(image)
        data = _encode(image, image_format)
        width, height = image.size
    return ValidImage(
        data=data,
        content_type=content_type,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _orientation(image: Image.Image, image_format: str, decode: bool) -> int:
    if image_format == "PNG" and not decode:
        # Pillow decodes a whole PNG to look for an eXIf chunk after the pixel data. Without
        # `decode`, only one before it (where writers put it) is read; a later one stays in the
        # stored file, and the caller's own decode (`decode_image`) still applies it.
        raw = image.info.get("exif")
        if not raw:
            return 1
        exif = Image.Exif()
        exif.load(raw)
        return int(exif.get(_ORIENTATION, 1))
    return int(image.getexif().get(_ORIENTATION, 1))


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=92)
    else:
        image.save(buffer, image_format)
    return buffer.getvalue()
