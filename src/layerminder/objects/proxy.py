"""A parametric proxy for a design that is only a picture (OpenAI): the record's furniture type
built from plain boxes at the record's sizes. Labelled `proxy` wherever it appears: it says how
big the piece is and roughly how it stands, never what it looks like."""

from __future__ import annotations

from typing import Any

from layerminder.objects.model import DesignModel, build_model
from layerminder.providers.base import FurnitureType

# Sizes a proxy takes when the record has none, by type: (width, depth, height, seat height).
_DEFAULTS: dict[FurnitureType, tuple[float, float, float, float | None]] = {
    FurnitureType.chair: (48, 52, 82, 45),
    FurnitureType.lounge_chair: (82, 84, 74, 40),
    FurnitureType.stool: (38, 38, 46, 46),
    FurnitureType.bar_stool: (40, 40, 75, 75),
    FurnitureType.bench: (120, 40, 45, 45),
    FurnitureType.sofa: (200, 90, 80, 43),
    FurnitureType.table: (140, 80, 74, None),
    FurnitureType.other: (60, 60, 60, None),
}
_FORMS = {
    FurnitureType.chair: "chair",
    FurnitureType.lounge_chair: "lounge",
    FurnitureType.stool: "stool",
    FurnitureType.bar_stool: "stool",
    FurnitureType.bench: "bench",
    FurnitureType.sofa: "sofa",
    FurnitureType.table: "table",
    FurnitureType.other: "other",
}
_KINDS = {"frame": "wood", "seat": "fabric", "accent": "fabric"}
_GREY = {"frame": (0.55, 0.55, 0.55), "seat": (0.75, 0.75, 0.75), "accent": (0.65, 0.65, 0.65)}


def _box(
    lo: tuple[float, float, float], hi: tuple[float, float, float], material: str
) -> dict[str, Any]:
    """A box as a bottom and a top ring, swept upwards."""
    (x0, y0, z0), (x1, y1, z1) = lo, hi
    ring = [(x0, z0), (x1, z0), (x1, z1), (x0, z1)]
    return {
        "material": material,
        "bottom": [[x, y0, z] for x, z in ring],
        "top": [[x, y1, z] for x, z in ring],
    }


def proxy_parts(
    kind: FurnitureType, width: float, depth: float, height: float, seat: float | None
) -> dict[str, Any]:
    """Legs, a seat (or top) and, for the seats one leans on, a back: exactly W x D x H."""
    w, d = width / 2, depth / 2
    leg = min(4.0, width / 8, depth / 8)
    has_back = kind in (FurnitureType.chair, FurnitureType.lounge_chair, FurnitureType.sofa)
    top = seat if seat is not None and seat < height else height
    board = min(5.0, top / 6)
    back_t = min(4.0, depth / 8)
    # A leg in each corner, flush with the sides.
    parts = [
        _box((x0, 0.0, z0), (x0 + leg, top - board, z0 + leg), "frame")
        for x0 in (-w, w - leg)
        for z0 in (-d, d - leg)
    ]
    parts.append(_box((-w, top - board, -d), (w, top, d), "seat"))
    if has_back and height > top:
        parts.append(_box((-w, top, -d), (w, height, -d + back_t), "accent"))
    return {
        "form": _FORMS[kind],
        "base": "4 legs",
        "materials": [
            {
                "slot": slot,
                "name": f"proxy {slot}",
                "kind": "wood" if slot == "frame" else "fabric",
                "rgb": rgb,
            }
            for slot, rgb in _GREY.items()
        ],
        "parts": parts,
    }


def proxy_model(
    furniture_type: str | None,
    width_cm: int | None,
    depth_cm: int | None,
    height_cm: int | None,
    seat_height_cm: int | None,
) -> DesignModel:
    """The proxy for a record's type and sizes (defaults for the type where it has none)."""
    try:
        kind = FurnitureType(furniture_type or FurnitureType.other)
    except ValueError:
        kind = FurnitureType.other
    width, depth, height, seat = _DEFAULTS[kind]
    if width_cm and depth_cm and height_cm:
        width, depth, height = float(width_cm), float(depth_cm), float(height_cm)
        seat = float(seat_height_cm) if seat_height_cm else seat
    raw = proxy_parts(kind, width, depth, height, seat)
    return build_model(raw, source=f"proxy:{kind.value}", proxy=True, furniture_type=kind)
