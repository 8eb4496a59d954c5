"""The offline image provider: procedural designs from input colours and the keyword."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from layerminder.providers.base import DESIGN_SIZE, Brief
from layerminder.providers.local import (
    SEAT_FORMS,
    LocalImageProvider,
    keyword_proportions,
    render_designs,
    render_seat,
)
from tests.providers.local.photos import BLUE, RED, as_inputs, hue_share, photo


async def test_generates_four_distinct_1024_jpegs() -> None:
    batch = await LocalImageProvider().generate_designs(
        Brief.from_images(as_inputs(photo(RED), photo(BLUE, 1)), "minimal")
    )
    assert (batch.provider, batch.model) == ("local", "procedural-v2")
    assert len(batch.images) == 4
    assert len({hashlib.sha256(image).digest() for image in batch.images}) == 4
    for image in batch.images:
        assert image[:3] == b"\xff\xd8\xff"
        with Image.open(io.BytesIO(image)) as opened:
            assert opened.format == "JPEG"
            assert opened.size == (DESIGN_SIZE, DESIGN_SIZE)


def test_same_inputs_and_keyword_give_identical_bytes() -> None:
    images = [photo(RED), photo(BLUE, 3)]
    assert render_designs(images, "organic", size=256) == render_designs(
        images, "organic", size=256
    )


def test_keyword_and_inputs_change_the_output() -> None:
    base = render_designs([photo(RED)], "minimal", size=256)
    other_keyword = render_designs([photo(RED)], "brutalist", size=256)
    unknown_keyword = render_designs([photo(RED)], "zanzibar", size=256)
    no_keyword = render_designs([photo(RED)], None, size=256)
    other_inputs = render_designs([photo(BLUE)], "minimal", size=256)
    for variant in (other_keyword, unknown_keyword, no_keyword, other_inputs):
        assert all(a != b for a, b in zip(base, variant, strict=True))


@pytest.mark.parametrize("count", [1, 4])
def test_one_to_four_inputs(count: int) -> None:
    images = [photo(RED if i % 2 else BLUE, seed=i) for i in range(count)]
    designs = render_designs(images, None, size=256)
    assert len(designs) == 4


def test_count_other_than_four() -> None:
    designs = render_designs([photo(RED)], None, count=6, size=128)
    assert len(set(designs)) == 6


def test_colours_follow_the_inputs() -> None:
    red_designs = render_designs([photo(RED)], None, size=256)
    blue_designs = render_designs([photo(BLUE)], None, size=256)
    for design in red_designs:
        assert hue_share(design, -20, 20) > 0.8
    for design in blue_designs:
        assert hue_share(design, 200, 250) > 0.8


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
    images = [photo(RED)]
    seats = {form: render_seat(images, None, form, size=256) for form in SEAT_FORMS}
    assert len(set(seats.values())) == 4
    assert render_seat(images, None, "bench", size=256, variant=1) != seats["bench"]
