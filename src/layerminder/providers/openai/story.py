"""The Story from a vision chat model: prompt, structured output and its validation."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
from typing import Any

from openai import AsyncOpenAI
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from layerminder.config import Settings
from layerminder.providers.base import (
    KEYWORD_COUNT,
    Brief,
    FurnitureType,
    Language,
    ProviderError,
    Story,
    StoryResult,
    normalise_keywords,
)
from layerminder.providers.korean import hangul_share
from layerminder.providers.openai.client import OpenAIProvider, add_usage, call_with_retries
from layerminder.providers.openai.pricing import chat_cost_microusd

log = logging.getLogger(__name__)


STORY_SYSTEM_PROMPT = (
    "You are a specialist in writing elegant and culturally informed product descriptions for "
    "furniture collections. You look closely at a piece of furniture and describe it the way a "
    "design gallery would: precise about form and materials, evocative about where it comes from."
)


# How each language is asked for: its name for the model, and what to write in it.
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "ko": "Korean (한국어)"}
# A Korean story is Korean prose; product and material names in Latin letters are allowed.
MIN_HANGUL_SHARE = 0.6


def build_story_prompt(keyword: str | None, language: Language = "en") -> str:
    style = re.sub(r"\s+", " ", keyword or "").strip()[:100]
    hint = f'The designer described the intended style as "{style}".\n\n' if style else ""
    if language == "ko":
        instruction = (
            "Language: write name, material, title and story in natural, polished Korean "
            "(한국어) for Korean designers and their clients, in the written style of a design "
            "gallery (e.g. '~이다', '~한다'), with Korean particles that agree with each noun; "
            'set language to "ko". The keywords stay English as described below, and '
            "keywords_display gives the same 12 keywords in Korean, in the same order "
            "(e.g. minimal → 미니멀, walnut → 월넛, curved → 곡선형).\n\n"
        )
    else:
        instruction = 'Language: write every field in English; set language to "en".\n\n'
    return (
        f"{hint}{instruction}Analyse the furniture shown in the image and write:\n"
        "- name: a concise name that includes the object type (e.g. 'Nordic Oak Lounge Chair').\n"
        "- furniture_type: what the piece is (chair means a dining or side chair).\n"
        "- dimensions: realistic width, depth and height in whole centimetres, and the seat "
        "height (floor to the top of the seat; null for a table).\n"
        "- material: realistic materials, e.g. 'Solid oak frame, brushed steel legs'.\n"
        "- title: an expressive title capturing its cultural or emotional inspiration.\n"
        "- story: exactly two refined paragraphs separated by one blank line; paragraph 1 "
        "about the cultural or environmental inspiration, paragraph 2 about the symbolic and "
        "functional design elements.\n"
        f"- keywords: exactly {KEYWORD_COUNT} distinct single-word English keywords in "
        "lowercase, no spaces, covering style (e.g. minimal, modern), geometric form (e.g. "
        "curved, angular, layered) and material (e.g. velvet, walnut, brushed)."
    )


class StoryDimensions(BaseModel):
    """Overall size in whole centimetres."""

    model_config = ConfigDict(extra="forbid")

    width_cm: int = Field(description="Width in centimetres")
    depth_cm: int = Field(description="Depth in centimetres")
    height_cm: int = Field(description="Height in centimetres")
    seat_height_cm: int | None = Field(
        description="Floor to the top of the seat in centimetres; null when not a seat"
    )


class StoryOutput(BaseModel):
    """Product copy for one piece of furniture (its JSON schema is sent to the model)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Concise name including the object type")
    furniture_type: FurnitureType = Field(description="What kind of piece it is")
    dimensions: StoryDimensions
    material: str = Field(description="Realistic materials")
    title: str = Field(description="Expressive title capturing the cultural inspiration")
    story: str = Field(description="Exactly two paragraphs separated by a blank line")
    keywords: list[str] = Field(
        description=f"Exactly {KEYWORD_COUNT} distinct lowercase single-word keywords: "
        "style, geometric form, material",
        min_length=KEYWORD_COUNT,
        max_length=KEYWORD_COUNT,
    )


def _strict_schema(node: Any) -> Any:
    """Pydantic's schema made acceptable to strict structured outputs: every object closed and
    every property required."""
    if isinstance(node, dict):
        out = {key: _strict_schema(value) for key, value in node.items()}
        if out.get("type") == "object" and "properties" in out:
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        return out
    if isinstance(node, list):
        return [_strict_schema(value) for value in node]
    return node


_WRITTEN_FIELDS = ("name", "material", "title", "story")


def story_schema(language: Language = "en") -> dict[str, Any]:
    """StoryOutput's JSON schema, asking for `language`: the written fields say which language
    they are in, `language` must be echoed, and a story not in English adds `keywords_display`."""
    schema: dict[str, Any] = StoryOutput.model_json_schema()
    properties = schema["properties"]
    name = LANGUAGE_NAMES[language]
    for field in _WRITTEN_FIELDS:
        properties[field]["description"] += f", written in {name}"
    properties["language"] = {
        "type": "string",
        "enum": [language],
        "description": f"The language name, material, title and story are written in: {name}",
    }
    if language != "en":
        properties["keywords_display"] = {
            "type": "array",
            "items": {"type": "string"},
            "minItems": KEYWORD_COUNT,
            "maxItems": KEYWORD_COUNT,
            "description": f"The {KEYWORD_COUNT} keywords in {name}, one for each English "
            "keyword and in the same order, as a page in that language shows them",
        }
    strict: dict[str, Any] = _strict_schema(schema)
    return strict


def story_response_format(language: Language = "en") -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "furniture_story",
            "description": "Name, dimensions, material, title, story and keywords of one design",
            "schema": story_schema(language),
            "strict": True,
        },
    }


def _check_language(payload: dict[str, Any], language: Language) -> None:
    echoed = payload.pop("language", language)
    if echoed != language:
        raise ValueError(f"language: asked for {language!r}, the reply says {echoed!r}")
    if language != "ko":
        return
    for field in _WRITTEN_FIELDS:
        value = payload.get(field)
        if isinstance(value, str) and hangul_share(value) < (
            MIN_HANGUL_SHARE if field == "story" else 0.01
        ):
            raise ValueError(f"{field}: must be written in Korean (한국어)")


def _keyword_pairs(payload: dict[str, Any], language: Language) -> None:
    """Normalise the keywords and keep keywords_display aligned with the ones kept."""
    raw_keywords = payload.get("keywords")
    if not isinstance(raw_keywords, list):
        return
    raw_display = payload.get("keywords_display") if language != "en" else None
    if language != "en":
        if not isinstance(raw_display, list) or len(raw_display) != len(raw_keywords):
            raise ValueError(
                f"keywords_display: need one {LANGUAGE_NAMES[language]} word for each of the "
                f"{len(raw_keywords)} keywords, in the same order"
            )
    else:
        payload.pop("keywords_display", None)
    keywords: list[str] = []
    display: list[str] = []
    for index, word in enumerate(raw_keywords):
        cleaned = normalise_keywords([str(word)])
        if cleaned and cleaned[0] not in keywords:
            keywords.append(cleaned[0])
            if raw_display is not None:
                display.append(str(raw_display[index]))
    if len(keywords) < KEYWORD_COUNT:
        raise ValueError(
            f"need exactly {KEYWORD_COUNT} distinct lowercase single-word keywords, got "
            f"{len(keywords)} valid of {len(raw_keywords)}: {', '.join(keywords)}"
        )
    # More than enough valid words is fine: keep the first twelve (and their display words).
    payload["keywords"] = keywords[:KEYWORD_COUNT]
    if raw_display is not None:
        payload["keywords_display"] = display[:KEYWORD_COUNT]


def parse_story(content: str, language: Language = "en") -> Story:
    """Validate the model's JSON into a Story in `language`; keywords are normalised before
    counting, and a Korean story must be written in Korean with 12 display keywords."""
    try:
        payload = json.loads(content)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"the reply is not valid JSON ({error.msg} at position {error.pos})"
        ) from error
    if not isinstance(payload, dict):
        raise ValueError("the reply must be a JSON object")
    _check_language(payload, language)
    _keyword_pairs(payload, language)
    try:
        return Story.model_validate(payload)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'reply'}: {item['msg']}"
            for item in error.errors()
        )
        raise ValueError(problems) from error


# Reasoning families take `reasoning_effort`; copywriting needs little reasoning, so keep it low.
_REASONING_PREFIXES = ("gpt-5", "gpt-6", "o1", "o3", "o4")


def _accepts_reasoning_effort(model: str) -> bool:
    return model.startswith(_REASONING_PREFIXES) and "chat" not in model


def _image_data_url(design: bytes) -> str:
    try:
        with Image.open(io.BytesIO(design)) as image:
            fmt = (image.format or "JPEG").upper()
    except (UnidentifiedImageError, OSError) as error:
        raise ProviderError(f"the design image cannot be decoded: {error}") from error
    mime = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt)
    if mime is None:
        raise ProviderError(f"unsupported design image format {fmt}")
    return f"data:{mime};base64,{base64.b64encode(design).decode('ascii')}"


class OpenAIStoryProvider(OpenAIProvider):
    """Writes the Story with a vision chat model, structured output and one corrective retry."""

    def __init__(self, settings: Settings, client: AsyncOpenAI | None = None) -> None:
        super().__init__(settings, settings.story_model, client)

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult:
        keyword = brief.words or None
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": STORY_SYSTEM_PROMPT},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": build_story_prompt(keyword, language)},
                    {"type": "image_url", "image_url": {"url": _image_data_url(design)}},
                ],
            },
        ]
        usage: dict[str, int] = {}
        problem = ""
        # The first answer, then once more with the validation error in the conversation.
        for attempt in range(2):
            content = await self._complete(messages, usage, language)
            try:
                story = parse_story(content, language)
            except ValueError as error:
                problem = str(error)
                log.warning("story model reply rejected (attempt %d): %s", attempt + 1, problem)
                messages.append({"role": "assistant", "content": content})
                messages.append(
                    {
                        "role": "user",
                        "content": f"That reply was not valid: {problem}. Reply again with the "
                        "complete JSON object for the same furniture, following every rule: "
                        f"exactly {KEYWORD_COUNT} distinct lowercase single-word keywords and a "
                        "story of exactly two paragraphs separated by a blank line"
                        + (
                            f", written in {LANGUAGE_NAMES[language]}, with "
                            f"{KEYWORD_COUNT} keywords_display words."
                            if language != "en"
                            else "."
                        ),
                    }
                )
                continue
            cost = chat_cost_microusd(self.model, usage)
            if cost is not None:
                usage["cost_microusd"] = cost
            return StoryResult(story=story, provider=self.name, model=self.model, usage=usage)
        raise ProviderError(
            f"the story model returned an invalid story twice: {problem}", retryable=False
        )

    async def _complete(
        self, messages: list[dict[str, Any]], usage: dict[str, int], language: Language
    ) -> str:
        params: dict[str, Any] = {
            "model": self.model,
            # A copy: the conversation grows after this call and the SDK must not see that.
            "messages": list(messages),
            "response_format": story_response_format(language),
        }
        if _accepts_reasoning_effort(self.model):
            params["reasoning_effort"] = "low"
        completion = await call_with_retries(
            self.settings,
            "story completion",
            lambda: self._client.chat.completions.create(**params),
        )
        add_usage(usage, completion.usage)
        usage["requests"] = usage.get("requests", 0) + 1
        if not completion.choices:
            raise ProviderError("the story model returned no choices", retryable=True)
        choice = completion.choices[0]
        message = choice.message
        if message.refusal:
            raise ProviderError(f"the story model refused: {message.refusal}", retryable=False)
        if choice.finish_reason == "content_filter":
            raise ProviderError("the story model's reply was blocked by the content filter")
        # A reply cut off by `length` fails JSON parsing and goes back to the model as such.
        return message.content or ""
