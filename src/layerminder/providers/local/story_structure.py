"""The local Story's one structure: the facts about a design, and how its sentences are chosen
and put together; each language (story_en, story_ko) only phrases them.

Every sentence slot has several phrasings and each design's seed picks one per slot, so
records of one room read differently; the facts inside them (type, base, sizes, materials,
colours) make the rest of the difference. The same seed picks the same phrasings, so an edit
that changes one material changes only the words about that material.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from layerminder.providers.base import Dimensions, FurnitureType, Story


@dataclass(frozen=True)
class StoryFacts:
    """What a design is, in English vocabulary keys that each language renders."""

    form: str  # chair | stool | bench | lounge | sofa | side_table
    object_key: str  # the form, or "bar_stool" for a tall stool
    furniture_type: FurnitureType
    seed: int
    dimensions: Dimensions
    frame_phrase: str  # e.g. "oiled walnut"
    frame_word: str  # e.g. "walnut"
    frame_family: str  # wood | metal | stone | soft
    soft_phrase: str  # e.g. "washed linen"
    soft_word: str  # e.g. "linen"
    main_colour: str  # a `colour_name`
    frame_colour: str
    form_words: tuple[str, ...]
    keywords: tuple[str, ...]  # the 12 English keywords
    user_words: tuple[str, ...]  # the brief's keyword as English keywords
    keyword: str | None  # the brief's keyword as typed
    curved_inspiration: bool  # the moon-jar line instead of the frame family's
    inspiration: int  # which of the frame family's lines
    grounded: bool  # weight close to the floor (a plinth) rather than lifted on legs
    base: str | None = None  # four_legs | splayed | plinth | sled | pedestal | cantilever
    modules: int = 1  # seats side by side (a sofa)
    arms: bool = False
    style_id: str | None = None
    style_name: str | None = None  # the style's English name


def pick(options: Sequence[str], seed: int, salt: int) -> str:
    """One of `options`, the same one for the same seed and slot."""
    mixed = (seed ^ (salt * 0x9E3779B97F4A7C15)) & 0xFFFFFFFFFFFFFFFF
    mixed = (mixed * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return options[(mixed >> 29) % len(options)]


class Phrasing(Protocol):
    """One language's sentences for one design's facts; each method lists the phrasings of
    one slot (the structure picks one)."""

    def name(self) -> str: ...

    def titles(self) -> Sequence[str]: ...

    def openings(self, name: str) -> Sequence[str]: ...

    def inspirations(self) -> Sequence[str]: ...

    def keyword_notes(self) -> Sequence[str]: ...

    def style_notes(self) -> Sequence[str]: ...

    def supports(self) -> Sequence[str]: ...

    def uses(self) -> Sequence[str]: ...

    def footings(self) -> Sequence[str]: ...

    def closings(self) -> Sequence[str]: ...

    def material(self) -> str: ...

    def keywords_display(self) -> list[str]: ...


def _sentence(options: Sequence[str], seed: int, salt: int) -> str:
    return pick(options, seed, salt) if options else ""


def compose(facts: StoryFacts, phrasing: Phrasing) -> Story:
    """The Story: the same slots, the same choices and the same order in every language."""
    seed = facts.seed
    name = phrasing.name()
    first = [
        _sentence(phrasing.openings(name), seed, 1),
        _sentence(phrasing.inspirations(), seed, 2),
        _sentence(phrasing.style_notes(), seed, 3),
        _sentence(phrasing.keyword_notes(), seed, 4),
    ]
    second = [
        _sentence(phrasing.supports(), seed, 5),
        _sentence(phrasing.uses(), seed, 6),
        _sentence(phrasing.footings(), seed, 7),
        _sentence(phrasing.closings(), seed, 8),
    ]
    return Story(
        name=name,
        furniture_type=facts.furniture_type,
        dimensions=facts.dimensions,
        material=phrasing.material(),
        title=pick(phrasing.titles(), seed, 9),
        story=" ".join(s for s in first if s) + "\n\n" + " ".join(s for s in second if s),
        keywords=list(facts.keywords),
        keywords_display=phrasing.keywords_display(),
    )
