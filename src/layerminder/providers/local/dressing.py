"""Dressing a design: the colour, kind and texture of each material slot (frame, seat, accent,
rail), from the resolved brief (brief.py) and the references' palette."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np

from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.brief import EXPLICIT, ResolvedBrief
from layerminder.providers.local.inputs import InputLook
from layerminder.providers.local.materials import material_tile
from layerminder.providers.local.painting import Material
from layerminder.providers.local.proportions import Proportions
from layerminder.providers.local.spec import SlotFinish
from layerminder.providers.local.vocabulary import frame_material, soft_material

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Dressing:
    """The four slots as painted, and the frame and seat as the spec and story name them."""

    materials: list[Material]
    frame: SlotFinish
    seat: SlotFinish


def clamp_lightness(rgb: RGB, low: float, high: float) -> RGB:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return colorsys.hls_to_rgb(hue, min(max(lightness, low), high), saturation)


def mix(a: RGB, b: RGB, amount: float) -> RGB:
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


def _shade_of(rgb: RGB, lightness_shift: float) -> RGB:
    """The same hue a little lighter or darker: an accent that stays in the seat's colour."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return colorsys.hls_to_rgb(hue, min(max(lightness + lightness_shift, 0.18), 0.82), saturation)


def with_weave(detail: FloatArray, rng: np.random.Generator) -> FloatArray:
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


def _to_255(rgb: RGB) -> tuple[int, int, int]:
    return (
        round(min(max(rgb[0], 0.0), 1.0) * 255),
        round(min(max(rgb[1], 0.0), 1.0) * 255),
        round(min(max(rgb[2], 0.0), 1.0) * 255),
    )


def dress(
    plan: ResolvedBrief,
    look: InputLook,
    p: Proportions,
    position: int,
    rng: np.random.Generator,
    *,
    table: bool = False,
) -> Dressing:
    """The slots of the design at `position`. A table's "seat" slot is its top: made of the
    frame's material, in the brief's colour when it names one."""
    swatches = list(look.swatches)
    # Rotating the roles gives each design of a batch its own reading of the same palette.
    shift = position % len(swatches)
    roles = swatches[shift:] + swatches[:shift]
    seat = roles[0]
    by_contrast = sorted(
        roles[1:] or roles, key=lambda s: -(abs(s.hls[1] - seat.hls[1]) + 0.3 * s.weight)
    )
    frame = by_contrast[0]
    accent = roles[2] if len(roles) > 2 else (roles[1] if len(roles) > 1 else seat)
    detail_count = len(look.details)
    detail = look.details[(position + int(rng.integers(0, detail_count))) % detail_count]
    seat_detail = with_weave(detail, rng)
    accent_detail = with_weave(look.details[(position + 1) % detail_count], rng)

    frame_rgb: RGB = frame.rgb
    if plan.frame_colour is not None:
        # A material reference is what the frame is made of: its colour, by strength.
        frame_rgb = mix(frame_rgb, plan.frame_colour.rgb, 0.35 + 0.65 * plan.frame_colour.strength)
    frame_rgb = clamp_lightness(frame_rgb, 0.1, 0.7)
    frame_kind = _frame_kind(frame_rgb, p)
    if frame_kind == "metal":
        frame_rgb = clamp_lightness(frame_rgb, 0.14, 0.55)
    seat_rgb, accent_rgb, seat_kind = seat.rgb, accent.rgb, "fabric"

    seed = int(rng.integers(0, 2**31))
    if plan.frame is not None:
        frame_kind = plan.frame.kind
        if plan.frame_colour is None or plan.frame_colour.strength < EXPLICIT:
            frame_rgb = _jitter(plan.frame.colour, rng)
        detail = material_tile(plan.frame, seed)
    if plan.seat is not None:
        seat_rgb, seat_kind = plan.seat.colour, plan.seat.kind
        seat_detail = with_weave(material_tile(plan.seat, seed + 1), rng)
        accent_rgb = mix(accent_rgb, seat_rgb, 0.6)
    choice = plan.seat_colour
    if choice is not None and choice.strength >= EXPLICIT:
        # An explicit colour is the seat's colour outright, whatever the style's palette or
        # materials say; the accent takes a shade of it so the piece reads as that colour.
        seat_rgb = _jitter(choice.rgb, rng, 0.03)
        accent_rgb = _shade_of(choice.rgb, -0.08 if position % 2 else 0.06)
    elif choice is not None:
        seat_rgb = mix(seat_rgb, choice.rgb, 0.25 + 0.75 * choice.strength)
        accent_rgb = mix(accent_rgb, choice.rgb, 0.6 * choice.strength)
    seat_rgb = clamp_lightness(seat_rgb, 0.14, 0.86)
    accent_rgb = clamp_lightness(accent_rgb, 0.14, 0.86)

    if table:
        seat_kind, seat_detail = frame_kind, detail
        if choice is None:
            seat_rgb = clamp_lightness(_shade_of(frame_rgb, 0.05), 0.14, 0.86)
    if plan.frame is not None:
        frame_finish = SlotFinish(
            plan.frame.word, plan.frame.phrase, plan.frame.family, _to_255(frame_rgb)
        )
    else:
        word = frame_material(frame_rgb, 0.0)
        frame_finish = SlotFinish(word.word, word.phrase, word.family, _to_255(frame_rgb))
    if table:
        seat_finish = SlotFinish(
            frame_finish.word, frame_finish.phrase, frame_finish.family, _to_255(seat_rgb)
        )
    elif plan.seat is not None:
        seat_finish = SlotFinish(plan.seat.word, plan.seat.phrase, "soft", _to_255(seat_rgb))
    else:
        word = soft_material(seat_rgb, 0.0)
        seat_finish = SlotFinish(word.word, word.phrase, "soft", _to_255(seat_rgb))
    materials = [
        Material(frame_rgb, frame_kind, detail),
        Material(seat_rgb, seat_kind, seat_detail),
        Material(accent_rgb, "fabric", accent_detail),
        Material(frame_rgb, frame_kind, detail, vertical_grain=False),
    ]
    return Dressing(materials, frame_finish, seat_finish)
