"""A design model's parts list: each part's size along and across it, material and mass, a cut
list for the frame (identical parts counted together) and the estimated weight."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from layerminder.objects.glb import part_mesh
from layerminder.objects.model import DesignModel, ModelPart

# Effective densities (kg/m3) of a part drawn as a solid. Metal frames are tube, not bar: a
# 2 mm wall; upholstery is a ply base under foam and cover, far lighter than wood.
_DENSITY = {"wood": 650.0, "lacquer": 750.0, "stone": 2600.0, "fabric": 180.0}
_STEEL = 7850.0
_TUBE_WALL_CM = 0.2
# The parts a workshop cuts from stock; the soft ones go to the upholsterer.
_FRAME_KINDS = ("wood", "metal", "lacquer", "stone")


@dataclass(frozen=True)
class PartSize:
    part: ModelPart
    length_cm: float  # along the part (its sweep)
    section_cm: tuple[float, float]  # across it, larger first
    volume_cm3: float
    mass_kg: float
    centre_cm: tuple[float, float, float]
    material_name: str
    material_kind: str


def _section(part: ModelPart) -> tuple[float, float, float]:
    """Length along the sweep and the two extents across it (principal axes of the ring)."""
    bottom = np.asarray(part.bottom, dtype=float)
    top = np.asarray(part.top, dtype=float)
    sweep = top.mean(axis=0) - bottom.mean(axis=0)
    length = float(np.linalg.norm(sweep))
    ring = np.concatenate([bottom - bottom.mean(axis=0), top - top.mean(axis=0)])
    axis = sweep / max(length, 1e-9)
    flat = ring - np.outer(ring @ axis, axis)
    # The ring's own axes: a rectangle's sides, however the part is turned.
    _, _, directions = np.linalg.svd(flat, full_matrices=False)
    extents = sorted((float(np.ptp(flat @ d)) for d in directions[:2]), reverse=True)
    return length, extents[0], extents[1]


def _density(kind: str, section_cm: tuple[float, float]) -> float:
    if kind != "metal":
        return _DENSITY.get(kind, 650.0)
    outer = max(min(section_cm), 2 * _TUBE_WALL_CM)
    inner = outer - 2 * _TUBE_WALL_CM
    return _STEEL * (1 - (inner / outer) ** 2)


def measure_parts(model: DesignModel) -> list[PartSize]:
    sizes = []
    for part in model.parts:
        material = model.material(part.material)
        length, wide, thin = _section(part)
        mesh = part_mesh(part)
        volume = float(abs(mesh.volume))
        mass = volume * 1e-6 * _density(material.kind, (wide, thin))
        centre = mesh.center_mass if volume > 1e-6 else mesh.vertices.mean(axis=0)
        sizes.append(
            PartSize(
                part=part,
                length_cm=round(length, 1),
                section_cm=(round(wide, 1), round(thin, 1)),
                volume_cm3=round(volume, 1),
                mass_kg=mass,
                centre_cm=(float(centre[0]), float(centre[1]), float(centre[2])),
                material_name=material.name,
                material_kind=material.kind,
            )
        )
    return sizes


@dataclass(frozen=True)
class CutItem:
    role: str
    material: str
    quantity: int
    length_mm: int
    width_mm: int
    thickness_mm: int


def cut_list(sizes: list[PartSize]) -> list[CutItem]:
    """The frame's pieces in whole millimetres, identical ones counted together."""
    counted: Counter[tuple[str, str, int, int, int]] = Counter()
    for size in sizes:
        if size.material_kind not in _FRAME_KINDS:
            continue
        key = (
            size.part.role,
            size.material_name,
            round(size.length_cm * 10),
            round(size.section_cm[0] * 10),
            round(size.section_cm[1] * 10),
        )
        counted[key] += 1
    return [
        CutItem(role, material, quantity, length, width, thickness)
        for (role, material, length, width, thickness), quantity in sorted(counted.items())
    ]


def total_mass_kg(sizes: list[PartSize]) -> float:
    return round(sum(size.mass_kg for size in sizes), 1)
