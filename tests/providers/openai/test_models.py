"""Issue 30: the one capability table decides what each model is sent, through the real SDK
against the fake server (which refuses what OpenAI refuses); deprecations and estimates."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image, ImageDraw

from layerminder.providers.base import Brief, BriefInput, InputImage, ProviderError
from layerminder.providers.openai import OpenAIImageProvider, deprecation_of
from layerminder.providers.openai.models import image_model_capabilities
from layerminder.providers.openai.pricing import (
    REFERENCE_IMAGE_TOKENS,
    CallPlan,
    estimate_images_microusd,
)
from tests.fakes.openai_server import FakeOpenAI
from tests.providers.openai.support import encoded, make_settings

EDITS = "/v1/images/edits"


def _design() -> InputImage:
    return InputImage(encoded("JPEG", (120, 80, 40), (1024, 1024)), "image/jpeg", "design.jpg")


def _markup() -> bytes:
    layer = Image.new("RGBA", (1024, 1024), (0, 0, 0, 0))
    ImageDraw.Draw(layer).ellipse((200, 200, 600, 600), outline=(255, 0, 0, 255), width=6)
    out = io.BytesIO()
    layer.save(out, format="PNG")
    return out.getvalue()


def _markup_brief() -> Brief:
    markup = InputImage(_markup(), "image/png", "markup.png")
    return Brief(
        inputs=(BriefInput(_design(), strength=1.0),),
        markup=markup,
        edit_prompt="a woven seat",
    )


@pytest.mark.parametrize(
    ("model", "complexity_sent"),
    [("gpt-image-2.6-flare", True), ("gpt-image-2.5-flare", False), ("gpt-image-2", False)],
)
async def test_complexity_goes_only_to_the_models_that_take_it(
    fake: FakeOpenAI, model: str, complexity_sent: bool
) -> None:
    settings = make_settings(fake, image_model=model, image_complexity="low")
    provider = OpenAIImageProvider(settings)
    brief = Brief.from_images([_design()], "oak")
    await provider.generate_designs(brief)
    [request] = fake.requests_to(EDITS)
    assert request.status == 200, request.form
    assert ("complexity" in request.form) is complexity_sent
    if complexity_sent:
        assert request.form["complexity"] == "low"
    assert "input_fidelity" not in request.form and "markup" not in request.form
    await provider.aclose()


async def test_a_markup_edit_sends_the_markup_bytes_to_the_edit_model(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake, image_complexity="medium"))
    batch = await provider.edit_markup(_markup_brief())
    assert batch.model == "gpt-image-2.6-sunburst" and len(batch.images) == 4
    [request] = fake.requests_to(EDITS)
    assert request.status == 200
    assert request.form["model"] == "gpt-image-2.6-sunburst"
    assert request.form["complexity"] == "medium"
    [markup] = [f for f in request.files if f.field == "markup"]
    assert markup.data == _markup() and markup.content_type == "image/png"
    assert not [f for f in request.files if f.field == "mask"]
    # Priced from the usage the call returned, at 2.6's list prices.
    usage = batch.usage
    assert usage["cost_microusd"] == (
        usage["input_text_tokens"] * 5
        + usage["input_image_tokens"] * 8
        + usage["output_tokens"] * 30
    )
    await provider.aclose()


async def test_markup_is_refused_before_a_call_to_a_model_without_it(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake, edit_model="gpt-image-2"))
    with pytest.raises(ProviderError, match="LAYERMINDER_EDIT_MODEL"):
        await provider.edit_markup(_markup_brief())
    assert fake.requests_to(EDITS) == []
    await provider.aclose()


def test_the_table_per_model() -> None:
    flare = image_model_capabilities("gpt-image-2.6-flare")
    assert flare.complexity and flare.markup and flare.mask and flare.streaming
    assert flare.qualities is not None and {"xhigh", "max"} <= flare.qualities
    assert not flare.input_fidelity
    old = image_model_capabilities("gpt-image-2")
    assert not old.complexity and not old.markup and old.mask
    assert image_model_capabilities("gpt-image-1.5").input_fidelity


def test_deprecations_match_exact_ids_and_snapshots() -> None:
    gpt_image_2 = deprecation_of("gpt-image-2")
    assert gpt_image_2 is not None and gpt_image_2.shutdown == date(2027, 2, 10)
    assert gpt_image_2.replacement == "gpt-image-2.6-flare"
    assert deprecation_of("gpt-image-2-2026-04-21") == gpt_image_2
    assert deprecation_of("gpt-image-2.6-flare") is None
    mini = deprecation_of("gpt-5-mini")
    assert mini is not None and mini.shutdown == date(2026, 12, 11)


def test_previews_pay_the_references_once_per_call() -> None:
    single = estimate_images_microusd(
        "gpt-image-2.6-flare", "low", CallPlan(input_images=2, calls=1, n_per_call=4)
    )
    streamed = estimate_images_microusd(
        "gpt-image-2.6-flare", "low", CallPlan(input_images=2, calls=4, n_per_call=1, partials=2)
    )
    assert single is not None and streamed is not None
    # Three more payments of both references, and 2 partials x 100 tokens per design at $30/M.
    references = 3 * 2 * REFERENCE_IMAGE_TOKENS * 8
    assert streamed - single == pytest.approx(references + 3 * 250 * 5 + 4 * 200 * 30, abs=2)
    assert estimate_images_microusd("gpt-image-2.6-flare", "max", CallPlan(1, 1, 4)) is None
    assert estimate_images_microusd("my-model", "low", CallPlan(1, 1, 4)) is None
