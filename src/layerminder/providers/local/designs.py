"""Furniture designs from a brief (references with roles, keyword, style), and the offline
provider.

What each design is drawn as and in is decided once per batch by the brief resolver (brief.py,
where the precedence is written down); this module builds each design's geometry, fits a form
reference's silhouette, dresses and paints it, and stores what it drew (spec.py) in the JPEG.
Same brief, same bytes.
"""

from __future__ import annotations

import colorsys
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PIL import Image

from layerminder import offload
from layerminder.providers.base import (
    DESIGN_COUNT,
    DESIGN_SIZE,
    Brief,
    DesignBatch,
    DesignProgress,
    InputImage,
    edit_parts,
)
from layerminder.providers.local.brief import ResolvedBrief, resolve
from layerminder.providers.local.dressing import Dressing, dress, mix
from layerminder.providers.local.editing import edit_region
from layerminder.providers.local.forms import (
    DEFAULT_BASES,
    FORM_BUILDERS,
    FURNITURE_KINDS,
    SEAT_FORMS,
    Build,
    build,
)
from layerminder.providers.local.geometry import Geometry
from layerminder.providers.local.inputs import InputLook, design_seed, read_inputs
from layerminder.providers.local.materials import NamedMaterial
from layerminder.providers.local.model import design_parts
from layerminder.providers.local.painting import Finish, paint, projected_aspect
from layerminder.providers.local.proportions import Proportions, keyword_proportions
from layerminder.providers.local.spec import DesignSpec, spec_comment

JPEG_QUALITY = 90
# The live previews' passes before the finished render, each a real stage of the drawing at a
# rising (small) size: the outline, then the lit forms in flat colours. Then the design itself.
PREVIEW_PASSES: tuple[tuple[Finish, int], ...] = (("silhouette", 128), ("shaded", 256))
PREVIEW_JPEG_QUALITY = 75
# Offline work costs nothing; saying so puts 0, not "unknown", on the record.
FREE = {"cost_microusd": 0}

RGB = tuple[float, float, float]

# Each type is shown from the angle that reads best for it.
_YAW = {
    "chair": -38.0, "stool": -30.0, "bench": -24.0, "lounge": -34.0, "sofa": -26.0,
    "side_table": -30.0,
}  # fmt: skip
_PITCH = 17.0

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
    resolved: ResolvedBrief

    @property
    def forms(self) -> tuple[str, ...]:
        """The furniture type of each position."""
        return self.resolved.kinds

    @property
    def keyword(self) -> str | None:
        return self.resolved.shape_words

    @property
    def frame(self) -> NamedMaterial | None:
        return self.resolved.frame

    @property
    def seat(self) -> NamedMaterial | None:
        return self.resolved.seat


def _shaped_proportions(plan: BatchPlan, position: int, p: Proportions) -> Proportions:
    """A form reference's proportions, by its strength, for the positions that follow it."""
    silhouette = plan.resolved.silhouette
    if silhouette is None or not plan.resolved.shaped[position]:
        return p
    strength = plan.resolved.form_strength
    kind = plan.forms[position]
    scale = silhouette.scale(kind)
    return replace(
        p,
        **{key: getattr(p, key) * (1.0 + (value - 1.0) * strength) for key, value in scale.items()},
    )


def _fit_silhouette(
    plan: BatchPlan, position: int, p: Proportions, b: Build, yaw: float
) -> tuple[Proportions, Geometry]:
    """Widen or narrow the piece until its drawn outline has the reference's aspect (width over
    height), as far as the reference's strength asks. A few cheap projections, no painting."""
    geometry = build(p, b)
    silhouette = plan.resolved.silhouette
    if silhouette is None or not plan.resolved.shaped[position]:
        return p, geometry
    strength = plan.resolved.form_strength
    for _ in range(3):
        current = projected_aspect(geometry.parts, yaw, _PITCH)
        target = current + (silhouette.aspect - current) * strength
        ratio = target / max(current, 1e-3)
        if abs(ratio - 1.0) < 0.03:
            break
        # Half of the change in width, half in height, within what the type can take.
        width = float(np.clip(p.width * ratio**0.6, 0.6, 2.4))
        height = float(np.clip(p.height * ratio**-0.4, 0.85, 1.5))
        p = replace(p, width=width, height=height)
        geometry = build(p, b)
    return p, geometry


def _build_choice(
    plan: BatchPlan, position: int, p: Proportions, rng: np.random.Generator
) -> Build:
    kind = plan.forms[position]
    variant = plan.forms[:position].count(kind) + int(rng.integers(0, 2))
    arms = True
    modules = 1
    if kind == "lounge":
        arms = variant % 2 == 0 or p.roundness > 0.6
    elif kind == "sofa":
        arms = variant % 3 != 2
        modules = (3, 4, 2, 3)[position % 4] if plan.resolved.modular else 3
    return Build(kind, plan.resolved.bases[position], variant, arms, modules)


def _tint(plan: BatchPlan, seat: RGB) -> RGB:
    lightest = max(plan.look.swatches, key=lambda s: s.hls[1])
    # The studio takes a hint of the palette's lightest colour, muted so the piece, not the
    # wall, carries the brief's colour.
    hue, lightness, saturation = colorsys.rgb_to_hls(*lightest.rgb)
    muted = colorsys.hls_to_rgb(hue, lightness, saturation * 0.4)
    tint: RGB = (0.35 * muted[0] + 0.6045, 0.35 * muted[1] + 0.6045, 0.35 * muted[2] + 0.6045)
    mood = plan.resolved.mood
    if mood is not None:
        # A mood reference tints the studio: its colour, lightened, by strength.
        tint = mix(tint, mix(mood.rgb, (0.93, 0.93, 0.93), 0.55), mood.strength)
    if colorsys.rgb_to_hls(*seat)[1] > 0.62:
        # A pale piece is shot against a deeper backdrop, as a photographer would, so its
        # outline does not dissolve into the wall.
        tint = mix(tint, (0.22, 0.22, 0.24), 0.7)
    return tint


def _dimensions(geometry: Geometry) -> tuple[int, int, int, int]:
    width, depth, height = geometry.extent()
    seat = round(geometry.seat_height) if geometry.seat_height is not None else 0
    return round(width), round(depth), round(height), seat


@dataclass(frozen=True)
class Drawn:
    """One design as built and dressed, before painting: the render and the design model
    (`design_model`) read the same parts."""

    build: Build
    proportions: Proportions
    geometry: Geometry
    dressing: Dressing
    yaw: float
    rng: np.random.Generator


def _drawn(plan: BatchPlan, position: int) -> Drawn:
    kind = plan.forms[position]
    if kind not in FORM_BUILDERS:
        raise ValueError(f"unknown furniture type {kind!r}; expected one of {FURNITURE_KINDS}")
    rng = np.random.default_rng(design_seed(plan.seed_images, plan.keyword, kind, position))
    proportions = _shaped_proportions(plan, position, keyword_proportions(plan.keyword))
    choice = _build_choice(plan, position, proportions, rng)
    table = kind == "side_table"
    dressing = dress(plan.resolved, plan.look, proportions, position, rng, table=table)
    yaw = _YAW[kind] + float(rng.uniform(-4.0, 4.0))
    proportions, geometry = _fit_silhouette(plan, position, proportions, choice, yaw)
    return Drawn(choice, proportions, geometry, dressing, yaw, rng)


def design_model(plan: BatchPlan, position: int) -> dict[str, Any]:
    """The parts of one planned design as plain data (providers.local.model). Blocking."""
    drawn = _drawn(plan, position)
    return design_parts(
        drawn.build.kind,
        drawn.geometry.parts,
        drawn.dressing.materials,
        frame=plan.resolved.frame,
        seat=plan.resolved.seat,
        base=drawn.build.base,
        seat_height=drawn.geometry.seat_height,
    )


def brief_models(brief: Brief, count: int = DESIGN_COUNT) -> list[dict[str, Any] | None]:
    """The design model of each design `render_brief` draws for this brief. Blocking."""
    plan = plan_brief(brief, count)
    return [design_model(plan, position) for position in range(count)]


def design_spec(plan: BatchPlan, drawn: Drawn, position: int) -> DesignSpec:
    """What the design at `position` is, as its JPEG carries it (spec.py)."""
    kind = drawn.build.kind
    return DesignSpec(
        build=drawn.build,
        proportions=drawn.proportions,
        frame=drawn.dressing.frame,
        seat=drawn.dressing.seat,
        accent_rgb=tuple(round(c * 255) for c in drawn.dressing.materials[2].rgb),  # type: ignore[arg-type]
        dimensions=_dimensions(drawn.geometry),
        seed=design_seed(plan.seed_images, plan.resolved.keyword, kind, position, "story"),
        keyword=plan.resolved.keyword,
        style=plan.resolved.style,
        decided_by=plan.resolved.decided_by,
    )


def _render(plan: BatchPlan, position: int, size: int, finish: Finish = "textured") -> bytes:
    drawn = _drawn(plan, position)
    parts = list(drawn.geometry.parts)
    materials = drawn.dressing.materials
    tint = _tint(plan, materials[1].rgb)
    image = paint(parts, materials, tint, size, drawn.rng, drawn.yaw, finish)
    buffer = io.BytesIO()
    if finish != "textured":
        image.save(buffer, format="JPEG", quality=PREVIEW_JPEG_QUALITY, optimize=False)
        return buffer.getvalue()
    comment = spec_comment(design_spec(plan, drawn, position))
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=False, comment=comment)
    return buffer.getvalue()


def _plain_plan(
    images: Sequence[bytes], keyword: str | None, count: int, kinds: Sequence[str] | None = None
) -> BatchPlan:
    """Plain references (role `any`): the mixed types, or `kinds` when given."""
    brief = Brief.from_images(
        [InputImage(data, "image/jpeg", f"reference-{i}") for i, data in enumerate(images)],
        keyword=keyword,
    )
    resolved = resolve(brief, count)
    if kinds is not None:
        chosen = tuple(kinds)
        resolved = replace(
            resolved,
            kinds=chosen,
            bases=tuple(DEFAULT_BASES[k][i % 4] for i, k in enumerate(chosen)),
            shaped=tuple(False for _ in chosen),
        )
    return BatchPlan(look=read_inputs(images), seed_images=tuple(images), resolved=resolved)


def render_seat(
    images: Sequence[bytes],
    keyword: str | None,
    form: str,
    *,
    size: int = DESIGN_SIZE,
    variant: int = 0,
) -> bytes:
    """Render one piece of type `form` (see FURNITURE_KINDS) as JPEG bytes, coloured from
    `images`."""
    if form not in FORM_BUILDERS:
        raise ValueError(f"unknown seat form {form!r}; expected one of {FURNITURE_KINDS}")
    position = variant * len(SEAT_FORMS) + (SEAT_FORMS.index(form) if form in SEAT_FORMS else 0)
    plan = _plain_plan(images, keyword, position + 1, kinds=[form] * (position + 1))
    return _render(plan, position, size)


def render_designs(
    images: Sequence[bytes],
    keyword: str | None,
    count: int = DESIGN_COUNT,
    *,
    size: int = DESIGN_SIZE,
) -> list[bytes]:
    """Render `count` distinct designs from plain references: the type the keyword names, else
    chair, stool, bench, lounge, then variations. Blocking and CPU-bound: call it from a worker
    thread. Same inputs and keyword give byte-identical JPEGs."""
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


def plan_brief(brief: Brief, count: int) -> BatchPlan:
    """Read a brief once for the whole batch. Blocking."""
    resolved = resolve(brief, count)
    images = [item.image.data for item in brief.inputs]
    weights = [_PALETTE_WEIGHT[item.role] * item.strength * 2 for item in brief.inputs]
    style = resolved.style
    if style is not None and style.palette:
        images.append(_palette_image(style.palette))
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
    return BatchPlan(look=look, seed_images=tuple(images), resolved=resolved)


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
