"""The words a local story is written with: names, colours, materials and inspirations."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from dataclasses import dataclass

OBJECT_NAMES = {
    "chair": "Side Chair",
    "stool": "Stool",
    "bench": "Bench",
    "lounge": "Lounge Chair",
}
NAME_WORDS = (
    "Halden", "Sora", "Arco", "Mira", "Tern", "Koa", "Lumen", "Oren", "Vale", "Noor", "Sable",
    "Fjell", "Haru", "Duna", "Maren", "Ilse", "Talo", "Riva", "Onda", "Seon", "Baram", "Namu",
    "Dal", "Kestrel", "Alba", "Juni",
)  # fmt: skip


def colour_name(rgb: tuple[float, float, float]) -> str:
    """A designer's name for a colour (0..1 RGB): 'terracotta', 'sage', 'charcoal' …"""
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    degrees = hue * 360.0
    if lightness < 0.12:
        return "ink black"
    if lightness > 0.86 and saturation < 0.35:
        return "ivory"
    if saturation < 0.12 or (lightness < 0.2 and saturation < 0.25):
        if lightness < 0.3:
            return "charcoal"
        if lightness < 0.5:
            return "graphite"
        return "stone grey" if lightness < 0.72 else "pale grey"
    dark, light = lightness < 0.3, lightness > 0.68
    if degrees < 12 or degrees >= 345:
        return "oxblood" if dark else "blush" if light else "red"
    if degrees < 25:
        return "rust" if dark else "peach" if light else "terracotta"
    if degrees < 45:
        if saturation < 0.35 or dark:
            return "chocolate" if dark else "sand" if light else "tan"
        return "apricot" if light else "caramel"
    if degrees < 68:
        return (
            "bronze" if dark else "butter" if light else "mustard" if saturation > 0.45 else "khaki"
        )
    if degrees < 100:
        return "moss" if dark else "pistachio" if light else "olive"
    if degrees < 160:
        return (
            "forest green" if dark else "mint" if light else "sage" if saturation < 0.4 else "green"
        )
    if degrees < 200:
        return "deep teal" if dark else "aqua" if light else "teal"
    if degrees < 250:
        return (
            "navy"
            if dark
            else "powder blue"
            if light
            else "slate blue"
            if saturation < 0.4
            else "cobalt"
        )
    if degrees < 290:
        return "indigo" if dark else "lavender" if light else "violet"
    return "plum" if dark else "pink" if light else "rose"


@dataclass(frozen=True)
class MaterialWord:
    phrase: str  # for the Material line
    word: str  # single keyword
    family: str  # wood | metal | stone | soft


def frame_material(rgb: tuple[float, float, float], texture: float) -> MaterialWord:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    degrees = hue * 360.0
    if 12 <= degrees < 50 and saturation > 0.15 and 0.12 < lightness < 0.8:
        if lightness < 0.3:
            return MaterialWord("oiled walnut", "walnut", "wood")
        if lightness < 0.45:
            return MaterialWord("smoked oak", "oak", "wood")
        if lightness < 0.62:
            return MaterialWord("solid oak", "oak", "wood")
        return MaterialWord("white-oiled ash", "ash", "wood")
    if 40 <= degrees < 65 and saturation > 0.4:
        return MaterialWord("brushed brass", "brass", "metal")
    if saturation < 0.14:
        if lightness > 0.78:
            return MaterialWord("honed marble", "marble", "stone")
        if lightness > 0.5:
            if texture > 0.1:
                return MaterialWord("board-formed concrete", "concrete", "stone")
            return MaterialWord("brushed aluminium", "aluminium", "metal")
        if lightness > 0.25:
            return MaterialWord("powder-coated steel", "steel", "metal")
        return MaterialWord("blackened steel", "steel", "metal")
    if lightness > 0.75 and saturation < 0.4:
        return MaterialWord("travertine", "travertine", "stone")
    return MaterialWord("lacquered beech", "lacquer", "wood")


def soft_material(rgb: tuple[float, float, float], texture: float) -> MaterialWord:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    degrees = hue * 360.0
    if 10 <= degrees < 40 and 0.18 < lightness < 0.55 and saturation > 0.25:
        return MaterialWord("vegetable-tanned leather", "leather", "soft")
    if lightness < 0.16:
        return MaterialWord("black leather", "leather", "soft")
    if saturation > 0.38 and lightness < 0.62:
        return MaterialWord("cotton velvet", "velvet", "soft")
    if lightness > 0.7 and texture > 0.07:
        return MaterialWord("wool bouclé", "boucle", "soft")
    if lightness > 0.55:
        return MaterialWord("washed linen", "linen", "soft")
    return MaterialWord("felted wool", "wool", "soft")


# Where a design's character comes from, by what it is made of; the lines are the Story's first
# paragraph, so they speak of culture and craft rather than of pixels.
INSPIRATION = {
    "wood": (
        "It draws on Scandinavian cabinetmaking, where a chair is judged by how honestly its "
        "joints meet and how warmly its timber ages",
        "Its roots are in the Shaker workshops and Korean soban tables alike: modest furniture "
        "made to be used daily and handed down",
    ),
    "metal": (
        "It descends from the Bauhaus workshops, where bent steel first made furniture light "
        "enough to move and honest enough to show its structure",
        "It borrows the language of industrial ateliers, where a frame is drawn like a line and "
        "nothing is added that does not carry weight",
    ),
    "stone": (
        "It recalls the monolithic benches of Roman courtyards and the brutalist plazas of the "
        "1960s, where mass itself became a kind of shelter",
        "It looks to Italian postwar design, which treated stone and plaster as soft, sculptable "
        "matter rather than cold surfaces",
    ),
    "soft": (
        "It takes its cue from the salon furniture of 1930s Paris, where upholstery was tailored "
        "as carefully as a coat",
        "It is inspired by the layered textiles of Korean bojagi, in which humble cloth is folded "
        "into something protective and quietly festive",
    ),
}
CURVED_INSPIRATION = (
    "Its rounded volumes echo the Joseon moon jar, whose slightly imperfect fullness is "
    "prized over geometric precision"
)


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def seeded_choice(options: Sequence[str], seed: int, salt: int) -> str:
    return options[(seed >> (salt * 5)) % len(options)]


# How the piece carries a sitter (the second paragraph).
SUPPORT = {
    "chair": "four legs rise into a framed back that meets the spine where it needs support",
    "stool": "splayed legs gather under a single seat, steady on any floor",
    "bench": "a long seat rests on spaced supports, inviting one sitter or three",
    "lounge": "a low base carries deep cushions, with arms and back that enclose the sitter",
}
GROUNDED = "Its weight sits close to the ground, so it reads as permanent, like a threshold stone."
LIFTED = "Lifted on legs, it lets light and floor run underneath, so the room stays open."
