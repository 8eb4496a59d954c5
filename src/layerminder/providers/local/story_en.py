"""The local Story's English phrasing."""

from __future__ import annotations

from collections.abc import Sequence

from layerminder.providers.local.story_structure import StoryFacts
from layerminder.providers.local.vocabulary import (
    CURVED_INSPIRATION,
    INSPIRATION,
    NAME_WORDS,
    SUPPORT,
    article,
)
from layerminder.providers.local.vocabulary_story import (
    BASE_PHRASES,
    COLOUR_MOODS,
    FOOTINGS,
    MORE_INSPIRATION,
    OBJECT_NAMES,
    OBJECT_NOUNS,
    TWO_PEDESTALS,
    USES,
)

_COOL = ("green", "teal", "blue", "navy", "cobalt", "indigo", "lavender", "violet", "mint",
         "sage", "moss", "aqua", "pistachio")  # fmt: skip
_NEUTRAL = ("black", "grey", "charcoal", "graphite", "ivory")


def temperature(colour: str) -> str:
    if any(word in colour for word in _NEUTRAL):
        return "neutral"
    return "cool" if any(word in colour for word in _COOL) else "warm"


def series(seed: int) -> int:
    """The model number in a product's name: with the name word, one of over two thousand."""
    return 10 + (seed >> 12) % 90


def use_key(facts: StoryFacts) -> str:
    if facts.object_key == "bench" and facts.dimensions.width_cm >= 140:
        return "long_bench"
    return facts.object_key


def base_phrase(facts: StoryFacts) -> str | None:
    if facts.base is None:
        return None
    if facts.base == "pedestal" and facts.dimensions.width_cm >= 100:
        return TWO_PEDESTALS
    return BASE_PHRASES[facts.base]


class English:
    def __init__(self, facts: StoryFacts) -> None:
        self.facts = facts
        self.object_name = OBJECT_NAMES.get(facts.object_key, "Seat")
        self.noun = OBJECT_NOUNS.get(facts.object_key, "seat")
        # Timber is named by its species; other frames by their colour too.
        self.frame = (
            facts.frame_phrase
            if facts.frame_family == "wood"
            else f"{facts.frame_colour} {facts.frame_phrase}"
        )
        self.lead = facts.form_words[0]
        self.third = facts.form_words[2]
        self.cover = f"{facts.main_colour} {facts.soft_word}"

    def name(self) -> str:
        word = NAME_WORDS[self.facts.seed % len(NAME_WORDS)]
        return f"{word} {series(self.facts.seed)} {self.object_name}"

    def titles(self) -> Sequence[str]:
        facts, lead, object_name = self.facts, self.lead, self.object_name
        return (
            f"The {lead.capitalize()} {object_name} in {facts.main_colour.title()} and "
            f"{facts.frame_word.capitalize()}",
            f"{article(lead).capitalize()} {lead.capitalize()} {object_name} of "
            f"{facts.frame_phrase.title()} and {facts.soft_word.capitalize()}",
            f"{facts.main_colour.title()} {object_name}: {article(lead)} {lead} study in "
            f"{facts.frame_word}",
        )

    def openings(self, name: str) -> Sequence[str]:
        lead, third, noun, cover, frame = self.lead, self.third, self.noun, self.cover, self.frame
        return (
            f"The {name} is {article(lead)} {lead}, {third} {noun} in {cover} over "
            f"{article(frame)} {frame} frame.",
            f"The {name} pairs {cover} with {article(frame)} {frame} frame in "
            f"{article(lead)} {lead} {noun}.",
            f"{article(lead).capitalize()} {lead} {noun}, the {name} sets {cover} on {frame}.",
            f"In the {name}, {cover} meets {frame}: {article(lead)} {lead}, {third} {noun}.",
        )

    def inspirations(self) -> Sequence[str]:
        facts = self.facts
        if facts.curved_inspiration:
            lines: tuple[str, ...] = (CURVED_INSPIRATION,)
        else:
            lines = (*INSPIRATION[facts.frame_family], *MORE_INSPIRATION[facts.frame_family])
        # Said of this piece's own material, so two pieces of one family read differently.
        return tuple(f"In {facts.frame_word}, {line[0].lower()}{line[1:]}." for line in lines)

    def style_notes(self) -> Sequence[str]:
        facts = self.facts
        if not facts.style_name:
            return ()
        style, base = facts.style_name, base_phrase(facts) or "its frame"
        return (
            f"Its {style} roots show in the {facts.frame_word} and {facts.soft_word} and in "
            f"{base}.",
            f"Drawn in the {style} manner, it keeps to {facts.frame_word}, {facts.soft_word} "
            f"and {base}.",
        )

    def keyword_notes(self) -> Sequence[str]:
        keyword = (self.facts.keyword or "").strip()
        if not keyword:
            return ()
        return (
            f"The brief's keyword, \u201c{keyword}\u201d, sets its mood.",
            f"It answers a brief of \u201c{keyword}\u201d.",
            f"\u201c{keyword.capitalize()}\u201d was the brief, and the {self.noun} keeps to it.",
        )

    def supports(self) -> Sequence[str]:
        facts, dims = self.facts, self.facts.dimensions
        base = base_phrase(facts)
        size = f"{dims.width_cm} cm wide, {dims.depth_cm} cm deep and {dims.height_cm} cm high"
        if base is None:
            return (f"Functionally, {SUPPORT.get(facts.form, SUPPORT['chair'])}; it is {size}.",)
        if facts.object_key == "side_table":
            top = f"its top at {dims.height_cm} cm"
            return (
                f"It stands on {base}, {dims.width_cm} cm across with {top}.",
                f"{base[0].upper()}{base[1:]} holds the top at {dims.height_cm} cm, "
                f"{dims.width_cm} cm across.",
            )
        seat = f"{dims.seat_height_cm} cm"
        return (
            f"Functionally, it stands on {base}; it is {size}, with the seat at {seat}.",
            f"It is {size}, carried on {base}, and one sits at {seat}.",
            f"{base[0].upper()}{base[1:]} carries it: {dims.width_cm} by {dims.depth_cm} cm, "
            f"{dims.height_cm} cm high, the seat at {seat}.",
        )

    def uses(self) -> Sequence[str]:
        facts, width = self.facts, self.facts.dimensions.width_cm
        use = USES.get(use_key(facts), "a living room")
        if facts.object_key == "sofa" and facts.modules > 1:
            use = f"{use}, seating {facts.modules} side by side"
        if facts.arms and facts.object_key in {"lounge", "sofa"}:
            use = f"{use}, its arms at elbow height"
        # The model's own name in the sentence: two pieces of one width still read apart.
        model = self.name().rsplit(" ", len(self.object_name.split()))[0]
        return (
            f"At {width} cm wide the {model} suits {use}.",
            f"Its {width} cm make the {model} right for {use}.",
        )

    def footings(self) -> Sequence[str]:
        facts = self.facts
        if facts.base is None:
            return (
                "Its weight sits close to the ground, so it reads as permanent."
                if facts.grounded
                else "Lifted off the floor, it lets light run underneath.",
            )
        return tuple(line.format(object=self.noun) for line in FOOTINGS[facts.base])

    def closings(self) -> Sequence[str]:
        cover, frame = self.cover, self.frame
        mood = COLOUR_MOODS[temperature(self.facts.main_colour)]
        return (
            f"The {cover} stands for {mood}, while the {frame} frame is its quiet discipline.",
            f"Its {cover} will soften with use while the {frame} keeps its line.",
            f"{cover[0].upper()}{cover[1:]} against {frame}: {mood}, held in a clear frame.",
        )

    def material(self) -> str:
        facts = self.facts
        part = "top" if facts.object_key == "side_table" else "seat"
        return (
            f"{facts.frame_phrase.capitalize()} frame; {facts.soft_phrase} {part} in "
            f"{facts.main_colour}"
        )

    def keywords_display(self) -> list[str]:
        return list(self.facts.keywords)
