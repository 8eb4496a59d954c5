"""The local Story's Korean phrasing: natural written Korean (한다체), particles agreeing with
every inserted noun, about the same reading of the pixels as the English one."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

from layerminder.providers.base import normalise_keywords
from layerminder.providers.korean import attach
from layerminder.providers.local.story_structure import StoryFacts
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


def user_keywords(keyword: str | None) -> list[str]:
    """The brief's keyword as English keywords; a known Korean word maps back (미니멀 → minimal)."""
    words = []
    for token in (keyword or "").split():
        bare = token.strip(string.punctuation + "‘’“”·…")
        words.append(KEYWORDS_FROM_KO.get(bare, token))
    return normalise_keywords(words)


def _colour(name: str) -> Colour:
    # Every name colour_name returns is listed; an unknown one (a new shade) is still a colour.
    return COLOURS_KO.get(name, Colour("중간 톤", "절제와 균형"))


def _form(word: str) -> FormWord:
    return FORM_WORDS_KO.get(word, FormWord("단정한", "단정하고"))


def _material(phrase: str) -> str:
    return MATERIAL_PHRASES_KO.get(phrase, keyword_display(phrase))


class Korean:
    name_words: Sequence[str] = NAME_WORDS_KO
    inspirations: Mapping[str, Sequence[str]] = INSPIRATION_KO
    curved_inspiration: str = CURVED_INSPIRATION_KO

    def __init__(self, facts: StoryFacts) -> None:
        self.facts = facts
        self.object_name = OBJECT_NAMES_KO[facts.object_key]
        self.noun = OBJECT_NOUNS_KO[facts.object_key]
        self.main = _colour(facts.main_colour)
        self.frame_colour = _colour(facts.frame_colour).name
        self.frame_phrase = _material(facts.frame_phrase)
        self.frame_word = keyword_display(facts.frame_word)
        self.soft_phrase = _material(facts.soft_phrase)
        self.soft_word = keyword_display(facts.soft_word)
        self.lead, self.third = _form(facts.form_words[0]), _form(facts.form_words[2])

    def titles(self) -> Sequence[str]:
        main, lead, object_name = self.main, self.lead, self.object_name
        return (
            f"{attach(main.name, '과/와')} {self.frame_word}, {lead.attributive} {object_name}",
            f"{attach(self.frame_phrase, '과/와')} {attach(self.soft_word, '으로/로')} 지은, "
            f"{lead.attributive} {object_name}",
            f"{main.name} {object_name}: {attach(self.frame_word, '으로/로')} 쓴 "
            f"{lead.attributive} 습작",
        )

    def first_paragraph(self, name: str, frame: str, inspiration: str) -> str:
        return (
            f"{attach(name, '은/는')} {self.main.name} {attach(self.soft_word, '을/를')} {frame} "
            f"프레임에 얹은, {self.lead.connective} {self.third.attributive} "
            f"{attach(self.noun, '이다/다')}. {inspiration}."
        )

    def keyword_note(self, keyword: str) -> str:
        quoted = f"‘{keyword}’"
        mood = next(
            (KEYWORD_MOODS_KO[word] for word in self.facts.user_words if word in KEYWORD_MOODS_KO),
            None,
        )
        if mood:
            return (
                f" 브리프의 키워드 {attach(quoted, '이/가')} 전체의 분위기를 정하니, "
                f"{attach(mood, '이/가')} 먼저 눈에 들어온다."
            )
        return f" 브리프의 키워드 {attach(quoted, '이/가')} 전체의 분위기를 정한다."

    def second_paragraph(self, frame: str) -> str:
        facts, dims, main = self.facts, self.facts.dimensions, self.main
        use = "식탁과 책상" if facts.form in {"chair", "stool"} else "현관과 거실"
        return (
            f"기능적으로 보면, {SUPPORT_KO[facts.form]} 높이 {dims.height_cm}cm, "
            f"폭 {attach(f'{dims.width_cm}cm', '으로/로')} {use}에 잘 어울린다. "
            f"{GROUNDED_KO if facts.grounded else LIFTED_KO} "
            f"{main.name} {attach(self.soft_word, '은/는')} {attach(main.mood, '을/를')} 전하고, "
            f"{frame} 프레임은 그 곁을 지키는 조용한 규율이다."
        )

    def material(self) -> str:
        # "검은 가죽" already names its colour; any other cover is named with the one measured.
        cover = (
            self.soft_phrase
            if self.facts.soft_phrase in COLOURED_PHRASES
            else f"{self.main.name} {self.soft_phrase}"
        )
        return f"{self.frame_phrase} 프레임, {cover} 좌면"

    def keywords_display(self) -> list[str]:
        return [keyword_display(word) for word in self.facts.keywords]
