"""How a style keyword shapes a seat: proportions from known words or a stable hash."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from layerminder.providers.local.vocabulary_brief import (
    BASE_WORDS,
    COLOUR_WORDS,
    MIX_WORDS,
    MODULAR_WORDS,
    TYPE_WORDS,
)


@dataclass(frozen=True)
class Proportions:
    """How a keyword shapes a seat: multipliers around a balanced default."""

    leg: float = 1.0  # leg and frame thickness
    roundness: float = 0.25  # 0 = crisp boxes, 1 = pillowy
    height: float = 1.0
    width: float = 1.0
    thickness: float = 1.0  # seat and cushion thickness
    splay: float = 0.0  # 0..1 outward lean of legs
    back: float = 1.0  # backrest height
    recline: float = 0.0  # degrees of backrest lean
    round_legs: bool = False
    slab_legs: bool = False
    metal_frame: bool = False
    stretchers: bool = False


_KEYWORD_RULES: dict[str, dict[str, float | bool]] = {
    "minimal": {"leg": 0.65, "thickness": 0.75, "roundness": 0.1},
    "minimalist": {"leg": 0.65, "thickness": 0.75, "roundness": 0.1},
    "slim": {"leg": 0.55, "thickness": 0.7},
    "slender": {"leg": 0.55, "thickness": 0.7, "height": 1.05},
    "thin": {"leg": 0.5, "thickness": 0.65},
    "delicate": {"leg": 0.5, "thickness": 0.7, "round_legs": True},
    "light": {"leg": 0.7, "thickness": 0.8},
    "airy": {"leg": 0.6, "thickness": 0.75, "splay": 0.4},
    "scandinavian": {"leg": 0.8, "round_legs": True, "splay": 0.5, "roundness": 0.35},
    "nordic": {"leg": 0.8, "round_legs": True, "splay": 0.5, "roundness": 0.35},
    "japanese": {"leg": 0.75, "thickness": 0.8, "roundness": 0.05, "height": 0.92},
    "wabi": {"leg": 0.9, "roundness": 0.3, "height": 0.9},
    "elegant": {"leg": 0.65, "round_legs": True, "height": 1.05, "back": 1.1},
    "chunky": {"leg": 2.1, "thickness": 1.7, "roundness": 0.3},
    "brutalist": {"leg": 2.6, "thickness": 1.9, "roundness": 0.0, "slab_legs": True},
    "brutal": {"leg": 2.4, "thickness": 1.8, "roundness": 0.0, "slab_legs": True},
    "bold": {"leg": 1.8, "thickness": 1.5},
    "heavy": {"leg": 2.2, "thickness": 1.7},
    "massive": {"leg": 2.5, "thickness": 1.9, "slab_legs": True},
    "monolithic": {"leg": 2.6, "thickness": 2.0, "roundness": 0.0, "slab_legs": True},
    "solid": {"leg": 1.9, "thickness": 1.5},
    "block": {"leg": 2.4, "thickness": 1.8, "roundness": 0.0},
    "concrete": {"leg": 2.4, "thickness": 1.8, "roundness": 0.05, "slab_legs": True},
    "organic": {"roundness": 0.95, "round_legs": True, "leg": 1.2},
    "soft": {"roundness": 0.9, "thickness": 1.3, "round_legs": True},
    "curved": {"roundness": 0.85, "round_legs": True, "splay": 0.3},
    "round": {"roundness": 1.0, "round_legs": True},
    "rounded": {"roundness": 0.85, "round_legs": True},
    "cloud": {"roundness": 1.0, "thickness": 1.6, "round_legs": True, "leg": 1.4},
    "bubble": {"roundness": 1.0, "thickness": 1.5, "round_legs": True},
    "plush": {"roundness": 0.8, "thickness": 1.6},
    "cozy": {"roundness": 0.75, "thickness": 1.4, "height": 0.92},
    "cosy": {"roundness": 0.75, "thickness": 1.4, "height": 0.92},
    "fluid": {"roundness": 0.9, "round_legs": True, "splay": 0.35},
    "biomorphic": {"roundness": 1.0, "round_legs": True, "leg": 1.3},
    "tall": {"height": 1.35, "back": 1.2},
    "high": {"height": 1.3},
    "bar": {"height": 1.5, "stretchers": True},
    "counter": {"height": 1.35, "stretchers": True},
    "low": {"height": 0.8, "back": 0.85},
    "lounge": {"height": 0.85, "recline": 12.0, "thickness": 1.3},
    "relaxed": {"recline": 14.0, "height": 0.9},
    "wide": {"width": 1.25},
    "long": {"width": 1.3},
    "generous": {"width": 1.2, "thickness": 1.3},
    "compact": {"width": 0.85},
    "industrial": {"metal_frame": True, "leg": 0.8, "stretchers": True, "roundness": 0.05},
    "metal": {"metal_frame": True, "leg": 0.7},
    "steel": {"metal_frame": True, "leg": 0.7},
    "chrome": {"metal_frame": True, "leg": 0.6, "round_legs": True},
    "midcentury": {"round_legs": True, "splay": 0.8, "leg": 0.9, "roundness": 0.35},
    "retro": {"round_legs": True, "splay": 0.7, "roundness": 0.5},
    "vintage": {"round_legs": True, "splay": 0.5, "roundness": 0.4},
    "rustic": {"leg": 1.5, "thickness": 1.3, "stretchers": True, "roundness": 0.15},
    "farmhouse": {"leg": 1.4, "stretchers": True},
    "geometric": {"roundness": 0.0, "round_legs": False},
    "angular": {"roundness": 0.0, "round_legs": False},
    "bauhaus": {"roundness": 0.05, "metal_frame": True, "leg": 0.7},
    "cubist": {"roundness": 0.0, "leg": 1.6, "thickness": 1.4},
    "modern": {"leg": 0.85, "roundness": 0.2},
    "contemporary": {"leg": 0.9, "roundness": 0.3},
    "classic": {"stretchers": True, "back": 1.15, "roundness": 0.2},
    "luxury": {"thickness": 1.35, "roundness": 0.6, "round_legs": True},
    "playful": {"roundness": 0.9, "leg": 1.4, "splay": 0.4},
    # Materials (materials.py paints them); a word that only names a material must not hash
    # into a random shape.
    "walnut": {}, "oak": {}, "ash": {}, "cherry": {}, "teak": {}, "pine": {}, "birch": {},
    "maple": {}, "bamboo": {}, "linen": {}, "leather": {}, "wool": {}, "felt": {}, "cotton": {},
    "rattan": {"round_legs": True}, "cane": {"round_legs": True},
    "boucle": {"roundness": 0.7, "thickness": 1.3},
    "velvet": {"thickness": 1.2, "roundness": 0.5},
    "brass": {"round_legs": True, "leg": 0.7},
    "aluminium": {"metal_frame": True, "leg": 0.7},
    "marble": {"thickness": 1.3},
    "travertine": {"thickness": 1.4, "roundness": 0.15},
}  # fmt: skip


# Words that name a type, a base, a colour or "a mix": the resolver reads them (brief.py); they
# must not hash into a random shape. Nor must the small words of a phrase.
_NEUTRAL = (
    frozenset(
        part
        for table in (TYPE_WORDS, BASE_WORDS, COLOUR_WORDS, MIX_WORDS)
        for term in table
        if term.isascii()
        for part in re.split(r"[^a-z0-9]+", term)
        if part
    )
    | MODULAR_WORDS
    | {"a", "an", "the", "in", "with", "and", "on", "of", "for", "to", "or"}
)


def _unit_floats(text: str, count: int) -> list[float]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return [digest[i] / 255.0 for i in range(count)]


def keyword_proportions(keyword: str | None) -> Proportions:
    """Map a style keyword to proportions; unknown words hash into a stable variation."""
    if not keyword or not keyword.strip():
        return Proportions()
    tokens = re.split(r"[^a-z0-9]+", keyword.lower().replace("mid-century", "midcentury"))
    multipliers: dict[str, float] = {}
    levels: dict[str, list[float]] = {}
    flags: dict[str, bool] = {}
    for token in filter(None, tokens):
        rule = _KEYWORD_RULES.get(token)
        if rule is None and token in _NEUTRAL:
            continue
        if rule is None:
            u = _unit_floats(token, 8)
            rule = {
                "leg": 0.7 + 1.1 * u[0],
                "roundness": u[1] * 0.9,
                "height": 0.92 + 0.2 * u[2],
                "thickness": 0.8 + 0.7 * u[3],
                "splay": max(0.0, u[4] - 0.4),
                "round_legs": u[5] > 0.5,
                "recline": 10.0 * u[6],
                "stretchers": u[7] > 0.7,
            }
        for key, value in rule.items():
            if isinstance(value, bool):
                flags[key] = flags.get(key, False) or value
            elif key in {"roundness", "splay", "recline"}:
                levels.setdefault(key, []).append(float(value))
            else:
                multipliers[key] = multipliers.get(key, 1.0) * float(value)
    values: dict[str, float | bool] = {
        **{key: min(max(value, 0.4), 3.0) for key, value in multipliers.items()},
        **{key: sum(found) / len(found) for key, found in levels.items()},
        **flags,
    }
    return replace(Proportions(), **values)  # type: ignore[arg-type]
