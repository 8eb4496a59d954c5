"""Materials a brief can name (in its keyword or through its style), and how the offline
renderer paints them and the story writers call them.

A named material wins over what the pixels suggest: "organic walnut" over cream bouclé
references is a walnut frame under a cream seat, never a steel one.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from layerminder.providers.base import Brief
from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.vocabulary_ko import KEYWORDS_FROM_KO

TILE = 128


@dataclass(frozen=True)
class NamedMaterial:
    word: str  # the keyword: walnut
    phrase: str  # the Material line's phrase: oiled walnut
    family: str  # wood | metal | stone | soft (the story's inspirations are by family)
    kind: str  # how it is painted: wood | metal | stone | fabric
    rgb: tuple[int, int, int]
    texture: str  # grain | loops | weave | smooth | veins | pits | speckle | cane | nap
    # Woven cane and rattan make seats as well as frames.
    seat_ok: bool = False

    @property
    def colour(self) -> tuple[float, float, float]:
        return (self.rgb[0] / 255.0, self.rgb[1] / 255.0, self.rgb[2] / 255.0)

    @property
    def is_frame(self) -> bool:
        return self.family != "soft"


_ALL = (
    NamedMaterial("walnut", "oiled walnut", "wood", "wood", (92, 60, 38), "grain"),
    NamedMaterial("oak", "solid oak", "wood", "wood", (184, 146, 98), "grain"),
    NamedMaterial("ash", "white-oiled ash", "wood", "wood", (214, 192, 156), "grain"),
    NamedMaterial("cherry", "oiled cherry", "wood", "wood", (150, 82, 52), "grain"),
    NamedMaterial("teak", "solid teak", "wood", "wood", (160, 110, 62), "grain"),
    NamedMaterial("pine", "solid pine", "wood", "wood", (214, 178, 120), "grain"),
    NamedMaterial("birch", "birch plywood", "wood", "wood", (222, 200, 160), "grain"),
    NamedMaterial("maple", "hard maple", "wood", "wood", (226, 200, 158), "grain"),
    NamedMaterial("bamboo", "laminated bamboo", "wood", "wood", (205, 172, 110), "grain"),
    NamedMaterial("rattan", "woven rattan", "wood", "wood", (196, 150, 92), "cane", True),
    NamedMaterial("cane", "woven cane", "wood", "wood", (208, 170, 112), "cane", True),
    NamedMaterial("steel", "powder-coated steel", "metal", "metal", (72, 74, 78), "smooth"),
    NamedMaterial("chrome", "polished chrome", "metal", "metal", (196, 200, 206), "smooth"),
    NamedMaterial("aluminium", "brushed aluminium", "metal", "metal", (176, 180, 184), "smooth"),
    NamedMaterial("brass", "brushed brass", "metal", "metal", (181, 146, 66), "smooth"),
    NamedMaterial("marble", "honed marble", "stone", "stone", (226, 224, 218), "veins"),
    NamedMaterial("travertine", "travertine", "stone", "stone", (222, 206, 178), "pits"),
    NamedMaterial("concrete", "board-formed concrete", "stone", "stone", (150, 148, 143),
                  "speckle"),
    NamedMaterial("boucle", "wool bouclé", "soft", "fabric", (232, 224, 208), "loops"),
    NamedMaterial("linen", "washed linen", "soft", "fabric", (208, 196, 172), "weave"),
    NamedMaterial("velvet", "cotton velvet", "soft", "fabric", (46, 94, 80), "nap"),
    NamedMaterial("leather", "vegetable-tanned leather", "soft", "fabric", (140, 84, 48), "smooth"),
    NamedMaterial("wool", "felted wool", "soft", "fabric", (150, 150, 146), "weave"),
    NamedMaterial("felt", "pressed felt", "soft", "fabric", (120, 122, 120), "speckle"),
    NamedMaterial("cotton", "cotton canvas", "soft", "fabric", (226, 220, 206), "weave"),
)  # fmt: skip
MATERIALS: dict[str, NamedMaterial] = {m.word: m for m in _ALL}
_ALIASES = {
    "bouclé": "boucle", "bouclette": "boucle", "aluminum": "aluminium", "metal": "steel",
    "iron": "steel", "stainless": "steel", "wicker": "rattan", "stone": "travertine",
    "suede": "leather", "plywood": "birch",
}  # fmt: skip


def named_materials(*texts: str | None) -> list[NamedMaterial]:
    """The materials the texts name, in the order named, each once; Korean names count too."""
    found: list[NamedMaterial] = []
    for text in texts:
        for token in re.split(r"[\s,;/+&]+", (text or "").lower()):
            bare = token.strip(string.punctuation + "‘’“”·…")
            word = KEYWORDS_FROM_KO.get(bare, bare)
            word = _ALIASES.get(word, word)
            material = MATERIALS.get(word)
            if material is not None and material not in found:
                found.append(material)
    return found


def brief_materials(brief: Brief) -> list[NamedMaterial]:
    """Materials the brief names: the keyword's first (the user's own words), then the style's."""
    style_words = " ".join(brief.style.materials) if brief.style else ""
    return named_materials(brief.keyword, style_words)


def frame_and_seat(
    named: Iterable[NamedMaterial],
) -> tuple[NamedMaterial | None, NamedMaterial | None]:
    """The first hard material dresses the frame, the first soft one the seat; a second woven
    hard material (rattan, cane) becomes the seat when no soft one is named."""
    materials = list(named)
    frame = next((m for m in materials if m.is_frame), None)
    seat = next((m for m in materials if not m.is_frame), None)
    if seat is None:
        seat = next((m for m in materials if m.seat_ok and m is not frame), None)
    return frame, seat


def _wrap_blur(field: FloatArray, radius: int) -> FloatArray:
    out = field
    for _ in range(radius):
        out = (
            out
            + np.roll(out, 1, 0)
            + np.roll(out, -1, 0)
            + np.roll(out, 1, 1)
            + np.roll(out, -1, 1)
        ) / 5.0
    return out


def material_tile(material: NamedMaterial, seed: int) -> FloatArray:
    """A seamless luminance detail tile (zero mean, unit std) that reads as the material."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:TILE, 0:TILE].astype(np.float32) / TILE * 2 * np.pi
    noise = rng.standard_normal((TILE, TILE)).astype(np.float32)
    if material.texture == "loops":  # bouclé: tight curls
        tile = _wrap_blur(noise, 2)
        tile = np.abs(tile) * -1.0 + 0.3 * noise
    elif material.texture == "weave":  # linen, wool, canvas: a fine over-under grid
        tile = np.sin(x * 32) * np.sin(y * 32) + 0.35 * _wrap_blur(noise, 1)
    elif material.texture == "cane":  # rattan: an open diagonal lattice
        tile = np.maximum(np.sin((x + y) * 8), np.sin((x - y) * 8)) + 0.2 * noise
    elif material.texture == "veins":  # marble: thin meandering veins
        turbulence = _wrap_blur(noise, 6) * 6.0
        tile = -(np.abs(np.sin(x * 2 + y * 3 + turbulence)) ** 0.2)
    elif material.texture == "pits":  # travertine: bands with small dark pores
        pores = (_wrap_blur(noise, 1) < -1.1).astype(np.float32)
        tile = 0.5 * np.sin(y * 6 + _wrap_blur(noise, 5) * 3) - 2.0 * pores
    elif material.texture == "speckle":  # concrete, felt: even grit
        tile = _wrap_blur(noise, 1)
    elif material.texture == "nap":  # velvet: soft directional sheen
        tile = np.sin(x * 3 + _wrap_blur(noise, 8) * 4)
    elif material.texture == "grain":  # the painter draws the grain; a little figure on top
        tile = _wrap_blur(noise, 2)
    else:  # smooth: leather, metal
        tile = 0.3 * _wrap_blur(noise, 3)
    tile = tile - tile.mean()
    std = float(tile.std())
    result: FloatArray = (tile / std if std > 1e-6 else tile).astype(np.float32)
    return result
