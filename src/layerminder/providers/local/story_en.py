"""The local Story's English phrasing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from layerminder.providers.local.story_structure import StoryFacts
from layerminder.providers.local.vocabulary import (
    CURVED_INSPIRATION,
    GROUNDED,
    INSPIRATION,
    LIFTED,
    NAME_WORDS,
    OBJECT_NAMES,
    SUPPORT,
    article,
)


class English:
    name_words: Sequence[str] = NAME_WORDS
    inspirations: Mapping[str, Sequence[str]] = INSPIRATION
    curved_inspiration: str = CURVED_INSPIRATION

    def __init__(self, facts: StoryFacts) -> None:
        self.facts = facts
        self.object_name = (
            "Bar Stool" if facts.object_key == "bar_stool" else OBJECT_NAMES[facts.form]
        )
        self.frame_phrase = facts.frame_phrase
        self.frame_colour = facts.frame_colour
        self.lead_form = facts.form_words[0]

    def titles(self) -> Sequence[str]:
        facts, lead, object_name = self.facts, self.lead_form, self.object_name
        return (
            f"The {lead.capitalize()} {object_name} in {facts.main_colour.title()} and "
            f"{facts.frame_word.capitalize()}",
            f"{article(lead).capitalize()} {lead.capitalize()} {object_name} of "
            f"{facts.frame_phrase.title()} and {facts.soft_word.capitalize()}",
            f"{facts.main_colour.title()} {object_name}: {article(lead)} {lead} study in "
            f"{facts.frame_word}",
        )

    def first_paragraph(self, name: str, frame: str, inspiration: str) -> str:
        facts, lead = self.facts, self.lead_form
        return (
            f"The {name} is {article(lead)} {lead}, {facts.form_words[2]} "
            f"{self.object_name.lower()} in {facts.main_colour} {facts.soft_word} over "
            f"{article(frame)} {frame} frame. {inspiration}."
        )

    def keyword_note(self, keyword: str) -> str:
        return f" The brief's keyword, \u201c{keyword}\u201d, sets its mood."

    def second_paragraph(self, frame: str) -> str:
        facts, dims = self.facts, self.facts.dimensions
        use = "dining and desks" if facts.form in {"chair", "stool"} else "halls and living rooms"
        return (
            f"Functionally, {SUPPORT[facts.form]}; at {dims.height_cm} cm high and "
            f"{dims.width_cm} cm wide it suits {use}. "
            f"{GROUNDED if facts.grounded else LIFTED} The {facts.main_colour} surface stands "
            f"for warmth and welcome, while the {frame} frame is its quiet discipline."
        )

    def material(self) -> str:
        facts = self.facts
        return (
            f"{facts.frame_phrase.capitalize()} frame; {facts.soft_phrase} seat in "
            f"{facts.main_colour}"
        )

    def keywords_display(self) -> list[str]:
        return list(self.facts.keywords)
