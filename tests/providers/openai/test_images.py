"""The OpenAI image provider driven by the real openai SDK over HTTP against the fake."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from layerminder.providers.base import Brief, InputImage, ProviderError
from layerminder.providers.openai import DEFAULT_STYLE, OpenAIImageProvider, build_design_prompt
from tests.fakes.openai_server import (
    FakeOpenAI,
    Reply,
    content_policy_violation,
    error_reply,
    rate_limited,
    server_error,
)
from tests.providers.openai.support import encoded, make_settings


def references() -> list[InputImage]:
    return [
        InputImage(encoded("JPEG", (200, 10, 10)), "image/jpeg", "chair photo.jpg"),
        InputImage(encoded("PNG", (10, 200, 10)), "image/png", "stool.PNG"),
        InputImage(encoded("WEBP", (10, 10, 200)), "image/webp", "bench"),
    ]


def assert_design(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (1024, 1024)


async def test_image_happy_path_sends_every_input_and_the_seed_parameters(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake))

    batch = await provider.generate_designs(Brief.from_images(references(), "brutalist"))

    assert batch.provider == "openai"
    # The default since issue 30: gpt-image-2 is deprecated.
    assert batch.model == "gpt-image-2.6-flare"
    assert len(batch.images) == 4
    for design in batch.images:
        assert_design(design)
    assert len(set(batch.images)) == 4

    [request] = fake.requests_to("/v1/images/edits")
    assert request.status == 200
    assert request.headers["authorization"] == f"Bearer {fake.api_key}"
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert request.form["model"] == "gpt-image-2.6-flare"
    assert request.form["n"] == "4"
    assert request.form["size"] == "1024x1024"
    assert request.form["quality"] == "low"
    assert request.form["output_format"] == "jpeg"
    assert request.form["output_compression"] == "50"
    assert "response_format" not in request.form
    assert [f.field for f in request.files] == ["image[]"] * 3
    assert [f.content_type for f in request.files] == ["image/jpeg", "image/png", "image/webp"]
    assert [f.filename for f in request.files] == [
        "reference-1.jpg",
        "reference-2.png",
        "reference-3.webp",
    ]
    assert [f.data for f in request.files] == [item.data for item in references()]
    prompt = request.form["prompt"]
    assert "these 3 reference images" in prompt
    assert "something one can sit on" in prompt
    assert "brutalist" in prompt

    assert batch.usage["images"] == 4
    assert batch.usage["output_tokens"] == 272 * 4
    assert batch.usage["input_image_tokens"] == 323 * 3
    assert batch.usage["total_tokens"] > batch.usage["output_tokens"]
    await provider.aclose()


async def test_image_prompt_is_never_empty_without_keyword(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake))

    batch = await provider.generate_designs(Brief.from_images(references()[:1], None))

    assert len(batch.images) == 4
    [request] = fake.requests_to("/v1/images/edits")
    assert len(request.files) == 1
    assert request.files[0].field == "image[]"
    prompt = request.form["prompt"]
    assert "this reference image" in prompt
    assert DEFAULT_STYLE in prompt
    blank = Brief.from_images(references()[:2], "   ")
    assert build_design_prompt(blank) == build_design_prompt(Brief.from_images(references()[:2]))


@pytest.mark.parametrize("failure", [rate_limited(), server_error()], ids=["429", "500"])
async def test_image_transient_error_then_success(fake: FakeOpenAI, failure: Reply) -> None:
    fake.queue_images(failure)
    provider = OpenAIImageProvider(make_settings(fake))

    batch = await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert len(batch.images) == 4
    assert [r.status for r in fake.requests_to("/v1/images/edits")] == [failure.status, 200]


async def test_image_timeout_then_success(fake: FakeOpenAI) -> None:
    fake.queue_images(Reply(delay=1.0))
    provider = OpenAIImageProvider(make_settings(fake, openai_timeout_seconds=0.3))

    batch = await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert len(batch.images) == 4
    assert len(fake.requests_to("/v1/images/edits")) == 2


async def test_image_content_policy_is_not_retried(fake: FakeOpenAI) -> None:
    fake.queue_images(content_policy_violation())
    provider = OpenAIImageProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert caught.value.retryable is False
    assert "rejected as a result of our safety system" in caught.value.message
    assert len(fake.requests_to("/v1/images/edits")) == 1


async def test_image_retries_are_bounded(fake: FakeOpenAI) -> None:
    fake.queue_images(rate_limited(), rate_limited(), rate_limited(), rate_limited())
    provider = OpenAIImageProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert caught.value.retryable is True
    assert "after 3 attempts" in caught.value.message
    assert "429" in caught.value.message
    assert len(fake.requests_to("/v1/images/edits")) == 3


async def test_image_quota_exhausted_is_not_retried(fake: FakeOpenAI) -> None:
    fake.queue_images(
        error_reply(429, "You exceeded your current quota.", code="insufficient_quota")
    )
    provider = OpenAIImageProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert caught.value.retryable is False
    assert "exceeded your current quota" in caught.value.message
    assert len(fake.requests_to("/v1/images/edits")) == 1


async def test_image_wrong_key_is_not_retried(fake: FakeOpenAI) -> None:
    settings = make_settings(fake, OPENAI_API_KEY="sk-wrong")
    provider = OpenAIImageProvider(settings)

    with pytest.raises(ProviderError) as caught:
        await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert caught.value.retryable is False
    assert "Incorrect API key" in caught.value.message
    assert len(fake.requests_to("/v1/images/edits")) == 1


async def test_image_other_sizes_and_short_batches_are_normalised(fake: FakeOpenAI) -> None:
    # A compatible server that ignores `n` and returns a portrait: we ask again and crop.
    fake.queue_images(Reply(image_count=1, image_size=(1024, 1536)), Reply(image_count=3))
    provider = OpenAIImageProvider(make_settings(fake))

    batch = await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert len(batch.images) == 4
    for design in batch.images:
        assert_design(design)
    assert [r.form["n"] for r in fake.requests_to("/v1/images/edits")] == ["4", "3"]


async def test_image_legacy_model_gets_only_what_it_accepts(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake, image_model="dall-e-2"))

    batch = await provider.generate_designs(Brief.from_images(references(), "modern"))

    assert len(batch.images) == 4
    for design in batch.images:
        assert_design(design)
    [request] = fake.requests_to("/v1/images/edits")
    assert request.status == 200
    assert len(request.files) == 1
    assert request.files[0].content_type == "image/png"
    assert "quality" not in request.form
    assert "output_format" not in request.form
    assert request.form["response_format"] == "b64_json"
