"""OpenAI (or OpenAI-compatible) image and story providers, with retries and model checks."""

from __future__ import annotations

import base64
import binascii
import functools
import io
import json
import logging
import random
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import openai
from openai import AsyncOpenAI
from openai.types import ImagesResponse
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tenacity import AsyncRetrying, RetryCallState, RetryError, retry_if_exception

from layerminder.config import Settings
from layerminder.providers.base import (
    DESIGN_COUNT,
    DESIGN_SIZE,
    KEYWORD_COUNT,
    DesignBatch,
    InputImage,
    ProviderError,
    Story,
    StoryResult,
    normalise_keywords,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PROVIDER_NAME = "openai"
DESIGN_SIZE_PARAM = f"{DESIGN_SIZE}x{DESIGN_SIZE}"
# The seed's cost settings: JPEG at compression 50 keeps each design around 100 kB.
OUTPUT_FORMAT = "jpeg"
OUTPUT_COMPRESSION = 50
# What we re-encode to when a design comes back in another format or size.
STORED_JPEG_QUALITY = 85
DEFAULT_STYLE = "contemporary minimalist"
SHUTDOWN_WARNING_DAYS = 30

# Statuses worth another attempt. 408/409 are what the SDK's own retry logic treats as transient.
_TRANSIENT_STATUSES = frozenset({408, 409, 429})
# A 429 with these codes is a billing state, not a rate limit: waiting will not help.
_NON_TRANSIENT_429_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached"})


# --------------------------------------------------------------------------------------------
# Errors and retries
# --------------------------------------------------------------------------------------------


def _api_message(error: openai.APIStatusError) -> str:
    """The API's own message (`{"error": {"message": ...}}`), not the SDK's repr of the body."""
    body = error.body
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message.strip():
            return message.strip()
    return error.message


def _is_transient(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError):
        if error.status_code == 429 and error.code in _NON_TRANSIENT_429_CODES:
            return False
        return error.status_code in _TRANSIENT_STATUSES or error.status_code >= 500
    return False


def _describe(error: BaseException) -> str:
    if isinstance(error, openai.APITimeoutError):
        return "the request timed out"
    if isinstance(error, openai.APIConnectionError):
        return f"could not connect ({error.message})"
    if isinstance(error, openai.APIStatusError):
        code = f" {error.code}" if error.code else ""
        return f"HTTP {error.status_code}{code}: {_api_message(error)}"
    return str(error) or type(error).__name__


def _as_provider_error(error: BaseException, what: str, attempts: int) -> ProviderError:
    if _is_transient(error):
        tries = "attempt" if attempts == 1 else "attempts"
        return ProviderError(
            f"OpenAI {what} failed after {attempts} {tries}: {_describe(error)}", retryable=True
        )
    if isinstance(error, openai.APIStatusError):
        # The API's message is what the user needs to see (e.g. a content-policy rejection).
        return ProviderError(_api_message(error), retryable=False)
    return ProviderError(f"OpenAI {what} failed: {_describe(error)}", retryable=False)


def _retry_after_seconds(error: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), if it said so."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None


class _Backoff:
    """Exponential backoff with full jitter, honouring Retry-After, within a total sleep budget.

    The budget (`openai_max_retry_seconds`) bounds time spent *waiting*; each request is bounded
    separately by `openai_timeout_seconds`, so a slow image call does not eat the retry budget.
    """

    def __init__(self, budget_seconds: float) -> None:
        self.budget = max(0.0, budget_seconds)
        # First waits around 0.5 s in production; tiny when tests set a tiny budget.
        self.initial = min(0.5, self.budget / 8) if self.budget else 0.0
        self.cap = min(30.0, self.budget / 2)

    def __call__(self, state: RetryCallState) -> float:
        remaining = max(0.0, self.budget - state.idle_for)
        exponential = min(self.cap, self.initial * 2 ** (state.attempt_number - 1))
        wait = random.uniform(exponential / 2, exponential)
        outcome = state.outcome
        hinted = _retry_after_seconds(outcome.exception() if outcome else None)
        if hinted is not None:
            wait = max(wait, hinted)
        return min(wait, remaining)

    def exhausted(self, state: RetryCallState) -> bool:
        return state.idle_for >= self.budget


async def call_with_retries(settings: Settings, what: str, call: Callable[[], Awaitable[T]]) -> T:
    """Run one API call, retrying transient failures; map every failure to ProviderError."""
    backoff = _Backoff(settings.openai_max_retry_seconds)
    max_attempts = max(1, settings.openai_max_attempts)

    def stop(state: RetryCallState) -> bool:
        return state.attempt_number >= max_attempts or backoff.exhausted(state)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "openai %s attempt %d failed, retrying: %s",
            what,
            state.attempt_number,
            _describe(error) if error else "unknown error",
        )

    retrying = AsyncRetrying(
        stop=stop,
        wait=backoff,
        retry=retry_if_exception(_is_transient),
        before_sleep=before_sleep,
        reraise=False,
    )

    async def attempt() -> T:
        # A coroutine function, so tenacity awaits it (a plain lambda's coroutine it would not).
        return await call()

    try:
        return await retrying(attempt)
    except RetryError as exhausted:
        last = exhausted.last_attempt
        error = last.exception()
        assert error is not None
        raise _as_provider_error(error, what, last.attempt_number) from error
    except openai.OpenAIError as error:
        attempts = retrying.statistics.get("attempt_number", 1)
        raise _as_provider_error(error, what, attempts) from error


def make_client(settings: Settings) -> AsyncOpenAI:
    """One SDK client; its own retries are off because tenacity owns the retry policy."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    if not key:
        if not settings.openai_base_url:
            raise ProviderError(
                "OPENAI_API_KEY is not set: set it (or LAYERMINDER_OPENAI_API_KEY), or use the "
                "local providers",
                retryable=False,
            )
        # Many OpenAI-compatible servers ignore the key, but the SDK insists on one.
        key = "not-needed"
    return AsyncOpenAI(
        api_key=key,
        base_url=settings.openai_base_url or None,
        timeout=settings.openai_timeout_seconds,
        max_retries=0,
    )


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageModelCapabilities:
    """What an image model accepts on /v1/images/edits; we only send what it accepts."""

    max_inputs: int
    max_n: int = 10
    quality: bool = True
    output_format: bool = True
    # Legacy DALL·E models return URLs unless asked for base64.
    response_format_b64: bool = False
    # DALL·E 2 wants one square PNG.
    png_square_input: bool = False


_GPT_IMAGE = ImageModelCapabilities(max_inputs=16)
# Matched by prefix, longest first. OpenAI retired dall-e-2 on 2026-05-12; it stays here for
# OpenAI-compatible servers that still serve it.
_IMAGE_MODELS: dict[str, ImageModelCapabilities] = {
    "gpt-image-": _GPT_IMAGE,
    "chatgpt-image-": _GPT_IMAGE,
    "dall-e-2": ImageModelCapabilities(
        max_inputs=1,
        quality=False,
        output_format=False,
        response_format_b64=True,
        png_square_input=True,
    ),
}


def image_model_capabilities(model: str) -> ImageModelCapabilities:
    """Known capabilities; an unknown id (e.g. on a compatible server) is treated as GPT Image."""
    for prefix in sorted(_IMAGE_MODELS, key=len, reverse=True):
        if model.startswith(prefix):
            return _IMAGE_MODELS[prefix]
    return _GPT_IMAGE


def build_design_prompt(input_count: int, keyword: str | None) -> str:
    """The edit prompt: never empty, says how many references there are and what to make."""
    style = re.sub(r"\s+", " ", keyword or "").strip()[:100] or DEFAULT_STYLE
    if input_count <= 1:
        source = "Take the key design concepts from this reference image"
    else:
        source = f"Combine the key design concepts of these {input_count} reference images"
    return (
        f"{source} into one new piece of furniture: something one can sit on "
        "(a chair, stool, bench or lounge seat).\n"
        f"Style: {style} — let it shape the form, proportions and materials.\n"
        "Keep the details minimalistic with a clean aesthetic. Show the whole piece, centred, "
        "on a plain light studio background with soft even lighting and realistic materials. "
        "No people, no text, no logos."
    )


_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _upload_files(
    inputs: Sequence[InputImage], capabilities: ImageModelCapabilities
) -> list[tuple[str, bytes, str]]:
    """(filename, bytes, content type) tuples: the SDK sends a list as proper `image[]` parts."""
    files: list[tuple[str, bytes, str]] = []
    for index, item in enumerate(inputs[: capabilities.max_inputs], start=1):
        if capabilities.png_square_input:
            files.append((f"reference-{index}.png", _square_png(item.data), "image/png"))
            continue
        content_type = item.content_type.lower()
        if content_type not in _EXTENSIONS:
            raise ProviderError(f"unsupported input image type {item.content_type!r}")
        # Our own name: the upload's name may be anything, the API looks at the extension.
        files.append((f"reference-{index}.{_EXTENSIONS[content_type]}", item.data, content_type))
    return files


def _square_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("RGBA")
    side = max(image.size)
    canvas = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    canvas = canvas.resize((DESIGN_SIZE, DESIGN_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def to_design_jpeg(data: bytes) -> bytes:
    """Verify a returned image; keep a DESIGN_SIZE square JPEG as is, re-encode anything else."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG" and image.size == (DESIGN_SIZE, DESIGN_SIZE):
                return data
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ProviderError(f"OpenAI returned an image that cannot be decoded: {error}") from error
    if rgb.size != (DESIGN_SIZE, DESIGN_SIZE):
        # Centre-crop to a square first so a non-square result is not squashed.
        side = min(rgb.size)
        left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
        rgb = rgb.crop((left, top, left + side, top + side)).resize(
            (DESIGN_SIZE, DESIGN_SIZE), Image.Resampling.LANCZOS
        )
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=STORED_JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _add_usage(total: dict[str, int], usage: object) -> None:
    """Flatten the SDK's usage object (and its *_details) into int counters."""
    if usage is None:
        return
    raw = usage.model_dump() if isinstance(usage, BaseModel) else usage
    if not isinstance(raw, dict):
        return
    for key, value in raw.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, dict):
            prefix = key.removesuffix("_details").removesuffix("_tokens")
            for sub_key, sub_value in value.items():
                if isinstance(sub_value, int) and not isinstance(sub_value, bool):
                    name = f"{prefix}_{sub_key}"
                    total[name] = total.get(name, 0) + sub_value


class OpenAIImageProvider:
    """Merges the references into seat designs with `images.edit` (all inputs in one call)."""

    name = PROVIDER_NAME

    def __init__(self, settings: Settings, client: AsyncOpenAI | None = None) -> None:
        self.settings = settings
        self.model = settings.image_model
        self.capabilities = image_model_capabilities(self.model)
        self._client = client or make_client(settings)

    async def aclose(self) -> None:
        await self._client.close()

    async def generate_designs(
        self, inputs: Sequence[InputImage], keyword: str | None, count: int = DESIGN_COUNT
    ) -> DesignBatch:
        if not inputs:
            raise ProviderError("at least one input image is needed")
        if count < 1:
            raise ProviderError("count must be at least 1")
        caps = self.capabilities
        if len(inputs) > caps.max_inputs:
            log.warning(
                "model %s takes %d input image(s); using the first of %d",
                self.model,
                caps.max_inputs,
                len(inputs),
            )
        files = _upload_files(inputs, caps)
        prompt = build_design_prompt(len(files), keyword)
        designs: list[bytes] = []
        usage: dict[str, int] = {}
        # Some compatible servers ignore `n`; ask again for the rest, at most `count` calls.
        for _ in range(count):
            wanted = min(count - len(designs), caps.max_n)
            params = self._edit_params(files, prompt, wanted)
            response = await call_with_retries(
                self.settings, "image edit", functools.partial(self._edit, params)
            )
            _add_usage(usage, response.usage)
            for item in (response.data or [])[:wanted]:
                if not item.b64_json:
                    raise ProviderError("OpenAI returned an image without b64_json data")
                try:
                    raw = base64.b64decode(item.b64_json, validate=True)
                except (binascii.Error, ValueError) as error:
                    raise ProviderError("OpenAI returned invalid base64 image data") from error
                designs.append(to_design_jpeg(raw))
            if len(designs) >= count or not response.data:
                break
        if not designs:
            raise ProviderError("OpenAI returned no images")
        usage["images"] = len(designs)
        return DesignBatch(images=designs, provider=self.name, model=self.model, usage=usage)

    async def _edit(self, params: dict[str, Any]) -> ImagesResponse:
        return await self._client.images.edit(**params)

    def _edit_params(
        self, files: list[tuple[str, bytes, str]], prompt: str, n: int
    ) -> dict[str, Any]:
        caps = self.capabilities
        params: dict[str, Any] = {
            "model": self.model,
            # Always a list, even of one, so the multipart field is `image[]`.
            "image": list(files),
            "prompt": prompt,
            "n": n,
            "size": DESIGN_SIZE_PARAM,
        }
        if caps.quality and self.settings.image_quality:
            params["quality"] = self.settings.image_quality
        if caps.output_format:
            params["output_format"] = OUTPUT_FORMAT
            params["output_compression"] = OUTPUT_COMPRESSION
        if caps.response_format_b64:
            params["response_format"] = "b64_json"
        return params


# --------------------------------------------------------------------------------------------
# Story
# --------------------------------------------------------------------------------------------

STORY_SYSTEM_PROMPT = (
    "You are a specialist in writing elegant and culturally informed product descriptions for "
    "furniture collections. You look closely at a piece of furniture and describe it the way a "
    "design gallery would: precise about form and materials, evocative about where it comes from."
)


def build_story_prompt(keyword: str | None) -> str:
    style = re.sub(r"\s+", " ", keyword or "").strip()[:100]
    hint = f'The designer described the intended style as "{style}".\n\n' if style else ""
    return (
        f"{hint}Analyse the furniture shown in the image and write:\n"
        "- name: a concise name that includes the object type (e.g. 'Nordic Oak Lounge Chair').\n"
        "- dimensions: realistic width, depth and height in whole centimetres.\n"
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


class StoryOutput(BaseModel):
    """Product copy for one piece of furniture (its JSON schema is sent to the model)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Concise name including the object type")
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


def story_response_format() -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "furniture_story",
            "description": "Name, dimensions, material, title, story and keywords of one design",
            "schema": _strict_schema(StoryOutput.model_json_schema()),
            "strict": True,
        },
    }


def parse_story(content: str) -> Story:
    """Validate the model's JSON into a Story; keywords are normalised before counting."""
    try:
        payload = json.loads(content)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"the reply is not valid JSON ({error.msg} at position {error.pos})"
        ) from error
    if not isinstance(payload, dict):
        raise ValueError("the reply must be a JSON object")
    raw_keywords = payload.get("keywords")
    if isinstance(raw_keywords, list):
        keywords = normalise_keywords([str(word) for word in raw_keywords])
        if len(keywords) < KEYWORD_COUNT:
            raise ValueError(
                f"need exactly {KEYWORD_COUNT} distinct lowercase single-word keywords, got "
                f"{len(keywords)} valid of {len(raw_keywords)}: {', '.join(keywords)}"
            )
        # More than enough valid words is fine: keep the first twelve.
        payload["keywords"] = keywords[:KEYWORD_COUNT]
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


class OpenAIStoryProvider:
    """Writes the Story with a vision chat model, structured output and one corrective retry."""

    name = PROVIDER_NAME

    def __init__(self, settings: Settings, client: AsyncOpenAI | None = None) -> None:
        self.settings = settings
        self.model = settings.story_model
        self._client = client or make_client(settings)

    async def aclose(self) -> None:
        await self._client.close()

    async def write_story(self, design: bytes, keyword: str | None) -> StoryResult:
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": STORY_SYSTEM_PROMPT},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": build_story_prompt(keyword)},
                    {"type": "image_url", "image_url": {"url": _image_data_url(design)}},
                ],
            },
        ]
        usage: dict[str, int] = {}
        problem = ""
        # The first answer, then once more with the validation error in the conversation.
        for attempt in range(2):
            content = await self._complete(messages, usage)
            try:
                story = parse_story(content)
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
                        "story of exactly two paragraphs separated by a blank line.",
                    }
                )
                continue
            return StoryResult(story=story, provider=self.name, model=self.model, usage=usage)
        raise ProviderError(
            f"the story model returned an invalid story twice: {problem}", retryable=False
        )

    async def _complete(self, messages: list[dict[str, Any]], usage: dict[str, int]) -> str:
        params: dict[str, Any] = {
            "model": self.model,
            # A copy: the conversation grows after this call and the SDK must not see that.
            "messages": list(messages),
            "response_format": story_response_format(),
        }
        if _accepts_reasoning_effort(self.model):
            params["reasoning_effort"] = "low"
        completion = await call_with_retries(
            self.settings,
            "story completion",
            lambda: self._client.chat.completions.create(**params),
        )
        _add_usage(usage, completion.usage)
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


# --------------------------------------------------------------------------------------------
# Doctor
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelCheck:
    """One configured model as `GET /v1/models` sees it. `warning` marks a shutdown soon."""

    model: str
    ok: bool
    message: str
    warning: bool = False
    shutdown_date: date | None = None


def _parse_shutdown(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC).date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


async def check_models(
    settings: Settings, models: Sequence[str] | None = None, *, today: date | None = None
) -> list[ModelCheck]:
    """Is each configured model listed by the API, and is its `shutdown_date` past or near?"""
    wanted = list(dict.fromkeys(models or [settings.image_model, settings.story_model]))
    today = today or datetime.now(UTC).date()
    try:
        client = make_client(settings)
    except ProviderError as error:
        return [ModelCheck(model, False, error.message) for model in wanted]
    try:

        async def list_models() -> dict[str, object]:
            listed: dict[str, object] = {}
            async for entry in client.models.list():
                # `shutdown_date` is optional: absent on older APIs and compatible servers.
                extra = entry.model_extra or {}
                listed[entry.id] = getattr(entry, "shutdown_date", None) or extra.get(
                    "shutdown_date"
                )
            return listed

        available = await call_with_retries(settings, "model listing", list_models)
    except ProviderError as error:
        return [
            ModelCheck(model, False, f"could not list models: {error.message}") for model in wanted
        ]
    finally:
        await client.close()

    checks: list[ModelCheck] = []
    for model in wanted:
        if model not in available:
            checks.append(
                ModelCheck(model, False, f"{model} is not available to this API key/endpoint")
            )
            continue
        shutdown = _parse_shutdown(available[model])
        if shutdown is None:
            checks.append(ModelCheck(model, True, f"{model} is available"))
        elif shutdown <= today:
            checks.append(
                ModelCheck(
                    model,
                    False,
                    f"{model} was shut down on {shutdown.isoformat()}: choose a current model",
                    shutdown_date=shutdown,
                )
            )
        elif shutdown - today <= timedelta(days=SHUTDOWN_WARNING_DAYS):
            days = (shutdown - today).days
            checks.append(
                ModelCheck(
                    model,
                    True,
                    f"{model} shuts down on {shutdown.isoformat()} (in {days} days): "
                    "move to its replacement",
                    warning=True,
                    shutdown_date=shutdown,
                )
            )
        else:
            checks.append(
                ModelCheck(
                    model,
                    True,
                    f"{model} is available (shutdown announced for {shutdown.isoformat()})",
                    shutdown_date=shutdown,
                )
            )
    return checks


__all__ = [
    "ImageModelCapabilities",
    "ModelCheck",
    "OpenAIImageProvider",
    "OpenAIStoryProvider",
    "StoryOutput",
    "build_design_prompt",
    "build_story_prompt",
    "call_with_retries",
    "check_models",
    "image_model_capabilities",
    "make_client",
    "parse_story",
    "story_response_format",
    "to_design_jpeg",
]
