"""The local Story's one structure: the facts read from a design, and how its parts are put
together; each language (story_en, story_ko) only phrases the parts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from layerminder.providers.base import Dimensions, FurnitureType, Story
from layerminder.providers.local.vocabulary import seeded_choice


@dataclass(frozen=True)
class StoryFacts:
    """What the pixels say about a design, in English vocabulary keys that each language renders."""

    form: str  # chair | stool | bench | lounge
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


class Phrasing(Protocol):
    """One language's words for one design's facts."""

    name_words: Sequence[str]
    object_name: str  # as in a product name: "Side Chair"
    frame_phrase: str
    frame_colour: str
    inspirations: Mapping[str, Sequence[str]]  # by frame family
    curved_inspiration: str

    def titles(self) -> Sequence[str]: ...

    def first_paragraph(self, name: str, frame: str, inspiration: str) -> str: ...

    def keyword_note(self, keyword: str) -> str: ...

    def second_paragraph(self, frame: str) -> str: ...

    def material(self) -> str: ...

    def keywords_display(self) -> list[str]: ...


def compose(facts: StoryFacts, phrasing: Phrasing) -> Story:
    """The Story: the same choices and the same order of parts in every language."""
    name = f"{seeded_choice(phrasing.name_words, facts.seed, 0)} {phrasing.object_name}"
    inspiration = (
        phrasing.curved_inspiration
        if facts.curved_inspiration
        else phrasing.inspirations[facts.frame_family][facts.inspiration]
    )
    # Timber is named by its species; other frames by their colour too.
    frame = (
        phrasing.frame_phrase
        if facts.frame_family == "wood"
        else f"{phrasing.frame_colour} {phrasing.frame_phrase}"
    )
    first = phrasing.first_paragraph(name, frame, inspiration)
    if facts.keyword and facts.keyword.strip():
        first += phrasing.keyword_note(facts.keyword.strip())
    second = phrasing.second_paragraph(frame)
    return Story(
        name=name,
        furniture_type=facts.furniture_type,
        dimensions=facts.dimensions,
        material=phrasing.material(),
        title=seeded_choice(phrasing.titles(), facts.seed, 1),
        story=f"{first}\n\n{second}",
        keywords=list(facts.keywords),
        keywords_display=phrasing.keywords_display(),
    )
