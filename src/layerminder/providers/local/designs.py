"""Seat designs from the inputs and keyword, and the offline image provider."""

from __future__ import annotations

import asyncio
import colorsys
import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from layerminder.providers.base import DESIGN_COUNT, DESIGN_SIZE, Brief, DesignBatch, edit_parts
from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.editing import edit_region
from layerminder.providers.local.forms import FORM_BUILDERS, SEAT_FORMS
from layerminder.providers.local.inputs import InputLook, design_seed, read_inputs
from layerminder.providers.local.painting import Material, paint
from layerminder.providers.local.proportions import Proportions, keyword_proportions

JPEG_QUALITY = 90


# Each form is shown from the angle that reads best for it.
_YAW = {"chair": -38.0, "stool": -30.0, "bench": -24.0, "lounge": -34.0}


def _clamp_lightness(
    rgb: tuple[float, float, float], low: float, high: float
) -> tuple[float, float, float]:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return colorsys.hls_to_rgb(hue, min(max(lightness, low), high), saturation)


def _frame_kind(rgb: tuple[float, float, float], p: Proportions) -> str:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    if p.metal_frame or (saturation < 0.12 and lightness < 0.5):
        return "metal"
    if 0.03 <= hue <= 0.14 and saturation > 0.15 and 0.15 < lightness < 0.75:
        return "wood"
    return "lacquer"


def _materials(
    look: InputLook, p: Proportions, position: int, rng: np.random.Generator
) -> list[Material]:
    swatches = list(look.swatches)
    # Rotating the roles gives each design of a batch its own reading of the same palette.
    shift = position % len(swatches)
    roles = swatches[shift:] + swatches[:shift]
    seat = roles[0]
    by_contrast = sorted(
        roles[1:] or roles,
        key=lambda s: -(abs(s.hls[1] - seat.hls[1]) + 0.3 * s.weight),
    )
    frame = by_contrast[0]
    accent = roles[2] if len(roles) > 2 else (roles[1] if len(roles) > 1 else seat)
    frame_rgb = _clamp_lightness(frame.rgb, 0.1, 0.7)
    frame_kind = _frame_kind(frame_rgb, p)
    if frame_kind == "metal":
        frame_rgb = _clamp_lightness(frame_rgb, 0.14, 0.55)
    detail_count = len(look.details)
    detail = look.details[(position + int(rng.integers(0, detail_count))) % detail_count]
    seat_rgb = _clamp_lightness(seat.rgb, 0.14, 0.86)
    accent_rgb = _clamp_lightness(accent.rgb, 0.14, 0.86)
    return [
        Material(frame_rgb, frame_kind, detail),
        Material(seat_rgb, "fabric", _with_weave(detail, rng)),
        Material(
            accent_rgb, "fabric", _with_weave(look.details[(position + 1) % detail_count], rng)
        ),
        Material(frame_rgb, frame_kind, detail, vertical_grain=False),
    ]


def _with_weave(detail: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Fabric reads as fabric with a fine, even weave under whatever the input contributes."""
    weave = rng.standard_normal(detail.shape).astype(np.float32)
    # A wrap-around 3x3 average keeps the tile seamless while taking the edge off JPEG blocks.
    softened = (
        sum(
            np.roll(np.roll(detail, dy, axis=0), dx, axis=1)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
        )
        / 9.0
    )
    return (softened + 0.45 * weave).astype(np.float32)


def _render(
    look: InputLook,
    images: Sequence[bytes],
    keyword: str | None,
    form: str,
    position: int,
    size: int,
) -> bytes:
    if form not in FORM_BUILDERS:
        raise ValueError(f"unknown seat form {form!r}; expected one of {SEAT_FORMS}")
    rng = np.random.default_rng(design_seed(images, keyword, form, position))
    proportions = keyword_proportions(keyword)
    parts = FORM_BUILDERS[form](proportions, position // len(SEAT_FORMS) + int(rng.integers(0, 2)))
    materials = _materials(look, proportions, position, rng)
    lightest = max(look.swatches, key=lambda s: s.hls[1])
    tint = tuple(0.35 * c + 0.65 * 0.93 for c in lightest.rgb)
    yaw = _YAW[form] + float(rng.uniform(-4.0, 4.0))
    image = paint(parts, materials, (tint[0], tint[1], tint[2]), size, rng, yaw)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=False)
    return buffer.getvalue()


def render_seat(
    images: Sequence[bytes],
    keyword: str | None,
    form: str,
    *,
    size: int = DESIGN_SIZE,
    variant: int = 0,
) -> bytes:
    """Render one seat of `form` (see SEAT_FORMS) as JPEG bytes, coloured from `images`."""
    return _render(
        read_inputs(images),
        images,
        keyword,
        form,
        variant * len(SEAT_FORMS) + SEAT_FORMS.index(form),
        size,
    )


def render_designs(
    images: Sequence[bytes],
    keyword: str | None,
    count: int = DESIGN_COUNT,
    *,
    size: int = DESIGN_SIZE,
) -> list[bytes]:
    """Render `count` distinct seat designs (chair, stool, bench, lounge, then variations).

    Blocking and CPU-bound: call it from a worker thread. Same inputs and keyword give
    byte-identical JPEGs.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    look = read_inputs(images)
    return [
        _render(look, images, keyword, SEAT_FORMS[position % len(SEAT_FORMS)], position, size)
        for position in range(count)
    ]


def _palette_image(palette: Sequence[tuple[int, int, int]]) -> bytes:
    """Stripes of a style's colours, first colour widest: stands in for a photo of them."""
    image = Image.new("RGB", (64, 64))
    widths = [len(palette) - i for i in range(len(palette))]
    x = 0
    for rgb, width in zip(palette, widths, strict=True):
        right = 64 if rgb == palette[-1] else x + round(64 * width / sum(widths))
        image.paste(rgb, (x, 0, right, 64))
        x = right
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def brief_keyword(brief: Brief) -> str | None:
    """The words the proportions and seed read: the keyword, then the style's shape words."""
    words = [brief.keyword or ""]
    if brief.style is not None:
        words.extend(brief.style.proportion_words)
    return " ".join(word.strip() for word in words if word.strip()) or None


def render_brief(
    brief: Brief, count: int = DESIGN_COUNT, *, size: int = DESIGN_SIZE
) -> list[bytes]:
    """Render `count` designs for a brief. Blocking; deterministic for the same brief."""
    images = [item.data for item in brief.images]
    if not images and brief.style is not None and brief.style.palette:
        images = [_palette_image(brief.style.palette)]
    return render_designs(images, brief_keyword(brief), count, size=size)


class LocalImageProvider:
    """Offline image provider: procedural renders that take their palette from the inputs."""

    name = "local"
    model = "procedural-v1"

    async def generate_designs(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        designs = await asyncio.to_thread(render_brief, brief, count)
        return DesignBatch(images=designs, provider=self.name, model=self.model)

    async def edit_region(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        image, mask = edit_parts(brief)
        # The prompt says what goes in the region; the keyword and style come after it, so a
        # named finish in the prompt wins.
        words = " ".join(part for part in (brief.edit_prompt, brief.words) if part)
        edits = await asyncio.to_thread(edit_region, image.data, mask.data, words, count)
        return DesignBatch(images=edits, provider=self.name, model=f"{self.model}-edit")
