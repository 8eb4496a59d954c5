"""Writing the local Story in Korean, from the same reading of the pixels as the English one."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from layerminder.providers.base import Dimensions, FurnitureType, Story, normalise_keywords
from layerminder.providers.korean import attach
from layerminder.providers.local.vocabulary_ko import (
    COLOURED_PHRASES,
    COLOURS_KO,
    CURVED_INSPIRATION_KO,
    FORM_WORDS_KO,
    GROUNDED_KO,
    INSPIRATION_KO,
    KEYWORD_MOODS_KO,
    KEYWORDS_FROM_KO,
    LIFTED_KO,
    MATERIAL_PHRASES_KO,
    NAME_WORDS_KO,
    OBJECT_NAMES_KO,
    OBJECT_NOUNS_KO,
    SUPPORT_KO,
    Colour,
    FormWord,
    keyword_display,
)


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


def user_keywords(keyword: str | None) -> list[str]:
    """The brief's keyword as English keywords; a known Korean word maps back (미니멀 → minimal)."""
    words = []
    for token in (keyword or "").split():
        bare = token.strip(string.punctuation + "‘’“”·…")
        words.append(KEYWORDS_FROM_KO.get(bare, token))
    return normalise_keywords(words)


def _choice(options: Sequence[str], seed: int, salt: int) -> str:
    return options[(seed >> (salt * 5)) % len(options)]


def _colour(name: str) -> Colour:
    # Every name colour_name returns is listed; an unknown one (a new shade) is still a colour.
    return COLOURS_KO.get(name, Colour("중간 톤", "절제와 균형"))


def _form(word: str) -> FormWord:
    return FORM_WORDS_KO.get(word, FormWord("단정한", "단정하고"))


def _material(phrase: str) -> str:
    return MATERIAL_PHRASES_KO.get(phrase, keyword_display(phrase))


def write_korean(facts: StoryFacts) -> Story:
    """The Story in natural written Korean (한다체), particles agreeing with every inserted noun."""
    seed = facts.seed
    object_name = OBJECT_NAMES_KO[facts.object_key]
    noun = OBJECT_NOUNS_KO[facts.object_key]
    main = _colour(facts.main_colour)
    frame_colour = _colour(facts.frame_colour)
    frame_phrase = _material(facts.frame_phrase)
    frame_word = keyword_display(facts.frame_word)
    soft_phrase = _material(facts.soft_phrase)
    soft_word = keyword_display(facts.soft_word)
    lead, third = _form(facts.form_words[0]), _form(facts.form_words[2])
    dims = facts.dimensions

    name = f"{_choice(NAME_WORDS_KO, seed, 0)} {object_name}"
    title = _choice(
        (
            f"{attach(main.name, '과/와')} {frame_word}, {lead.attributive} {object_name}",
            f"{attach(frame_phrase, '과/와')} {attach(soft_word, '으로/로')} 지은, "
            f"{lead.attributive} {object_name}",
            f"{main.name} {object_name}: {attach(frame_word, '으로/로')} 쓴 "
            f"{lead.attributive} 습작",
        ),
        seed,
        1,
    )
    inspiration = (
        CURVED_INSPIRATION_KO
        if facts.curved_inspiration
        else INSPIRATION_KO[facts.frame_family][facts.inspiration]
    )
    # Timber is named by its species; other frames by their colour too.
    frame_desc = (
        frame_phrase if facts.frame_family == "wood" else f"{frame_colour.name} {frame_phrase}"
    )
    first = (
        f"{attach(name, '은/는')} {main.name} {attach(soft_word, '을/를')} {frame_desc} 프레임에 "
        f"얹은, {lead.connective} {third.attributive} {attach(noun, '이다/다')}. {inspiration}."
    )
    if facts.keyword and facts.keyword.strip():
        quoted = f"‘{facts.keyword.strip()}’"
        mood = next(
            (KEYWORD_MOODS_KO[word] for word in facts.user_words if word in KEYWORD_MOODS_KO),
            None,
        )
        if mood:
            first += (
                f" 브리프의 키워드 {attach(quoted, '이/가')} 전체의 분위기를 정하니, "
                f"{attach(mood, '이/가')} 먼저 눈에 들어온다."
            )
        else:
            first += f" 브리프의 키워드 {attach(quoted, '이/가')} 전체의 분위기를 정한다."

    use = "식탁과 책상" if facts.form in {"chair", "stool"} else "현관과 거실"
    second = (
        f"기능적으로 보면, {SUPPORT_KO[facts.form]} 높이 {dims.height_cm}cm, "
        f"폭 {attach(f'{dims.width_cm}cm', '으로/로')} {use}에 잘 어울린다. "
        f"{GROUNDED_KO if facts.grounded else LIFTED_KO} "
        f"{main.name} {attach(soft_word, '은/는')} {attach(main.mood, '을/를')} 전하고, "
        f"{frame_desc} 프레임은 그 곁을 지키는 조용한 규율이다."
    )
    # "검은 가죽" already names its colour; any other cover is named with the one measured.
    cover = soft_phrase if facts.soft_phrase in COLOURED_PHRASES else f"{main.name} {soft_phrase}"
    material = f"{frame_phrase} 프레임, {cover} 좌면"
    return Story(
        name=name,
        furniture_type=facts.furniture_type,
        dimensions=dims,
        material=material,
        title=title,
        story=f"{first}\n\n{second}",
        keywords=list(facts.keywords),
        keywords_display=[keyword_display(word) for word in facts.keywords],
    )
