"""The OpenAI story provider asked for Korean: the request says so, the answer is validated."""

from __future__ import annotations

import json
import re

import pytest

from layerminder.providers.base import Brief, ProviderError
from layerminder.providers.openai import OpenAIStoryProvider
from tests.fakes.openai_server import (
    KEYWORDS,
    KEYWORDS_KO,
    FakeOpenAI,
    chat_reply,
    story_json,
    story_json_ko,
)
from tests.providers.openai.support import encoded, make_settings

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def design_jpeg() -> bytes:
    return encoded("JPEG", (150, 110, 80), (1024, 1024))


def schema_of(body: dict[str, object]) -> dict[str, object]:
    response_format = body["response_format"]
    assert isinstance(response_format, dict)
    schema = response_format["json_schema"]["schema"]
    assert isinstance(schema, dict)
    return schema


async def test_a_korean_story_is_asked_for_in_the_prompt_and_the_schema(fake: FakeOpenAI) -> None:
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], "미니멀"), "ko")

    [request] = fake.requests_to("/v1/chat/completions")
    text_part, _ = request.json["messages"][1]["content"]
    assert "Korean (한국어)" in text_part["text"]
    assert "keywords_display" in text_part["text"]
    assert "미니멀" in text_part["text"]
    schema = schema_of(request.json)
    properties = schema["properties"]
    assert isinstance(properties, dict)
    assert properties["language"]["enum"] == ["ko"]
    for field in ("name", "material", "title", "story"):
        assert "Korean" in properties[field]["description"]
    display = properties["keywords_display"]
    assert display["type"] == "array"
    assert display["minItems"] == display["maxItems"] == 12
    assert "keywords_display" in schema["required"]  # type: ignore[operator]
    assert "language" in schema["required"]  # type: ignore[operator]

    story = result.story
    assert story.name == "노르딕 오크 라운지 체어"
    assert HANGUL.search(story.title)
    assert story.story.count("\n\n") == 1
    assert story.keywords == KEYWORDS[:12]
    assert story.keywords_display == KEYWORDS_KO[:12]


async def test_an_english_story_asks_for_english_and_shows_its_keywords(fake: FakeOpenAI) -> None:
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None), "en")

    [request] = fake.requests_to("/v1/chat/completions")
    schema = schema_of(request.json)
    properties = schema["properties"]
    assert isinstance(properties, dict)
    assert properties["language"]["enum"] == ["en"]
    assert "keywords_display" not in properties
    assert "English" in request.json["messages"][1]["content"][0]["text"]
    assert result.story.keywords_display == result.story.keywords


async def test_an_english_answer_to_a_korean_request_is_sent_back(fake: FakeOpenAI) -> None:
    fake.queue_chat(chat_reply(story_json(language="ko", keywords_display=KEYWORDS_KO[:12])))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None), "ko")

    _, second = fake.requests_to("/v1/chat/completions")
    follow_up = second.json["messages"][3]["content"]
    assert "must be written in Korean" in follow_up
    assert "Korean (한국어)" in follow_up
    assert HANGUL.search(result.story.story)


async def test_a_reply_in_the_wrong_language_is_rejected(fake: FakeOpenAI) -> None:
    fake.queue_chat(chat_reply(story_json_ko(language="en")))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None), "ko")

    _, second = fake.requests_to("/v1/chat/completions")
    assert "asked for 'ko', the reply says 'en'" in second.json["messages"][3]["content"]
    assert len(result.story.keywords_display) == 12


async def test_display_keywords_must_match_the_keywords_one_for_one(fake: FakeOpenAI) -> None:
    fake.queue_chat(chat_reply(story_json_ko(keywords_display=KEYWORDS_KO[:11])))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None), "ko")

    _, second = fake.requests_to("/v1/chat/completions")
    assert "keywords_display" in second.json["messages"][3]["content"]
    assert result.story.keywords_display == KEYWORDS_KO[:12]


async def test_display_keywords_stay_with_their_keyword_when_one_is_dropped(
    fake: FakeOpenAI,
) -> None:
    words = ["Minimal", "mid century", *KEYWORDS[1:13]]
    shown = ["미니멀", "미드 센추리", *KEYWORDS_KO[1:13]]
    fake.queue_chat(chat_reply(story_json_ko(keywords=words, keywords_display=shown)))
    provider = OpenAIStoryProvider(make_settings(fake))

    result = await provider.write_story(design_jpeg(), Brief.from_images([], None), "ko")

    assert result.story.keywords == ["minimal", *KEYWORDS[1:12]]
    assert result.story.keywords_display == ["미니멀", *KEYWORDS_KO[1:12]]
    assert "미드 센추리" not in result.story.keywords_display
    assert len(fake.requests_to("/v1/chat/completions")) == 1


async def test_english_twice_for_a_korean_story_fails_with_the_reason(fake: FakeOpenAI) -> None:
    english = story_json(language="ko", keywords_display=KEYWORDS_KO[:12])
    fake.queue_chat(chat_reply(english), chat_reply(english))
    provider = OpenAIStoryProvider(make_settings(fake))

    with pytest.raises(ProviderError) as caught:
        await provider.write_story(design_jpeg(), Brief.from_images([], None), "ko")

    assert caught.value.retryable is False
    assert "must be written in Korean" in caught.value.message
    # The requests were Korean both times; the fake recorded the schema each time.
    for request in fake.requests_to("/v1/chat/completions"):
        assert json.dumps(schema_of(request.json)).count('"ko"') >= 1
