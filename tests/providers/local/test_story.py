"""The offline story provider: a design read back from its pixels and written up."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from layerminder.providers.base import KEYWORD_COUNT, Brief, Story
from layerminder.providers.local import (
    SEAT_FORMS,
    LocalStoryProvider,
    colour_name,
    read_design,
    render_designs,
    write_story,
)
from tests.providers.local.photos import BLUE, RED, photo


def test_reading_recognises_the_forms() -> None:
    designs = render_designs([photo([(150, 110, 70), (230, 220, 200)])], None, size=512)
    assert [read_design(design).form for design in designs] == list(SEAT_FORMS)


def _check_story(story: Story) -> None:
    assert len(story.keywords) == KEYWORD_COUNT
    assert len(set(story.keywords)) == KEYWORD_COUNT
    assert all(word.isalpha() and word == word.lower() for word in story.keywords)
    paragraphs = story.story.split("\n\n")
    assert len(paragraphs) == 2 and all(len(p) > 80 for p in paragraphs)
    Story.model_validate(story.model_dump())


async def test_story_for_each_form_is_complete_and_plausible() -> None:
    designs = render_designs([photo([(120, 80, 50), (220, 210, 190)])], "soft", size=512)
    provider = LocalStoryProvider()
    plausible = {
        "chair": ((38, 65), (40, 65), (70, 110)),
        "stool": ((30, 50), (30, 50), (40, 85)),
        "bench": ((80, 200), (30, 60), (38, 55)),
        "lounge": ((60, 120), (60, 110), (60, 100)),
    }
    for form, design in zip(SEAT_FORMS, designs, strict=True):
        result = await provider.write_story(design, Brief.from_images([], "soft"))
        assert (result.provider, result.model) == ("local", "descriptor-v1")
        story = result.story
        _check_story(story)
        assert "soft" in story.keywords
        (w_lo, w_hi), (d_lo, d_hi), (h_lo, h_hi) = plausible[form]
        dims = story.dimensions
        assert w_lo <= dims.width_cm <= w_hi and d_lo <= dims.depth_cm <= d_hi
        assert h_lo <= dims.height_cm <= h_hi
        expected = {"chair": "Chair", "stool": "Stool", "bench": "Bench", "lounge": "Lounge"}[form]
        assert expected in story.name


def test_story_is_deterministic_and_follows_the_keyword() -> None:
    design = render_designs([photo(BLUE)], None, count=1, size=512)[0]
    assert write_story(design, "calm") == write_story(design, "calm")
    with_keyword = write_story(design, "calm")
    assert with_keyword.keywords[0] == "calm"
    _check_story(write_story(design, None))
    # A phrase or a non-Latin keyword still gives twelve clean words.
    _check_story(write_story(design, "quiet morning light"))
    _check_story(write_story(design, "미니멀"))


def test_story_names_the_colours_it_sees() -> None:
    design = render_designs([photo(RED)], None, count=1, size=512)[0]
    story = write_story(design, None)
    assert any(word in story.story for word in ("red", "oxblood", "blush", "rust", "terracotta"))


def test_story_works_for_any_jpeg_and_a_form_hint() -> None:
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 255, (300, 500, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="JPEG")
    _check_story(write_story(buffer.getvalue(), "chaos"))
    flat = io.BytesIO()
    Image.new("RGB", (64, 64), (240, 240, 240)).save(flat, format="JPEG")
    story = write_story(flat.getvalue(), None, form_hint="bench")
    _check_story(story)
    assert "Bench" in story.name


def test_colour_names() -> None:
    assert colour_name((0.8, 0.1, 0.1)) == "red"
    assert colour_name((0.05, 0.05, 0.05)) == "ink black"
    assert colour_name((0.1, 0.2, 0.6)) == "cobalt"
    assert colour_name((0.5, 0.5, 0.5)) == "stone grey"
