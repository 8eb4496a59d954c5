"""A drawn design's parts as plain data: what the objects domain turns into a design model.

The renderer paints parts (rings swept to rings, in cm: x across, y up, z towards the front);
the same parts, with the materials they were painted in, describe the piece in 3D. Nothing
here knows about forms or bases: whatever the form builders make travels as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from layerminder.providers.local.geometry import ACCENT, FRAME, RAIL, SEAT, Part
from layerminder.providers.local.materials import NamedMaterial
from layerminder.providers.local.painting import Material

SLOT_NAMES = {FRAME: "frame", SEAT: "seat", ACCENT: "accent", RAIL: "rail"}


def _ring(points: Any) -> list[list[float]]:
    # A tenth of a millimetre is finer than any joint; it keeps the JSON small.
    return [[round(float(value), 2) for value in point] for point in points]


def _material_name(slot: int, material: Material, named: NamedMaterial | None) -> str:
    """The material's word when the brief named it (oak, boucle), else what it is painted as."""
    if named is not None:
        return named.word
    return "upholstery" if material.kind == "fabric" else material.kind


def design_parts(
    form: str,
    parts: Sequence[Part],
    materials: Sequence[Material],
    *,
    frame: NamedMaterial | None = None,
    seat: NamedMaterial | None = None,
    base: str | None = None,
    seat_height: float | None = None,
) -> dict[str, Any]:
    """`{form, base, seat_height, materials: [{slot, name, kind, rgb}], parts: [{name,
    material, bottom, top}]}`; a part's name (seat, leg, plinth …) and the base and seat height
    are passed on where the builder knows them, else the objects domain measures them."""
    named = {FRAME: frame, RAIL: frame, SEAT: seat, ACCENT: None}
    used = sorted({part.material for part in parts})
    return {
        "form": form,
        "base": base,
        "seat_height": seat_height,
        "materials": [
            {
                "slot": SLOT_NAMES[slot],
                "name": _material_name(slot, materials[slot], named.get(slot)),
                "kind": materials[slot].kind,
                "rgb": [round(float(c), 4) for c in materials[slot].rgb],
            }
            for slot in used
        ],
        "parts": [
            {
                "name": getattr(part, "name", ""),
                "material": SLOT_NAMES[part.material],
                "bottom": _ring(part.bottom),
                "top": _ring(part.top),
            }
            for part in parts
        ],
    }
