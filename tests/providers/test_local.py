"""The offline providers: procedural designs from input colours, and stories from pixels."""

from __future__ import annotations

import colorsys
import hashlib
import io

import numpy as np
import pytest
from PIL import Image

from layerminder.providers.base import DESIGN_SIZE, KEYWORD_COUNT, InputImage, Story
from layerminder.providers.local import (
    SEAT_FORMS,
    LocalImageProvider,
    LocalStoryProvider,
    colour_name,
    keyword_proportions,
    read_design,
    render_designs,
    render_seat,
    write_story,
)


def _photo(colours: list[tuple[int, int, int]], seed: int = 0, size=(480, 360)) -> bytes:
    """A photo-like input: soft colour regions, a fine weave and sensor noise."""
    rng = np.random.default_rng(seed)
    width, height = size
    regions = rng.integers(0, len(colours), (4, 6)).astype(np.uint8)
    index = np.asarray(Image.fromarray(regions).resize((width, height), Image.Resampling.NEAREST))
    pixels = np.asarray(colours, dtype=np.float32)[index]
    yy, xx = np.mgrid[0:height, 0:width]
    pixels *= (1 + 0.06 * np.sin(xx * 0.9) * np.sin(yy * 0.9))[..., None]
    pixels += rng.normal(0, 5, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _inputs(*images: bytes) -> list[InputImage]:
    return [
        InputImage(data=d, content_type="image/jpeg", filename=f"{i}.jpg")
        for i, d in enumerate(images)
    ]


RED = [(200, 30, 35), (160, 20, 30), (230, 80, 70)]
BLUE = [(30, 60, 190), (20, 40, 140), (80, 120, 220)]


def _hue_share(jpeg: bytes, low: float, high: float) -> float:
    """Share of clearly coloured pixels whose hue (degrees) falls in [low, high)."""
    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB").resize((128, 128))) / 255.0
    hits = total = 0
    for r, g, b in pixels.reshape(-1, 3)[::3]:
        hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
        if saturation > 0.3 and 0.1 < lightness < 0.9:
            total += 1
            degrees = hue * 360
            hits += low <= degrees < high or (low < 0 and degrees >= 360 + low)
    return hits / max(total, 1)


async def test_generates_four_distinct_1024_jpegs() -> None:
    batch = await LocalImageProvider().generate_designs(
        _inputs(_photo(RED), _photo(BLUE, 1)), "minimal"
    )
    assert (batch.provider, batch.model) == ("local", "procedural-v1")
    assert len(batch.images) == 4
    assert len({hashlib.sha256(image).digest() for image in batch.images}) == 4
    for image in batch.images:
        assert image[:3] == b"\xff\xd8\xff"
        with Image.open(io.BytesIO(image)) as opened:
            assert opened.format == "JPEG"
            assert opened.size == (DESIGN_SIZE, DESIGN_SIZE)


def test_same_inputs_and_keyword_give_identical_bytes() -> None:
    images = [_photo(RED), _photo(BLUE, 3)]
    assert render_designs(images, "organic", size=256) == render_designs(
        images, "organic", size=256
    )


def test_keyword_and_inputs_change_the_output() -> None:
    base = render_designs([_photo(RED)], "minimal", size=256)
    other_keyword = render_designs([_photo(RED)], "brutalist", size=256)
    unknown_keyword = render_designs([_photo(RED)], "zanzibar", size=256)
    no_keyword = render_designs([_photo(RED)], None, size=256)
    other_inputs = render_designs([_photo(BLUE)], "minimal", size=256)
    for variant in (other_keyword, unknown_keyword, no_keyword, other_inputs):
        assert all(a != b for a, b in zip(base, variant, strict=True))


@pytest.mark.parametrize("count", [1, 4])
def test_one_to_four_inputs(count: int) -> None:
    images = [_photo(RED if i % 2 else BLUE, seed=i) for i in range(count)]
    designs = render_designs(images, None, size=256)
    assert len(designs) == 4


def test_count_other_than_four() -> None:
    designs = render_designs([_photo(RED)], None, count=6, size=128)
    assert len(set(designs)) == 6


def test_colours_follow_the_inputs() -> None:
    red_designs = render_designs([_photo(RED)], None, size=256)
    blue_designs = render_designs([_photo(BLUE)], None, size=256)
    for design in red_designs:
        assert _hue_share(design, -20, 20) > 0.8
    for design in blue_designs:
        assert _hue_share(design, 200, 250) > 0.8


def test_keyword_shapes_proportions() -> None:
    default = keyword_proportions(None)
    assert keyword_proportions("minimal").leg < default.leg < keyword_proportions("brutalist").leg
    assert keyword_proportions("organic").roundness > default.roundness
    assert keyword_proportions("tall").height > default.height
    # Unknown words vary the design, the same way every time.
    assert keyword_proportions("zanzibar") == keyword_proportions("Zanzibar")
    assert keyword_proportions("zanzibar") != keyword_proportions("quokka")


def test_unreadable_input_is_a_provider_error() -> None:
    from layerminder.providers.base import ProviderError

    with pytest.raises(ProviderError):
        render_designs([b"not an image"], None, size=128)


def test_render_seat_draws_the_requested_form() -> None:
    images = [_photo(RED)]
    seats = {form: render_seat(images, None, form, size=256) for form in SEAT_FORMS}
    assert len(set(seats.values())) == 4
    assert render_seat(images, None, "bench", size=256, variant=1) != seats["bench"]


def test_reading_recognises_the_forms() -> None:
    designs = render_designs([_photo([(150, 110, 70), (230, 220, 200)])], None, size=512)
    assert [read_design(design).form for design in designs] == list(SEAT_FORMS)


def _check_story(story: Story) -> None:
    assert len(story.keywords) == KEYWORD_COUNT
    assert len(set(story.keywords)) == KEYWORD_COUNT
    assert all(word.isalpha() and word == word.lower() for word in story.keywords)
    paragraphs = story.story.split("\n\n")
    assert len(paragraphs) == 2 and all(len(p) > 80 for p in paragraphs)
    Story.model_validate(story.model_dump())


async def test_story_for_each_form_is_complete_and_plausible() -> None:
    designs = render_designs([_photo([(120, 80, 50), (220, 210, 190)])], "soft", size=512)
    provider = LocalStoryProvider()
    plausible = {
        "chair": ((38, 65), (40, 65), (70, 110)),
        "stool": ((30, 50), (30, 50), (40, 85)),
        "bench": ((80, 200), (30, 60), (38, 55)),
        "lounge": ((60, 120), (60, 110), (60, 100)),
    }
    for form, design in zip(SEAT_FORMS, designs, strict=True):
        result = await provider.write_story(design, "soft")
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
    design = render_designs([_photo(BLUE)], None, count=1, size=512)[0]
    assert write_story(design, "calm") == write_story(design, "calm")
    with_keyword = write_story(design, "calm")
    assert with_keyword.keywords[0] == "calm"
    _check_story(write_story(design, None))
    # A phrase or a non-Latin keyword still gives twelve clean words.
    _check_story(write_story(design, "quiet morning light"))
    _check_story(write_story(design, "미니멀"))


def test_story_names_the_colours_it_sees() -> None:
    design = render_designs([_photo(RED)], None, count=1, size=512)[0]
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
