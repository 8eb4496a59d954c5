"""The offline story in Korean: its own Korean prose about the same design, particles agreeing."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from layerminder.providers.base import KEYWORD_COUNT, Brief, Story
from layerminder.providers.local import (
    SEAT_FORMS,
    LocalStoryProvider,
    colour_name,
    render_designs,
    write_story,
)
from layerminder.providers.local.vocabulary_ko import (
    COLOURS_KO,
    KEYWORDS_KO,
    MATERIAL_PHRASES_KO,
)
from tests.providers.local.photos import BLUE, RED, photo

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
PALETTES = [
    RED,
    BLUE,
    [(120, 80, 50), (220, 210, 190)],  # walnut and linen
    [(30, 30, 32), (200, 200, 205)],  # black and steel
    [(235, 230, 220), (150, 140, 120)],  # ivory and stone
    [(90, 120, 80), (60, 40, 30)],  # sage and dark wood
    [(210, 170, 60), (40, 40, 40)],  # mustard and black
    [(120, 60, 140), (230, 220, 200)],  # violet and cream
]


def hangul_share(text: str) -> float:
    hangul, latin = len(HANGUL.findall(text)), len(LATIN.findall(text))
    return hangul / max(hangul + latin, 1)


# Each particle form → (the form after a final consonant, the form after a vowel).
PAIRS = {
    form: pair
    for pair in [("을", "를"), ("이", "가"), ("은", "는"), ("과", "와"), ("으로", "로")]
    for form in pair
}


def has_final_consonant(syllable: str) -> bool:
    return (ord(syllable) - 0xAC00) % 28 != 0


def ends_in_rieul(syllable: str) -> bool:
    return (ord(syllable) - 0xAC00) % 28 == 8


@pytest.fixture(scope="module")
def designs() -> list[bytes]:
    return [
        design
        for index, palette in enumerate(PALETTES)
        for design in render_designs([photo(palette, seed=index)], None, size=384)
    ]


def check_korean_story(story: Story) -> None:
    assert len(story.keywords) == KEYWORD_COUNT == len(set(story.keywords))
    assert all(re.fullmatch(r"[a-z]+", word) for word in story.keywords)
    assert len(story.keywords_display) == KEYWORD_COUNT
    assert all(HANGUL.search(word) for word in story.keywords_display)
    paragraphs = story.story.split("\n\n")
    assert len(paragraphs) == 2 and all(len(p) > 60 for p in paragraphs)
    for field in (story.name, story.title, story.material, *paragraphs):
        assert HANGUL.search(field)
    # No keyword in the brief: nothing English is left in the prose but the unit.
    prose = story.story.replace("cm", "") + story.name + story.title + story.material
    assert not LATIN.search(prose)
    # The written both-forms convention would mean a noun we could not read.
    assert "(를)" not in story.story and "(가)" not in story.story
    Story.model_validate(story.model_dump())


def test_every_design_gets_a_korean_story_about_the_same_reading(designs: list[bytes]) -> None:
    for design in designs:
        korean = write_story(design, None, language="ko")
        english = write_story(design, None, language="en")
        check_korean_story(korean)
        # Same design, same reading: the same English keywords and the same measurements.
        assert korean.keywords == english.keywords
        assert korean.dimensions == english.dimensions
        assert korean.keywords_display == [KEYWORDS_KO[word] for word in korean.keywords]
        assert english.keywords_display == english.keywords


def test_the_korean_story_is_deterministic(designs: list[bytes]) -> None:
    for design in designs[:4]:
        assert write_story(design, "calm", language="ko") == write_story(
            design, "calm", language="ko"
        )
    assert write_story(designs[0], "calm", language="ko") != write_story(
        designs[0], "bold", language="ko"
    )


def test_particles_after_inserted_nouns_agree(designs: list[bytes]) -> None:
    """Every vocabulary noun the writer inserts is followed by the particle its last syllable
    takes (checked here from the code point, independently of the writer's own rule)."""
    nouns = {colour.name for colour in COLOURS_KO.values()}
    nouns |= set(MATERIAL_PHRASES_KO.values()) | set(KEYWORDS_KO.values())
    nouns |= {"체어", "스툴", "벤치", "의자"}
    # Longest first, so "오크 원목" is tried before "원목".
    alternatives = "|".join(sorted((re.escape(n) for n in nouns), key=len, reverse=True))
    pattern = re.compile(rf"(?:^|[\s,‘])({alternatives})(을|를|이|가|은|는|과|와|으로|로)(?=\s)")
    seen: set[tuple[str, str]] = set()
    for design, keyword in itertools.product(designs, (None, "calm")):
        story = write_story(design, keyword, language="ko")
        for text in (story.story, story.title):
            for noun, particle in pattern.findall(text):
                after_consonant, after_vowel = PAIRS[particle]
                closed = has_final_consonant(noun[-1])
                if particle in {"으로", "로"} and ends_in_rieul(noun[-1]):
                    closed = False  # ㄹ takes 로
                expected = after_consonant if closed else after_vowel
                assert particle == expected, f"{noun}{particle} in {text!r}"
                seen.add((noun, particle))
    # The check saw both kinds of noun: with and without a final consonant.
    assert any(has_final_consonant(noun[-1]) for noun, _ in seen)
    assert any(not has_final_consonant(noun[-1]) for noun, _ in seen)
    assert {particle for _, particle in seen} >= {"을", "를", "은", "는"}


@pytest.mark.parametrize(
    ("keyword", "quoted", "english"),
    [
        ("minimal", "‘미니멀’", "minimal"),
        ("cozy", "‘아늑함’", "cozy"),
        ("walnut", "‘월넛’", "walnut"),
        ("미니멀", "‘미니멀’", "minimal"),
        ("아늑함", "‘아늑함’", "cosy"),  # the writer's own spelling
        ("오크", "‘오크’", "oak"),
    ],
)
def test_the_brief_keyword_is_quoted_in_korean_and_kept_english_in_the_keywords(
    designs: list[bytes], keyword: str, quoted: str, english: str
) -> None:
    # Issue 28: a Korean story never quotes an English name; an English keyword is quoted in
    # its Korean spelling (the keywords themselves stay English).
    story = write_story(designs[0], keyword, language="ko")
    assert quoted in story.story
    assert not LATIN.search(story.story.replace("cm", ""))
    assert story.keywords[0] == english
    assert story.keywords_display[0] == KEYWORDS_KO[english]
    assert hangul_share(story.story) > 0.9


@pytest.mark.parametrize("keyword", ["mid-century", "Mid-Century walnut", "midcentury"])
def test_a_word_with_two_spellings_is_one_korean_keyword_chip(
    designs: list[bytes], keyword: str
) -> None:
    # "mid-century" and "midcentury" are one word: one keyword, shown in Korean, never an
    # English chip beside "미드센추리".
    story = write_story(designs[0], keyword, language="ko")
    assert story.keywords[0] == "midcentury"
    assert "mid-century" not in story.keywords
    assert story.keywords_display[0] == "미드센추리"
    assert all(HANGUL.search(word) for word in story.keywords_display), story.keywords_display


def test_a_known_keyword_brings_its_mood(designs: list[bytes]) -> None:
    assert "덜어낸 여백이 먼저" in write_story(designs[1], "minimal", language="ko").story
    assert "포근한 온기가 먼저" in write_story(designs[1], "포근한 cozy", language="ko").story
    # An English word with no Korean spelling is left out rather than quoted.
    unknown = write_story(designs[1], "zigzag", language="ko").story
    assert "zigzag" not in unknown and "브리프" not in unknown


def test_every_colour_has_a_korean_name() -> None:
    steps = np.linspace(0.02, 0.98, 15)
    names = {colour_name((r, g, b)) for r in steps for g in steps for b in steps}
    assert names <= set(COLOURS_KO)


async def test_the_provider_writes_each_form_in_korean(designs: list[bytes]) -> None:
    provider = LocalStoryProvider()
    names = {"chair": "체어", "stool": "스툴", "bench": "벤치", "lounge": "라운지 체어"}
    for form, design in zip(SEAT_FORMS, designs[:4], strict=True):
        result = await provider.write_story(design, Brief.from_images([], None), "ko")
        assert (result.provider, result.model) == ("local", "descriptor-v1")
        check_korean_story(result.story)
        assert names[form] in result.story.name
        assert f"{result.story.dimensions.height_cm}cm" in result.story.story


def test_the_korean_story_states_the_same_type_and_seat(designs: list[bytes]) -> None:
    for design in designs[:4]:
        korean = write_story(design, None, language="ko")
        english = write_story(design, None, language="en")
        assert korean.furniture_type == english.furniture_type != "other"
        assert korean.dimensions.seat_height_cm == english.dimensions.seat_height_cm
