"""The OpenAI story provider driven by the real openai SDK over HTTP against the fake."""

from __future__ import annotations

import base64
import json

import pytest

from layerminder.providers.base import Brief, ProviderError
from layerminder.providers.openai import OpenAIStoryProvider, story_response_format
from tests.fakes.openai_server import FakeOpenAI, Reply, chat_reply, rate_limited, story_json
from tests.providers.openai.support import encoded, make_settings


def design_jpeg() -> bytes:
    return encoded("JPEG", (150, 110, 80), (1024, 1024))


async def test_story_happy_path(fake: FakeOpenAI) -> None:
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], "japandi"))

    assert result.provider == "openai"
    assert result.model == "gpt-6-luna"
    story = result.story
    assert story.name == "Nordic Oak Lounge Chair"
    assert story.dimensions.width_cm == 72
    assert story.dimensions.seat_height_cm == 40
    assert story.furniture_type == "lounge_chair"
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

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None))

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

    result = await provider.write_story(design_jpeg(), Brief.from_images([], "modern"))

    assert len(result.story.keywords) == 12
    requests = fake.requests_to("/v1/chat/completions")
    assert len(requests) == 2
    assert "got 11 valid of 11" in requests[1].json["messages"][3]["content"]


async def test_story_keywords_are_normalised(fake: FakeOpenAI) -> None:
    words = ["Minimal", "modern!", "mid century", "minimal", *["oak", "curved", "steel"]]
    words += ["walnut", "layered", "brushed", "velvet", "organic", "angular", "linen"]
    fake.queue_chat(chat_reply(story_json(keywords=words)))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None))

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
        await provider.write_story(design_jpeg(), Brief.from_images([], None))

    assert caught.value.retryable is False
    assert "invalid story twice" in caught.value.message
    assert "exactly 2 paragraphs" in caught.value.message
    assert len(fake.requests_to("/v1/chat/completions")) == 2


async def test_story_rate_limit_then_success(fake: FakeOpenAI) -> None:
    fake.queue_chat(rate_limited(retry_after=0.01))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None))

    assert len(result.story.keywords) == 12
    assert [r.status for r in fake.requests_to("/v1/chat/completions")] == [429, 200]


async def test_story_refusal_is_not_retried(fake: FakeOpenAI) -> None:
    fake.queue_chat(Reply(refusal="I can't help with that."))
    provider = OpenAIStoryProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.write_story(design_jpeg(), Brief.from_images([], None))

    assert caught.value.retryable is False
    assert "refused" in caught.value.message
    assert len(fake.requests_to("/v1/chat/completions")) == 1


def test_story_schema_asks_for_the_furniture_type_and_seat_height() -> None:
    schema = story_response_format()["json_schema"]["schema"]
    assert "furniture_type" in schema["required"]
    kinds = schema["$defs"]["FurnitureType"]["enum"]
    assert {"chair", "lounge_chair", "stool", "bar_stool", "bench", "sofa", "table"} <= set(kinds)
    dimensions = schema["$defs"]["StoryDimensions"]
    assert "seat_height_cm" in dimensions["required"]
