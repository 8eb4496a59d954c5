"""The OpenAI image provider composes its prompt from the brief, sends the references in the
brief's order, validates quality per model and prices each call from its usage: through the real
openai SDK against the fake OpenAI server, asserting on what the server received."""

from __future__ import annotations

import pytest

from layerminder.providers.base import Brief, BriefInput, InputImage, ProviderError
from layerminder.providers.openai import (
    OpenAIImageProvider,
    build_design_prompt,
    image_cost_microusd,
    strength_word,
)
from layerminder.styles.catalogue import STYLES_BY_ID
from tests.fakes.openai_server import FakeOpenAI
from tests.providers.openai.support import encoded, make_settings


def brief(keyword: str | None = "organic walnut", **fields: object) -> Brief:
    chair = InputImage(encoded("JPEG", (200, 10, 10)), "image/jpeg", "chair.jpg")
    swatch = InputImage(encoded("PNG", (10, 200, 10)), "image/png", "swatch.png")
    fabric = InputImage(encoded("WEBP", (10, 10, 200)), "image/webp", "fabric.webp")
    return Brief(
        inputs=(
            BriefInput(chair, "form", 0.8),
            BriefInput(swatch, "colour", 0.3),
            BriefInput(fabric, "material", 0.5),
        ),
        keyword=keyword,
        **fields,  # type: ignore[arg-type]
    )


async def test_the_prompt_names_each_reference_by_position_role_and_strength(
    fake: FakeOpenAI,
) -> None:
    style = STYLES_BY_ID["japandi"].cue
    provider = OpenAIImageProvider(make_settings(fake))
    sent = brief(style=style)

    await provider.generate_designs(sent)

    [request] = fake.requests_to("/v1/images/edits")
    assert request.status == 200
    # The inputs arrive in the brief's order, each the bytes given.
    assert [f.filename for f in request.files] == [
        "reference-1.jpg",
        "reference-2.png",
        "reference-3.webp",
    ]
    assert [f.data for f in request.files] == [item.image.data for item in sent.inputs]
    prompt = request.form["prompt"]
    assert prompt == build_design_prompt(sent)
    lines = prompt.splitlines()
    assert "Image 1: take its form: silhouette, proportions and structure (strong)." in lines
    assert "Image 2: take its colour palette (light)." in lines
    assert "Image 3: take its materials and surface textures (moderate)." in lines
    assert lines.index(
        "Image 1: take its form: silhouette, proportions and structure (strong)."
    ) < (lines.index("Image 2: take its colour palette (light)."))
    assert f"Style: {style.prompt}." in lines
    assert any(line.startswith("Keyword: organic walnut") for line in lines)
    # gpt-image-2 reads references at high fidelity itself and refuses the parameter.
    assert "input_fidelity" not in request.form
    await provider.aclose()


def test_strength_words_and_a_plain_brief() -> None:
    assert [strength_word(s) for s in (0.0, 0.3, 0.5, 0.8, 1.0)] == [
        "a hint",
        "light",
        "moderate",
        "strong",
        "very strong",
    ]
    plain = build_design_prompt(Brief.from_images(brief().images[:1]))
    assert "Image 1: take its key design concepts (moderate)." in plain
    assert "Keyword: contemporary minimalist" in plain


async def test_quality_is_checked_against_the_model(fake: FakeOpenAI) -> None:
    with pytest.raises(ProviderError, match=r"xhigh.*gpt-image-2.*auto, high, low, medium"):
        OpenAIImageProvider(make_settings(fake, image_model="gpt-image-2", image_quality="xhigh"))
    assert fake.requests_to("/v1/images/edits") == []

    provider = OpenAIImageProvider(
        make_settings(fake, image_model="gpt-image-2.5-flare", image_quality="xhigh")
    )
    await provider.generate_designs(brief())
    [request] = fake.requests_to("/v1/images/edits")
    assert request.status == 200 and request.form["quality"] == "xhigh"
    await provider.aclose()
    with pytest.raises(ProviderError, match="ultra"):
        OpenAIImageProvider(
            make_settings(fake, image_model="gpt-image-2.6-sunburst", image_quality="ultra")
        )


async def test_input_fidelity_only_where_the_model_takes_it(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake, image_model="gpt-image-1.5"))
    await provider.generate_designs(brief())
    [request] = fake.requests_to("/v1/images/edits")
    assert request.status == 200 and request.form["input_fidelity"] == "high"
    await provider.aclose()


async def test_each_batch_is_priced_from_the_usage_returned(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake))
    batch = await provider.generate_designs(brief())
    usage = batch.usage
    # The fake bills like OpenAI: prompt text, every reference's image tokens, 4 outputs.
    expected = (
        usage["input_text_tokens"] * 5
        + usage["input_image_tokens"] * 8
        + usage["output_tokens"] * 30
    )
    assert usage["cost_microusd"] == expected > 0
    assert image_cost_microusd("my-own-model", usage) is None
    await provider.aclose()
