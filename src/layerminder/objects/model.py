"""The design model: a design's parts in 3D (cm; x across, y up, z towards the front), its
materials, overall sizes, seat and base, read from a generic parts list.

A part is a ring of points swept to a second ring (a box, a rounded cushion, a tapered leg):
whatever a form builder makes. Sizes, roles (leg, seat, back …) and the base type are measured
from the geometry here, so a new base or form needs nothing added.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from layerminder.providers.base import FurnitureType

MODEL_VERSION = 1
# A part whose lowest point is this close to the floor stands on it.
FLOOR_TOLERANCE_CM = 0.5
# Narrower than this at the floor, a standing part is a leg; wider, a base (slab, plinth, sled).
LEG_MAX_CM = 12.0

Point = tuple[float, float, float]
Role = Literal["leg", "base", "rail", "frame", "seat", "cushion", "back", "arm"]


class ModelMaterial(BaseModel):
    slot: str  # frame | seat | accent | rail
    name: str  # oak, boucle, upholstery …: what the GLB's materials are named after
    kind: str  # wood | metal | stone | fabric | lacquer: how it is rendered and weighed
    rgb: tuple[float, float, float]


class ModelPart(BaseModel):
    name: str
    role: Role
    material: str  # a ModelMaterial.slot
    bottom: list[Point]
    top: list[Point]


class DesignModel(BaseModel):
    """What is kept in storage with each design (`objects/…/model.json`), and served."""

    version: int = MODEL_VERSION
    # A proxy is fitted to a picture's stated type and sizes, not drawn from real parts.
    proxy: bool = False
    source: str
    form: str
    furniture_type: FurnitureType
    base: str
    width_cm: float
    depth_cm: float
    height_cm: float
    seat_height_cm: float | None
    seat_depth_cm: float | None
    materials: list[ModelMaterial]
    parts: list[ModelPart] = Field(min_length=1)

    def material(self, slot: str) -> ModelMaterial:
        for material in self.materials:
            if material.slot == slot:
                return material
        return ModelMaterial(slot=slot, name=slot, kind="wood", rgb=(0.6, 0.6, 0.6))

    def points(self) -> np.ndarray:
        every: np.ndarray = np.array(
            [p for part in self.parts for p in (*part.bottom, *part.top)], dtype=float
        )
        return every


@dataclass(frozen=True)
class _Measured:
    bottom: np.ndarray
    top: np.ndarray
    material: str
    lo: np.ndarray
    hi: np.ndarray

    @property
    def size(self) -> np.ndarray:
        extent: np.ndarray = self.hi - self.lo
        return extent

    @property
    def footprint(self) -> float:
        return float(self.size[0] * self.size[2])


def _measure(raw: dict[str, Any]) -> _Measured:
    bottom = np.asarray(raw["bottom"], dtype=float)
    top = np.asarray(raw["top"], dtype=float)
    both = np.concatenate([bottom, top])
    return _Measured(bottom, top, str(raw["material"]), both.min(axis=0), both.max(axis=0))


def _roles(parts: list[_Measured], width: float) -> tuple[list[Role], int | None]:
    """Each part's role, and which part is the seat (the broadest flat seat-slot part)."""
    soft = [
        i
        for i, part in enumerate(parts)
        if part.material in ("seat", "accent") and part.lo[1] > FLOOR_TOLERANCE_CM
    ]
    flat = [i for i in soft if parts[i].size[1] <= parts[i].size[2]]
    seat = max(flat, key=lambda i: parts[i].footprint, default=None)
    roles: list[Role] = []
    for i, part in enumerate(parts):
        if part.lo[1] <= FLOOR_TOLERANCE_CM:
            narrow = max(part.size[0], part.size[2]) < LEG_MAX_CM
            roles.append("leg" if narrow else "base")
        elif i == seat:
            roles.append("seat")
        elif part.material == "rail":
            roles.append("rail")
        elif i in soft and seat is not None and _rests_on(part, parts[seat]):
            roles.append("cushion")
        elif i in soft and part.size[0] < 0.3 * width and part.size[1] > part.size[0]:
            roles.append("arm")
        elif i in soft:
            roles.append("back")
        else:
            roles.append("frame")
    return roles, seat


# Part names a builder may give (geometry.Part.name), as the roles the checks and lists use.
_NAMED_ROLES: dict[str, Role] = {
    "leg": "leg", "seat": "seat", "back": "back", "arm": "arm", "cushion": "cushion",
    "rail": "rail", "stretcher": "rail", "apron": "rail", "frame": "frame",
    "plinth": "base", "runner": "base", "sled": "base", "pedestal": "base", "panel": "base",
    "column": "base", "foot": "base", "top": "seat",
}  # fmt: skip


def _named(raw_name: str, measured: Role) -> Role:
    """The builder's word for a part where it has one; a standing part it does not know is
    part of the base."""
    role = _NAMED_ROLES.get(raw_name.split("-")[0])
    if role is None and raw_name and measured in ("leg", "base"):
        return "base" if measured == "base" else "leg"
    return role or measured


def _rests_on(part: _Measured, seat: _Measured) -> bool:
    flat = part.size[1] <= part.size[2]
    return flat and abs(part.lo[1] - seat.hi[1]) < 1.0 and part.footprint < seat.footprint * 1.05


def _base(roles: list[Role]) -> str:
    counts = Counter(role for role in roles if role in ("leg", "base"))
    if counts["base"] == 0:
        return f"{counts['leg']} legs" if counts["leg"] else "none"
    if counts["base"] == 1 and counts["leg"] == 0:
        return "plinth"
    return "panels" if counts["leg"] == 0 else "mixed"


def furniture_type_of(form: str, height_cm: float) -> FurnitureType:
    if form == "stool":
        return FurnitureType.bar_stool if height_cm >= 62 else FurnitureType.stool
    return {
        "chair": FurnitureType.chair,
        "bench": FurnitureType.bench,
        "lounge": FurnitureType.lounge_chair,
        "sofa": FurnitureType.sofa,
        "table": FurnitureType.table,
        "side_table": FurnitureType.table,
    }.get(form, FurnitureType.other)


def build_model(
    raw: dict[str, Any],
    *,
    source: str,
    proxy: bool = False,
    furniture_type: FurnitureType | None = None,
) -> DesignModel:
    """A design model from a provider's plain parts (`providers.local.model.design_parts`)."""
    parts = [_measure(part) for part in raw["parts"]]
    if not parts:
        raise ValueError("a design model needs at least one part")
    lo = np.min([p.lo for p in parts], axis=0)
    hi = np.max([p.hi for p in parts], axis=0)
    width, height, depth = (hi - lo).tolist()
    measured, seat = _roles(parts, width)
    names = [str(part.get("name") or "") for part in raw["parts"]]
    roles = [_named(name, role) for name, role in zip(names, measured, strict=True)]
    seats = [i for i, role in enumerate(roles) if role == "seat"]
    if seats:
        seat = max(seats, key=lambda i: parts[i].footprint)
    seat_height = seat_depth = None
    if seat is not None:
        seat_height = float(parts[seat].hi[1])
        # A cushion on the seat is what one sits on.
        for part, role in zip(parts, roles, strict=True):
            if role == "cushion":
                seat_height = max(seat_height, float(part.hi[1]))
        seat_depth = float(parts[seat].size[2])
    if raw.get("seat_height") is not None:
        seat_height = float(raw["seat_height"])  # the builder knows where one sits
    numbered: Counter[str] = Counter()
    model_parts = []
    for part, role, name in zip(parts, roles, names, strict=True):
        label = name.split("-")[0] or role
        numbered[label] += 1
        model_parts.append(
            ModelPart(
                name=f"{label}-{numbered[label]}",
                role=role,
                material=part.material,
                bottom=[tuple(p) for p in part.bottom.tolist()],
                top=[tuple(p) for p in part.top.tolist()],
            )
        )
    form = str(raw.get("form") or "other")
    return DesignModel(
        proxy=proxy,
        source=source,
        form=form,
        furniture_type=furniture_type or furniture_type_of(form, height),
        base=str(raw.get("base") or _base(roles)),
        width_cm=round(width, 1),
        depth_cm=round(depth, 1),
        height_cm=round(height, 1),
        seat_height_cm=round(seat_height, 1) if seat_height is not None else None,
        seat_depth_cm=round(seat_depth, 1) if seat_depth is not None else None,
        materials=[ModelMaterial.model_validate(m) for m in raw.get("materials", [])],
        parts=model_parts,
    )
