"""Seat designs from a brief (references with roles, keyword, style), and the offline provider.

How the brief shows: a `form` reference's silhouette picks the archetype and proportions of as
many designs as its strength says; `colour` references pull the seat (and accents) towards their
colour by strength; `material` references give the frame its colour and every part its texture;
`mood` references tint the studio; materials named in the keyword or style dress the frame and
seat outright. Same brief, same bytes.
"""

from __future__ import annotations

import colorsys
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from PIL import Image

from layerminder import offload
from layerminder.providers.base import (
    DESIGN_COUNT,
    DESIGN_SIZE,
    Brief,
    BriefInput,
    DesignBatch,
    DesignProgress,
    edit_parts,
)
from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.editing import edit_region
from layerminder.providers.local.forms import FORM_BUILDERS, SEAT_FORMS
from layerminder.providers.local.geometry import Part
from layerminder.providers.local.inputs import (
    InputLook,
    design_seed,
    dominant_colour,
    read_inputs,
)
from layerminder.providers.local.materials import (
    NamedMaterial,
    brief_materials,
    frame_and_seat,
    material_tile,
)
from layerminder.providers.local.model import design_parts
from layerminder.providers.local.painting import Finish, Material, paint
from layerminder.providers.local.proportions import Proportions, keyword_proportions
from layerminder.providers.local.silhouette import read_silhouette

JPEG_QUALITY = 90
# The live previews' passes before the finished render, each a real stage of the drawing at a
# rising (small) size: the outline, then the lit forms in flat colours. Then the design itself.
PREVIEW_PASSES: tuple[tuple[Finish, int], ...] = (("silhouette", 128), ("shaded", 256))
PREVIEW_JPEG_QUALITY = 75
# Offline work costs nothing; saying so puts 0, not "unknown", on the record.
FREE = {"cost_microusd": 0}

RGB = tuple[float, float, float]

# Each form is shown from the angle that reads best for it.
_YAW = {"chair": -38.0, "stool": -30.0, "bench": -24.0, "lounge": -34.0}

# How much each role's pixels count in the batch palette, at strength 0.5 (scaled by strength):
# a form reference lends its shape, hardly its colours.
_PALETTE_WEIGHT = {"any": 1.0, "colour": 1.6, "material": 1.0, "mood": 0.7, "form": 0.12}
# A style's own colours count as one reference of this weight.
_STYLE_PALETTE_WEIGHT = 0.8


@dataclass(frozen=True)
class BatchPlan:
    """What every design of one batch shares, read once from the brief."""

    look: InputLook
    seed_images: tuple[bytes, ...]
    keyword: str | None
    forms: tuple[str, ...]  # the archetype of each position
    # Proportion multipliers from a form reference, for designs of its archetype.
    shape: dict[str, float] = field(default_factory=dict)
    shaped_form: str | None = None
    colour: tuple[RGB, float] | None = None  # strongest colour reference and its strength
    material: tuple[RGB, float] | None = None  # strongest material reference and its strength
    mood: tuple[RGB, float] | None = None
    frame: NamedMaterial | None = None
    seat: NamedMaterial | None = None


def _clamp_lightness(rgb: RGB, low: float, high: float) -> RGB:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return colorsys.hls_to_rgb(hue, min(max(lightness, low), high), saturation)


def _mix(a: RGB, b: RGB, amount: float) -> RGB:
    t = min(max(amount, 0.0), 1.0)
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def _frame_kind(rgb: RGB, p: Proportions) -> str:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    if p.metal_frame or (saturation < 0.12 and lightness < 0.5):
        return "metal"
    if 0.03 <= hue <= 0.14 and saturation > 0.15 and 0.15 < lightness < 0.75:
        return "wood"
    return "lacquer"


def _jitter(rgb: RGB, rng: np.random.Generator, amount: float = 0.04) -> RGB:
    """A named material is never flat: each design gets its own plank of it."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    lightness = min(max(lightness + float(rng.uniform(-amount, amount)), 0.05), 0.95)
    return colorsys.hls_to_rgb(hue, lightness, saturation)


def _materials(
    plan: BatchPlan, p: Proportions, position: int, rng: np.random.Generator
) -> list[Material]:
    look = plan.look
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
    detail_count = len(look.details)
    detail = look.details[(position + int(rng.integers(0, detail_count))) % detail_count]
    seat_detail = _with_weave(detail, rng)
    accent_detail = _with_weave(look.details[(position + 1) % detail_count], rng)

    frame_rgb: RGB = frame.rgb
    if plan.material is not None:
        # A material reference is what the frame is made of: its colour, by strength.
        frame_rgb = _mix(frame_rgb, plan.material[0], 0.35 + 0.65 * plan.material[1])
    frame_rgb = _clamp_lightness(frame_rgb, 0.1, 0.7)
    frame_kind = _frame_kind(frame_rgb, p)
    if frame_kind == "metal":
        frame_rgb = _clamp_lightness(frame_rgb, 0.14, 0.55)
    seat_rgb, accent_rgb, seat_kind = seat.rgb, accent.rgb, "fabric"

    seed = int(rng.integers(0, 2**31))
    if plan.frame is not None:
        frame_rgb, frame_kind = _jitter(plan.frame.colour, rng), plan.frame.kind
        detail = material_tile(plan.frame, seed)
    if plan.seat is not None:
        seat_rgb, seat_kind = plan.seat.colour, plan.seat.kind
        seat_detail = _with_weave(material_tile(plan.seat, seed + 1), rng)
        accent_rgb = _mix(accent_rgb, seat_rgb, 0.6)
    if plan.colour is not None:
        # A colour reference is the seat's colour, more of it the stronger it is.
        colour, strength = plan.colour
        seat_rgb = _mix(seat_rgb, colour, 0.25 + 0.75 * strength)
        accent_rgb = _mix(accent_rgb, colour, 0.6 * strength)
    seat_rgb = _clamp_lightness(seat_rgb, 0.14, 0.86)
    accent_rgb = _clamp_lightness(accent_rgb, 0.14, 0.86)
    return [
        Material(frame_rgb, frame_kind, detail),
        Material(seat_rgb, seat_kind, seat_detail),
        Material(accent_rgb, "fabric", accent_detail),
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


def _drawn(
    plan: BatchPlan, position: int
) -> tuple[str, list[Part], list[Material], np.random.Generator]:
    """One design's form, parts and materials, and the random stream its painting goes on
    with: the render and the design model (`design_model`) read the same parts."""
    form = plan.forms[position]
    if form not in FORM_BUILDERS:
        raise ValueError(f"unknown seat form {form!r}; expected one of {SEAT_FORMS}")
    rng = np.random.default_rng(design_seed(plan.seed_images, plan.keyword, form, position))
    proportions = keyword_proportions(plan.keyword)
    if plan.shape and form == plan.shaped_form:
        proportions = replace(
            proportions,
            **{key: getattr(proportions, key) * value for key, value in plan.shape.items()},
        )
    variant = plan.forms[:position].count(form) + int(rng.integers(0, 2))
    parts = FORM_BUILDERS[form](proportions, variant)
    materials = _materials(plan, proportions, position, rng)
    return form, parts, materials, rng


def design_model(plan: BatchPlan, position: int) -> dict[str, Any]:
    """The parts of one planned design as plain data (providers.local.model). Blocking."""
    form, parts, materials, _ = _drawn(plan, position)
    return design_parts(form, parts, materials, frame=plan.frame, seat=plan.seat)


def brief_models(brief: Brief, count: int = DESIGN_COUNT) -> list[dict[str, Any] | None]:
    """The design model of each design `render_brief` draws for this brief. Blocking."""
    plan = plan_brief(brief, count)
    return [design_model(plan, position) for position in range(count)]


def _render(plan: BatchPlan, position: int, size: int, finish: Finish = "textured") -> bytes:
    form, parts, materials, rng = _drawn(plan, position)
    lightest = max(plan.look.swatches, key=lambda s: s.hls[1])
    # The studio takes a hint of the palette's lightest colour, muted so the piece, not the
    # wall, carries the brief's colour.
    hue, lightness, saturation = colorsys.rgb_to_hls(*lightest.rgb)
    muted = colorsys.hls_to_rgb(hue, lightness, saturation * 0.4)
    tint: RGB = tuple(0.35 * c + 0.65 * 0.93 for c in muted)  # type: ignore[assignment]
    if plan.mood is not None:
        # A mood reference tints the studio: its colour, lightened, by strength.
        mood_tint = _mix(plan.mood[0], (0.93, 0.93, 0.93), 0.55)
        tint = _mix(tint, mood_tint, plan.mood[1])
    yaw = _YAW[form] + float(rng.uniform(-4.0, 4.0))
    image = paint(parts, materials, tint, size, rng, yaw, finish)
    buffer = io.BytesIO()
    quality = JPEG_QUALITY if finish == "textured" else PREVIEW_JPEG_QUALITY
    image.save(buffer, format="JPEG", quality=quality, optimize=False)
    return buffer.getvalue()


def _cycled(forms: Sequence[str], count: int) -> tuple[str, ...]:
    return tuple(forms[position % len(forms)] for position in range(count))


def _plain_plan(images: Sequence[bytes], keyword: str | None, count: int) -> BatchPlan:
    return BatchPlan(
        look=read_inputs(images),
        seed_images=tuple(images),
        keyword=keyword,
        forms=_cycled(SEAT_FORMS, count),
    )


def render_seat(
    images: Sequence[bytes],
    keyword: str | None,
    form: str,
    *,
    size: int = DESIGN_SIZE,
    variant: int = 0,
) -> bytes:
    """Render one seat of `form` (see SEAT_FORMS) as JPEG bytes, coloured from `images`."""
    if form not in FORM_BUILDERS:
        raise ValueError(f"unknown seat form {form!r}; expected one of {SEAT_FORMS}")
    position = variant * len(SEAT_FORMS) + SEAT_FORMS.index(form)
    plan = _plain_plan(images, keyword, position + 1)
    return _render(plan, position, size)


def render_designs(
    images: Sequence[bytes],
    keyword: str | None,
    count: int = DESIGN_COUNT,
    *,
    size: int = DESIGN_SIZE,
) -> list[bytes]:
    """Render `count` distinct seat designs (chair, stool, bench, lounge, then variations) from
    plain references. Blocking and CPU-bound: call it from a worker thread. Same inputs and
    keyword give byte-identical JPEGs."""
    if count < 1:
        raise ValueError("count must be at least 1")
    plan = _plain_plan(images, keyword, count)
    return [_render(plan, position, size) for position in range(count)]


def _palette_image(palette: Sequence[tuple[int, int, int]]) -> bytes:
    """Stripes of a style's colours, first colour widest: stands in for a photo of them."""
    image = Image.new("RGB", (64, 64))
    widths = [len(palette) - i for i in range(len(palette))]
    x = 0
    for index, (rgb, width) in enumerate(zip(palette, widths, strict=True)):
        right = 64 if index == len(palette) - 1 else x + round(64 * width / sum(widths))
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


def _strongest(items: Sequence[BriefInput]) -> tuple[RGB, float] | None:
    if not items:
        return None
    best = items[0]  # with_role sorts strongest first
    return dominant_colour(best.image.data), best.strength


def _forms(brief: Brief, count: int) -> tuple[tuple[str, ...], dict[str, float], str | None]:
    """Each position's archetype, and the form reference's proportions for its designs."""
    order = list(SEAT_FORMS)
    shape: dict[str, float] = {}
    shaped: str | None = None
    form_refs = brief.with_role("form")
    silhouette = read_silhouette(form_refs[0].image.data) if form_refs else None
    if silhouette is not None:
        strength = form_refs[0].strength
        shaped = silhouette.archetype
        # The stronger the reference, the more of the batch takes its shape.
        following = max(1, round(4 * strength))
        rest = [form for form in order if form != shaped]
        order = [shaped] * following + rest[: max(0, len(SEAT_FORMS) - following)]
        shape = {
            key: 1.0 + (value - 1.0) * strength for key, value in silhouette.scale(shaped).items()
        }
    elif brief.style is not None and brief.style.form in SEAT_FORMS:
        order = [brief.style.form, *(form for form in order if form != brief.style.form)]
    return _cycled(order, count), shape, shaped


def plan_brief(brief: Brief, count: int) -> BatchPlan:
    """Read a brief once for the whole batch. Blocking."""
    images = [item.image.data for item in brief.inputs]
    weights = [_PALETTE_WEIGHT[item.role] * item.strength * 2 for item in brief.inputs]
    if brief.style is not None and brief.style.palette:
        images.append(_palette_image(brief.style.palette))
        weights.append(_STYLE_PALETTE_WEIGHT)
    if not images:
        raise ValueError("a brief needs a reference or a style to draw from")
    # Textures come from material references when there are any, else from every reference.
    material_positions = [i for i, item in enumerate(brief.inputs) if item.role == "material"]
    look = read_inputs(
        images,
        weights=[max(w, 0.02) for w in weights],
        detail_from=material_positions or None,
    )
    forms, shape, shaped = _forms(brief, count)
    frame, seat = frame_and_seat(brief_materials(brief))
    return BatchPlan(
        look=look,
        seed_images=tuple(images),
        keyword=brief_keyword(brief),
        forms=forms,
        shape=shape,
        shaped_form=shaped,
        colour=_strongest(brief.with_role("colour")),
        material=_strongest(brief.with_role("material")),
        mood=_strongest(brief.with_role("mood")),
        frame=frame,
        seat=seat,
    )


def render_brief(
    brief: Brief, count: int = DESIGN_COUNT, *, size: int = DESIGN_SIZE
) -> list[bytes]:
    """Render `count` designs for a brief. Blocking; deterministic for the same brief."""
    if count < 1:
        raise ValueError("count must be at least 1")
    plan = plan_brief(brief, count)
    return [_render(plan, position, size) for position in range(count)]


def render_pass(plan: BatchPlan, position: int, size: int, finish: Finish) -> bytes:
    """One design of a planned batch drawn to `finish` at `size`. Blocking. The textured pass
    at DESIGN_SIZE is byte-identical to what render_brief gives for that position."""
    return _render(plan, position, size, finish)


class LocalImageProvider:
    """Offline image provider: procedural renders that follow the brief's roles and materials."""

    name = "local"
    model = "procedural-v2"

    async def generate_designs(
        self, brief: Brief, count: int = DESIGN_COUNT, progress: DesignProgress | None = None
    ) -> DesignBatch:
        if progress is None:
            designs = await offload.run(render_brief, brief, count)
        else:
            designs = await self._in_passes(brief, count, progress)
        models = await offload.run(brief_models, brief, count)
        return DesignBatch(
            images=designs, provider=self.name, model=self.model, usage=dict(FREE), models=models
        )

    async def _in_passes(self, brief: Brief, count: int, progress: DesignProgress) -> list[bytes]:
        """One design after another, each drawn pass by pass and shown after every pass: the
        cards fill one by one. The small passes cost a few percent of the finished render."""
        if count < 1:
            raise ValueError("count must be at least 1")
        plan = await offload.run(plan_brief, brief, count)
        of = len(PREVIEW_PASSES) + 1
        designs = []
        for position in range(count):
            for step, (finish, size) in enumerate(PREVIEW_PASSES, start=1):
                preview = await offload.run(render_pass, plan, position, size, finish)
                await progress.preview(position, preview, step, of)
            design = await offload.run(render_pass, plan, position, DESIGN_SIZE, "textured")
            await progress.finished(position, design)
            designs.append(design)
        return designs

    async def edit_region(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        image, mask = edit_parts(brief)
        # The prompt says what goes in the region; the keyword and style come after it, so a
        # named finish in the prompt wins.
        words = " ".join(part for part in (brief.edit_prompt, brief.words) if part)
        edits = await offload.run(edit_region, image.data, mask.data, words, count)
        return DesignBatch(
            images=edits, provider=self.name, model=f"{self.model}-edit", usage=dict(FREE)
        )
