"""CLIP image preprocessing, numerically the same as transformers' CLIPImageProcessor."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from layerminder.errors import InvalidImage

# OpenAI CLIP's constants (transformers.image_utils.OPENAI_CLIP_MEAN / _STD).
CLIP_MEAN: tuple[float, float, float] = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD: tuple[float, float, float] = (0.26862954, 0.26130258, 0.27577711)
CLIP_IMAGE_SIZE = 224

PixelBatch = npt.NDArray[np.float32]


def decode_image(data: bytes, *, draft_size: int | None = None) -> Image.Image:
    """Decode JPEG/PNG/WebP bytes into an upright PIL image.

    With `draft_size`, a JPEG is decoded at the smallest 1/2, 1/4 or 1/8 DCT scale whose sides
    stay ≥ `draft_size`: about 3× cheaper for a 1024² JPEG, and slightly different pixels.
    """
    try:
        image = Image.open(io.BytesIO(data))
        if draft_size is not None and image.format == "JPEG":
            image.draft("RGB", (draft_size, draft_size))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidImage(f"cannot decode image: {exc}") from exc
    # Library imports come straight from cameras and folders; uploads are already upright.
    return ImageOps.exif_transpose(image)


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB the way CLIPImageProcessor makes it: transparency is composited over white."""
    if image.mode == "RGB":
        return image
    if "A" in image.getbands() or image.info.get("transparency") is not None:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def resize_and_crop(image: Image.Image, size: int = CLIP_IMAGE_SIZE) -> npt.NDArray[np.uint8]:
    """Short side to `size` (bicubic, long side truncated as transformers does), centre crop."""
    width, height = image.size
    if width <= height:
        new_width, new_height = size, int(size * height / width)
    else:
        new_width, new_height = int(size * width / height), size
    resized = image.resize((new_width, new_height), resample=Image.Resampling.BICUBIC)
    pixels = np.asarray(resized, dtype=np.uint8)
    top = (new_height - size) // 2
    left = (new_width - size) // 2
    return pixels[top : top + size, left : left + size]


def _normalisation_tables(mean: Sequence[float], std: Sequence[float]) -> npt.NDArray[np.float32]:
    # One 256-entry table per channel: rescale and normalise become a single gather, computed the
    # way transformers does it (float64 rescale, cast to float32, float32 normalise).
    levels = (np.arange(256, dtype=np.float64) * (1 / 255)).astype(np.float32)
    mean32 = np.asarray(mean, dtype=np.float32)
    std32 = np.asarray(std, dtype=np.float32)
    return ((levels[None, :] - mean32[:, None]) / std32[:, None]).astype(np.float32)


_CLIP_TABLES = _normalisation_tables(CLIP_MEAN, CLIP_STD)


def tables_for(mean: Sequence[float], std: Sequence[float]) -> npt.NDArray[np.float32]:
    if tuple(mean) == CLIP_MEAN and tuple(std) == CLIP_STD:
        return _CLIP_TABLES
    return _normalisation_tables(mean, std)


def fill_row(
    row: npt.NDArray[np.float32],
    image: Image.Image,
    size: int,
    tables: npt.NDArray[np.float32],
) -> None:
    """One image into one (3, size, size) row of a batch. Pillow releases the GIL while it
    resizes, so rows can be filled from several threads at once."""
    pixels = resize_and_crop(to_rgb(image), size)
    for channel in range(3):
        row[channel] = tables[channel][pixels[:, :, channel]]


def preprocess_images(
    images: Sequence[Image.Image],
    *,
    size: int = CLIP_IMAGE_SIZE,
    mean: Sequence[float] = CLIP_MEAN,
    std: Sequence[float] = CLIP_STD,
) -> PixelBatch:
    """PIL images → float32 NCHW batch ready for the CLIP vision encoder."""
    tables = tables_for(mean, std)
    batch = np.empty((len(images), 3, size, size), dtype=np.float32)
    for row, image in enumerate(images):
        fill_row(batch[row], image, size, tables)
    return batch


def preprocess_bytes(
    images: Sequence[bytes],
    *,
    fast: bool = False,
    size: int = CLIP_IMAGE_SIZE,
    mean: Sequence[float] = CLIP_MEAN,
    std: Sequence[float] = CLIP_STD,
) -> PixelBatch:
    """Encoded images → float32 NCHW batch; `fast` decodes JPEGs in Pillow's draft mode."""
    draft_size = size if fast else None
    decoded = [decode_image(data, draft_size=draft_size) for data in images]
    return preprocess_images(decoded, size=size, mean=mean, std=std)
