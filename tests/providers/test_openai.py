"""The OpenAI providers driven by the real openai SDK over HTTP against the fake OpenAI server."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from PIL import Image

from layerminder.config import Settings
from layerminder.providers.base import InputImage, ProviderError
from layerminder.providers.openai import (
    DEFAULT_STYLE,
    OpenAIImageProvider,
    OpenAIStoryProvider,
    build_design_prompt,
    check_models,
    story_response_format,
)
from tests.fakes.openai_server import (
    FakeModel,
    FakeOpenAI,
    Reply,
    chat_reply,
    content_policy_violation,
    error_reply,
    rate_limited,
    running_fake_openai,
    server_error,
    story_json,
)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


def make_settings(fake: FakeOpenAI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "OPENAI_API_KEY": fake.api_key,
        "OPENAI_BASE_URL": fake.base_url,
        "image_provider": "openai",
        "story_provider": "openai",
        "openai_timeout_seconds": 5.0,
        "openai_max_attempts": 3,
        # Tiny waits: the backoff scales from this budget.
        "openai_max_retry_seconds": 0.2,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def encoded(fmt: str, colour: tuple[int, int, int], size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


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


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------


async def test_image_happy_path_sends_every_input_and_the_seed_parameters(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake))

    batch = await provider.generate_designs(references(), "brutalist")

    assert batch.provider == "openai"
    assert batch.model == "gpt-image-2"
    assert len(batch.images) == 4
    for design in batch.images:
        assert_design(design)
    assert len(set(batch.images)) == 4

    [request] = fake.requests_to("/v1/images/edits")
    assert request.status == 200
    assert request.headers["authorization"] == f"Bearer {fake.api_key}"
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert request.form["model"] == "gpt-image-2"
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

    batch = await provider.generate_designs(references()[:1], None)

    assert len(batch.images) == 4
    [request] = fake.requests_to("/v1/images/edits")
    assert len(request.files) == 1
    assert request.files[0].field == "image[]"
    prompt = request.form["prompt"]
    assert "this reference image" in prompt
    assert DEFAULT_STYLE in prompt
    assert build_design_prompt(2, "   ") == build_design_prompt(2, None)


@pytest.mark.parametrize("failure", [rate_limited(), server_error()], ids=["429", "500"])
async def test_image_transient_error_then_success(fake: FakeOpenAI, failure: Reply) -> None:
    fake.queue_images(failure)
    provider = OpenAIImageProvider(make_settings(fake))

    batch = await provider.generate_designs(references(), "modern")

    assert len(batch.images) == 4
    assert [r.status for r in fake.requests_to("/v1/images/edits")] == [failure.status, 200]


async def test_image_timeout_then_success(fake: FakeOpenAI) -> None:
    fake.queue_images(Reply(delay=1.0))
    provider = OpenAIImageProvider(make_settings(fake, openai_timeout_seconds=0.3))

    batch = await provider.generate_designs(references(), "modern")

    assert len(batch.images) == 4
    assert len(fake.requests_to("/v1/images/edits")) == 2


async def test_image_content_policy_is_not_retried(fake: FakeOpenAI) -> None:
    fake.queue_images(content_policy_violation())
    provider = OpenAIImageProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.generate_designs(references(), "modern")

    assert caught.value.retryable is False
    assert "rejected as a result of our safety system" in caught.value.message
    assert len(fake.requests_to("/v1/images/edits")) == 1


async def test_image_retries_are_bounded(fake: FakeOpenAI) -> None:
    fake.queue_images(rate_limited(), rate_limited(), rate_limited(), rate_limited())
    provider = OpenAIImageProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.generate_designs(references(), "modern")

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
        await provider.generate_designs(references(), "modern")

    assert caught.value.retryable is False
    assert "exceeded your current quota" in caught.value.message
    assert len(fake.requests_to("/v1/images/edits")) == 1


async def test_image_wrong_key_is_not_retried(fake: FakeOpenAI) -> None:
    settings = make_settings(fake, OPENAI_API_KEY="sk-wrong")
    provider = OpenAIImageProvider(settings)

    with pytest.raises(ProviderError) as caught:
        await provider.generate_designs(references(), "modern")

    assert caught.value.retryable is False
    assert "Incorrect API key" in caught.value.message
    assert len(fake.requests_to("/v1/images/edits")) == 1


async def test_image_other_sizes_and_short_batches_are_normalised(fake: FakeOpenAI) -> None:
    # A compatible server that ignores `n` and returns a portrait: we ask again and crop.
    fake.queue_images(Reply(image_count=1, image_size=(1024, 1536)), Reply(image_count=3))
    provider = OpenAIImageProvider(make_settings(fake))

    batch = await provider.generate_designs(references(), "modern")

    assert len(batch.images) == 4
    for design in batch.images:
        assert_design(design)
    assert [r.form["n"] for r in fake.requests_to("/v1/images/edits")] == ["4", "3"]


async def test_image_legacy_model_gets_only_what_it_accepts(fake: FakeOpenAI) -> None:
    provider = OpenAIImageProvider(make_settings(fake, image_model="dall-e-2"))

    batch = await provider.generate_designs(references(), "modern")

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


# --------------------------------------------------------------------------------------------
# Story
# --------------------------------------------------------------------------------------------


def design_jpeg() -> bytes:
    return encoded("JPEG", (150, 110, 80), (1024, 1024))


async def test_story_happy_path(fake: FakeOpenAI) -> None:
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), "japandi")

    assert result.provider == "openai"
    assert result.model == "gpt-6-luna"
    story = result.story
    assert story.name == "Nordic Oak Lounge Chair"
    assert story.dimensions.width_cm == 72
    assert len(story.keywords) == 12
    assert story.story.count("\n\n") == 1

    [request] = fake.requests_to("/v1/chat/completions")
    assert request.status == 200
    body = request.json
    assert body["model"] == "gpt-6-luna"
    assert body["reasoning_effort"] == "low"
    system, user = body["messages"]
    assert system["role"] == "system"
    assert "culturally informed" in system["content"]
    assert user["role"] == "user"
    text_part, image_part = user["content"]
    assert text_part["type"] == "text"
    assert "exactly 12" in text_part["text"]
    assert "japandi" in text_part["text"]
    assert image_part["type"] == "image_url"
    url = image_part["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == design_jpeg()
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["name"] == "furniture_story"
    assert response_format == json.loads(json.dumps(story_response_format()))

    assert result.usage["prompt_tokens"] > 0
    assert result.usage["completion_tokens"] > 0
    assert result.usage["requests"] == 1


async def test_story_malformed_json_then_good(fake: FakeOpenAI) -> None:
    fake.queue_chat(chat_reply('{"name": "Chair", "dimensions": '))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), None)

    assert len(result.story.keywords) == 12
    first, second = fake.requests_to("/v1/chat/completions")
    assert len(second.json["messages"]) == 4
    assert second.json["messages"][2] == {
        "role": "assistant",
        "content": '{"name": "Chair", "dimensions": ',
    }
    follow_up = second.json["messages"][3]
    assert follow_up["role"] == "user"
    assert "not valid JSON" in follow_up["content"]
    assert result.usage["requests"] == 2
    assert result.usage["prompt_tokens"] == sum(
        120 + 85 + 40 * (len(r.json["messages"]) - 2) for r in (first, second)
    )


async def test_story_eleven_keywords_then_twelve(fake: FakeOpenAI) -> None:
    fake.queue_chat(chat_reply(story_json(keywords=11)))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), "modern")

    assert len(result.story.keywords) == 12
    requests = fake.requests_to("/v1/chat/completions")
    assert len(requests) == 2
    assert "got 11 valid of 11" in requests[1].json["messages"][3]["content"]


async def test_story_keywords_are_normalised(fake: FakeOpenAI) -> None:
    words = ["Minimal", "modern!", "mid century", "minimal", *["oak", "curved", "steel"]]
    words += ["walnut", "layered", "brushed", "velvet", "organic", "angular", "linen"]
    fake.queue_chat(chat_reply(story_json(keywords=words)))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), None)

    assert result.story.keywords == [
        "minimal",
        "modern",
        "oak",
        "curved",
        "steel",
        "walnut",
        "layered",
        "brushed",
        "velvet",
        "organic",
        "angular",
        "linen",
    ]
    assert len(fake.requests_to("/v1/chat/completions")) == 1


async def test_story_bad_twice_fails_with_the_reason(fake: FakeOpenAI) -> None:
    fake.queue_chat(chat_reply("not json at all"), chat_reply(story_json(paragraphs=3)))
    provider = OpenAIStoryProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.write_story(design_jpeg(), None)

    assert caught.value.retryable is False
    assert "invalid story twice" in caught.value.message
    assert "exactly 2 paragraphs" in caught.value.message
    assert len(fake.requests_to("/v1/chat/completions")) == 2


async def test_story_rate_limit_then_success(fake: FakeOpenAI) -> None:
    fake.queue_chat(rate_limited(retry_after=0.01))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), None)

    assert len(result.story.keywords) == 12
    assert [r.status for r in fake.requests_to("/v1/chat/completions")] == [429, 200]


async def test_story_refusal_is_not_retried(fake: FakeOpenAI) -> None:
    fake.queue_chat(Reply(refusal="I can't help with that."))
    provider = OpenAIStoryProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.write_story(design_jpeg(), None)

    assert caught.value.retryable is False
    assert "refused" in caught.value.message
    assert len(fake.requests_to("/v1/chat/completions")) == 1


# --------------------------------------------------------------------------------------------
# Doctor
# --------------------------------------------------------------------------------------------


async def test_check_models_warns_about_shutdown_dates(fake: FakeOpenAI) -> None:
    fake.script.models = [
        FakeModel("gpt-image-2", include_shutdown_date=False),
        FakeModel("gpt-5-mini", shutdown_date="2026-12-11"),
        FakeModel("gpt-4.1-nano", shutdown_date="2026-10-23"),
        FakeModel("gpt-6-luna", shutdown_date=None),
    ]
    settings = make_settings(fake, story_model="gpt-5-mini")

    checks = await check_models(settings, today=date(2026, 11, 24))

    assert [(c.model, c.ok, c.warning) for c in checks] == [
        ("gpt-image-2", True, False),
        ("gpt-5-mini", True, True),
    ]
    assert "2026-12-11" in checks[1].message
    assert "in 17 days" in checks[1].message
    assert checks[1].shutdown_date == date(2026, 12, 11)

    more = await check_models(
        settings, ["gpt-4.1-nano", "gpt-6-luna", "gpt-image-9"], today=date(2026, 11, 24)
    )
    assert [(c.model, c.ok, c.warning) for c in more] == [
        ("gpt-4.1-nano", False, False),
        ("gpt-6-luna", True, False),
        ("gpt-image-9", False, False),
    ]
    assert "shut down on 2026-10-23" in more[0].message
    assert "not available" in more[2].message
    assert all(r.path == "/v1/models" for r in fake.requests_to("/v1/models"))


async def test_check_models_reports_a_bad_key(fake: FakeOpenAI) -> None:
    checks = await check_models(make_settings(fake, OPENAI_API_KEY="sk-wrong"))

    assert [c.ok for c in checks] == [False, False]
    assert all("could not list models" in c.message for c in checks)
    assert all("Incorrect API key" in c.message for c in checks)


# --------------------------------------------------------------------------------------------
# The fake itself rejects what the real API rejects
# --------------------------------------------------------------------------------------------


def test_fake_rejects_bad_requests(fake: FakeOpenAI) -> None:
    auth = {"Authorization": f"Bearer {fake.api_key}"}
    with httpx.Client(base_url=fake.base_url) as client:
        assert client.get("/models").status_code == 401
        as_json = client.post("/images/edits", json={"model": "gpt-image-2"}, headers=auth)
        assert as_json.status_code == 400
        assert "multipart/form-data" in as_json.json()["error"]["message"]

        files = [("image[]", ("a.gif", b"GIF89a", "image/gif"))]
        data = {"model": "gpt-image-2", "prompt": "a chair"}
        bad_type = client.post("/images/edits", data=data, files=files, headers=auth)
        assert bad_type.json()["error"]["code"] == "unsupported_file_mimetype"

        files = [("image[]", ("a.png", encoded("PNG", (1, 2, 3)), "image/png"))]
        too_many = client.post("/images/edits", data={**data, "n": "11"}, files=files, headers=auth)
        assert too_many.json()["error"]["param"] == "n"
        no_prompt = client.post(
            "/images/edits", data={"model": "gpt-image-2"}, files=files, headers=auth
        )
        assert no_prompt.json()["error"]["param"] == "prompt"

        loose_schema = {
            "model": "gpt-6-luna",
            "messages": [{"role": "user", "content": "hi"}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "x",
                    "strict": True,
                    "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
                },
            },
        }
        rejected = client.post("/chat/completions", json=loose_schema, headers=auth)
        assert rejected.status_code == 400
        assert "additionalProperties" in rejected.json()["error"]["message"]
