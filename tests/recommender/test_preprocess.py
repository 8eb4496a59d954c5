"""CLIP preprocessing must equal transformers' CLIPImageProcessor: indexing and serving share it."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

from layerminder.errors import InvalidImage
from layerminder.recommender.preprocess import decode_image, preprocess_bytes, preprocess_images

from .conftest import encode, scene

# transformers 5 splits CLIPImageProcessor into a torchvision backend (needs torch) and this PIL
# backend, which keeps the numerics of the CLIPImageProcessor the seed used.
PROCESSOR = CLIPImageProcessorPil()


def reference(image: Image.Image) -> np.ndarray:
    return PROCESSOR(images=image, return_tensors="np")["pixel_values"]


def rgba(seed: int, size: tuple[int, int]) -> Image.Image:
    pixels = scene(seed, size)
    alpha = np.random.default_rng(seed).integers(0, 256, pixels.shape[:2], dtype=np.uint8)
    return Image.fromarray(np.dstack([pixels, alpha]), "RGBA")


CASES = {
    "square-1024": lambda: Image.fromarray(scene(1, (1024, 1024))),
    "landscape": lambda: Image.fromarray(scene(2, (640, 480))),
    "portrait-odd": lambda: Image.fromarray(scene(3, (301, 901))),
    "exactly-224": lambda: Image.fromarray(scene(4, (224, 224))),
    "thin-strip": lambda: Image.fromarray(scene(5, (1000, 225))),
    "smaller-than-224": lambda: Image.fromarray(scene(6, (120, 90))),
    "greyscale": lambda: Image.fromarray(scene(7, (333, 250))).convert("L"),
    "palette": lambda: Image.fromarray(scene(8, (260, 300))).convert("P"),
    "rgba": lambda: rgba(9, (400, 300)),
    "cmyk": lambda: Image.fromarray(scene(10, (300, 280))).convert("CMYK"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_clip_image_processor(name: str) -> None:
    image = CASES[name]()
    ours = preprocess_images([image])
    assert ours.shape == (1, 3, 224, 224)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, reference(image), rtol=0, atol=1e-5)


def test_batch_is_stacked_singles() -> None:
    images = [CASES[name]() for name in ("landscape", "portrait-odd", "rgba")]
    batch = preprocess_images(images)
    for row, image in enumerate(images):
        np.testing.assert_array_equal(batch[row], preprocess_images([image])[0])


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_bytes_path_matches_processor_on_the_decoded_image(fmt: str) -> None:
    data = encode(scene(11, (512, 384)), fmt, **({"quality": 90} if fmt != "PNG" else {}))
    np.testing.assert_allclose(
        preprocess_bytes([data]), reference(Image.open(io.BytesIO(data))), atol=1e-5
    )


def test_fast_path_is_exact_for_non_jpeg_and_close_for_jpeg() -> None:
    png = encode(scene(12, (1024, 1024)))
    np.testing.assert_array_equal(preprocess_bytes([png], fast=True), preprocess_bytes([png]))
    jpeg = encode(scene(12, (1024, 1024)), "JPEG", quality=90)
    exact, fast = preprocess_bytes([jpeg]), preprocess_bytes([jpeg], fast=True)
    assert fast.shape == exact.shape
    # Pixels differ a little (DCT-domain downscale); embeddings are checked in bench/embed.py.
    assert np.abs(fast - exact).mean() < 0.05


def test_draft_decoding_keeps_at_least_the_requested_size() -> None:
    jpeg = encode(scene(13, (1024, 768)), "JPEG")
    image = decode_image(jpeg, draft_size=224)
    assert min(image.size) >= 224
    assert image.size[0] < 1024


def test_exif_orientation_is_applied() -> None:
    image = Image.fromarray(scene(14, (300, 200)))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = encode(image, "JPEG", exif=exif.tobytes())
    assert decode_image(data).size == (200, 300)


@pytest.mark.parametrize("data", [b"", b"not an image", encode(scene(15))[:100]])
def test_undecodable_bytes_raise_invalid_image(data: bytes) -> None:
    with pytest.raises(InvalidImage):
        preprocess_bytes([data])
