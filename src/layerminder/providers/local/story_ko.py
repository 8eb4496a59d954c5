"""The local Story's Korean phrasing: natural written Korean (한다체), particles agreeing with
every inserted noun, about the same design as the English one. No English name is quoted: the
style by its Korean name, the brief's keyword by its Korean words."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

from layerminder.providers.base import normalise_keywords
from layerminder.providers.korean import attach
from layerminder.providers.local.story_en import base_phrase, series, use_key
from layerminder.providers.local.story_structure import StoryFacts
from layerminder.providers.local.vocabulary_brief import english_words
from layerminder.providers.local.vocabulary_ko import (
    COLOURED_PHRASES,
    COLOURS_KO,
    CURVED_INSPIRATION_KO,
    FORM_WORDS_KO,
    INSPIRATION_KO,
    KEYWORD_MOODS_KO,
    KEYWORDS_FROM_KO,
    KEYWORDS_KO,
    MATERIAL_PHRASES_KO,
    NAME_WORDS_KO,
    SUPPORT_KO,
    Colour,
    FormWord,
    keyword_display,
)
from layerminder.providers.local.vocabulary_story import BASE_PHRASES, TWO_PEDESTALS
from layerminder.providers.local.vocabulary_story_ko import (
    BASE_PHRASES_KO,
    FOOTINGS_KO,
    MORE_INSPIRATION_KO,
    OBJECT_NAMES_KO,
    OBJECT_NOUNS_KO,
    STYLE_NAMES_KO,
    TWO_PEDESTALS_KO,
    USES_KO,
)

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def user_keywords(keyword: str | None) -> list[str]:
    """The brief's keyword as English keywords; a known Korean word maps back (미니멀 → minimal)."""
    words = []
    for token in (keyword or "").split():
        bare = token.strip(string.punctuation + "‘’“”·…")
        token = token.lower().replace("mid-century", "midcentury")
        words.append(KEYWORDS_FROM_KO.get(bare, token))
    found = normalise_keywords(words)
    # Korean words inside longer ones (곡선형, 소파를) count too, after the exact ones.
    found += [w for w in normalise_keywords(english_words(keyword).split()) if w not in found]
    # One spelling of a word written two ways (mid-century, midcentury): the keywords would hold
    # both, and a Korean page show the second in English beside the first's Korean.
    unique: list[str] = []
    for word in found:
        if word.replace("-", "") not in {kept.replace("-", "") for kept in unique}:
            unique.append(word)
    return unique


def korean_keyword(keyword: str | None) -> str | None:
    """The brief's keyword as a Korean page shows it: Korean words as typed, English words in
    their Korean spelling, English words with none left out. None when nothing is left."""
    shown = []
    for token in (keyword or "").split():
        bare = token.strip(string.punctuation + "‘’“”·…")
        if _HANGUL.search(bare):
            shown.append(bare)
        elif bare.lower() in KEYWORDS_KO:
            shown.append(KEYWORDS_KO[bare.lower()])
    return " ".join(shown) or None


def _colour(name: str) -> Colour:
    # Every name colour_name returns is listed; an unknown one (a new shade) is still a colour.
    return COLOURS_KO.get(name, Colour("중간 톤", "절제와 균형"))


def _form(word: str) -> FormWord:
    return FORM_WORDS_KO.get(word, FormWord("단정한", "단정하고"))


def _material(phrase: str) -> str:
    return MATERIAL_PHRASES_KO.get(phrase, keyword_display(phrase))


def _base_ko(facts: StoryFacts) -> str | None:
    phrase = base_phrase(facts)
    if phrase is None:
        return None
    if phrase == TWO_PEDESTALS:
        return TWO_PEDESTALS_KO
    key = next(k for k, v in BASE_PHRASES.items() if v == phrase)
    return BASE_PHRASES_KO[key]


class Korean:
    def __init__(self, facts: StoryFacts) -> None:
        self.facts = facts
        self.object_name = OBJECT_NAMES_KO.get(facts.object_key, "의자")
        self.noun = OBJECT_NOUNS_KO.get(facts.object_key, "의자")
        self.main = _colour(facts.main_colour)
        frame_phrase = _material(facts.frame_phrase)
        self.frame = (
            frame_phrase
            if facts.frame_family == "wood"
            else f"{_colour(facts.frame_colour).name} {frame_phrase}"
        )
        self.frame_phrase = frame_phrase
        self.frame_word = keyword_display(facts.frame_word)
        self.soft_phrase = _material(facts.soft_phrase)
        self.soft_word = keyword_display(facts.soft_word)
        self.lead, self.third = _form(facts.form_words[0]), _form(facts.form_words[2])
        self.cover = f"{self.main.name} {self.soft_word}"

    def name(self) -> str:
        word = NAME_WORDS_KO[self.facts.seed % len(NAME_WORDS_KO)]
        return f"{word} {series(self.facts.seed)} {self.object_name}"

    def titles(self) -> Sequence[str]:
        main, lead, object_name = self.main, self.lead, self.object_name
        return (
            f"{attach(main.name, '과/와')} {self.frame_word}, {lead.attributive} {object_name}",
            f"{attach(self.frame_phrase, '과/와')} {attach(self.soft_word, '으로/로')} 지은, "
            f"{lead.attributive} {object_name}",
            f"{main.name} {object_name}: {attach(self.frame_word, '으로/로')} 쓴 "
            f"{lead.attributive} 습작",
        )

    def openings(self, name: str) -> Sequence[str]:
        lead, third, noun, cover, frame = self.lead, self.third, self.noun, self.cover, self.frame
        return (
            f"{attach(name, '은/는')} {attach(cover, '을/를')} {frame} 프레임에 얹은, "
            f"{lead.connective} {third.attributive} {attach(noun, '이다/다')}.",
            f"{attach(name, '은/는')} {attach(cover, '과/와')} {frame} 프레임을 짝지은 "
            f"{lead.attributive} {attach(noun, '이다/다')}.",
            f"{lead.attributive} {noun}, {attach(name, '은/는')} {attach(cover, '을/를')} "
            f"{frame} 위에 앉혔다.",
            f"{name}에서 {attach(cover, '은/는')} {attach(frame, '과/와')} 만나, "
            f"{lead.connective} {third.attributive} {attach(noun, '이/가')} 된다.",
        )

    def inspirations(self) -> Sequence[str]:
        facts = self.facts
        if facts.curved_inspiration:
            lines: tuple[str, ...] = (CURVED_INSPIRATION_KO,)
        else:
            family = facts.frame_family
            lines = (*INSPIRATION_KO[family], *MORE_INSPIRATION_KO[family])
        # Said of this piece's own material, so two pieces of one family read differently.
        subject = f"{attach(self.frame_word, '으로/로')} 지은 이 {attach(self.noun, '은/는')}"
        return tuple(f"{subject} {line}." for line in lines)

    def style_notes(self) -> Sequence[str]:
        facts = self.facts
        style = STYLE_NAMES_KO.get(facts.style_id or "")
        if style is None:
            return ()
        base = _base_ko(facts) or "프레임"
        materials = f"{attach(self.frame_word, '과/와')} {self.soft_word}"
        return (
            f"{style}의 뿌리는 {materials}, 그리고 {base}에서 드러난다.",
            f"{style} 방식으로 그려, {materials}, {attach(base, '을/를')} 지킨다.",
        )

    def keyword_notes(self) -> Sequence[str]:
        shown = korean_keyword(self.facts.keyword)
        if shown is None:
            return ()
        quoted = f"‘{shown}’"
        mood = next(
            (KEYWORD_MOODS_KO[word] for word in self.facts.user_words if word in KEYWORD_MOODS_KO),
            None,
        )
        if mood:
            return (
                f"브리프의 키워드 {attach(quoted, '이/가')} 전체의 분위기를 정하니, "
                f"{attach(mood, '이/가')} 먼저 눈에 들어온다.",
                f"{attach(quoted, '이라는/라는')} 브리프에 답하듯, "
                f"{attach(mood, '이/가')} 먼저 다가온다.",
            )
        return (
            f"브리프의 키워드 {attach(quoted, '이/가')} 전체의 분위기를 정한다.",
            f"{attach(quoted, '이라는/라는')} 브리프에 답한 {attach(self.noun, '이다/다')}.",
        )

    def supports(self) -> Sequence[str]:
        facts, dims = self.facts, self.facts.dimensions
        base = _base_ko(facts)
        size = f"폭 {dims.width_cm}cm, 깊이 {dims.depth_cm}cm, 높이 {dims.height_cm}cm"
        if base is None:
            support = SUPPORT_KO.get(facts.form, SUPPORT_KO["chair"])
            return (f"기능적으로 보면, {support} 크기는 {attach(size, '이다/다')}.",)
        if facts.object_key == "side_table":
            return (
                f"{base} 위에 서서, 지름 {dims.width_cm}cm의 상판을 {dims.height_cm}cm "
                "높이에 둔다.",
                f"{attach(base, '이/가')} 상판을 {dims.height_cm}cm 높이에 받치고, 폭은 "
                f"{attach(f'{dims.width_cm}cm', '이다/다')}.",
            )
        seat = f"{dims.seat_height_cm}cm"
        return (
            f"기능적으로 보면 {base} 위에 서 있고, {size}에 좌면 높이는 {attach(seat, '이다/다')}.",
            f"{size}의 몸을 {attach(base, '이/가')} 받치고, 앉는 높이는 {attach(seat, '이다/다')}.",
            f"{attach(base, '이/가')} 폭 {dims.width_cm}cm, 깊이 {dims.depth_cm}cm의 몸을 "
            f"받치며, 높이는 {dims.height_cm}cm, 좌면은 {attach(seat, '이다/다')}.",
        )

    def uses(self) -> Sequence[str]:
        facts, width = self.facts, self.facts.dimensions.width_cm
        use = USES_KO.get(use_key(facts), "거실")
        extra = ""
        if facts.object_key == "sofa" and facts.modules > 1:
            extra = f" {facts.modules}명이 나란히 앉을 수 있고"
        # The model's own name in the sentence: two pieces of one width still read apart.
        model = self.name().rsplit(" ", len(self.object_name.split()))[0]
        return (
            f"{model}의 폭 {attach(f'{width}cm', '은/는')}{extra} {use}에 잘 어울린다.",
            f"폭 {width}cm의 {attach(model, '은/는')}{extra} {use}에 알맞다.",
        )

    def footings(self) -> Sequence[str]:
        facts = self.facts
        if facts.base is None:
            return (
                "무게가 바닥 가까이에 머물러, 오래 그 자리를 지킬 것처럼 보인다."
                if facts.grounded
                else "바닥에서 가볍게 들려 있어 빛이 그 아래로 흐른다.",
            )
        noun = self.noun
        return tuple(
            line.format(object=noun, topic=attach(noun, "은/는"), accusative=attach(noun, "을/를"))
            for line in FOOTINGS_KO[facts.base]
        )

    def closings(self) -> Sequence[str]:
        cover, frame, mood = self.cover, self.frame, self.main.mood
        return (
            f"{attach(cover, '은/는')} {attach(mood, '을/를')} 전하고, {frame} 프레임은 그 곁을 "
            "지키는 조용한 규율이다.",
            f"{attach(cover, '은/는')} 쓸수록 부드러워지고, {attach(frame, '은/는')} 제 선을 "
            "지킨다.",
            f"{frame} 위의 {cover}: 또렷한 틀 안에 담긴 {mood}.",
        )

    def material(self) -> str:
        # "검은 가죽" already names its colour; any other cover is named with the one measured.
        cover = (
            self.soft_phrase
            if self.facts.soft_phrase in COLOURED_PHRASES
            else f"{self.main.name} {self.soft_phrase}"
        )
        part = "상판" if self.facts.object_key == "side_table" else "좌면"
        return f"{self.frame_phrase} 프레임, {cover} {part}"

    def keywords_display(self) -> list[str]:
        return [keyword_display(word) for word in self.facts.keywords]
