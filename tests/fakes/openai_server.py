"""A fake OpenAI API on a real port: checks requests like the real one, answers in its shapes."""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from PIL import Image, ImageDraw, UnidentifiedImageError
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

DEFAULT_API_KEY = "sk-test-fake-openai"

IMAGE_CONTENT_TYPES = {"image/png", "image/jpeg", "image/webp"}
IMAGE_EDIT_FIELDS = {
    "model",
    "prompt",
    "n",
    "size",
    "quality",
    "output_format",
    "output_compression",
    "background",
    "input_fidelity",
    "moderation",
    "response_format",
    "user",
    "safety_identifier",
    "stream",
    "partial_images",
    "complexity",
}
GPT_IMAGE_QUALITIES = {"low", "medium", "high", "auto"}
EXTENDED_QUALITIES = GPT_IMAGE_QUALITIES | {"xhigh", "max"}
STANDARD_SIZES = {"1024x1024", "1536x1024", "1024x1536", "auto"}
CHAT_FIELDS = {
    "model",
    "messages",
    "response_format",
    "reasoning_effort",
    "max_completion_tokens",
    "max_tokens",
    "temperature",
    "top_p",
    "n",
    "seed",
    "stream",
    "user",
    "safety_identifier",
    "metadata",
    "store",
    "service_tier",
}
MESSAGE_ROLES = {"system", "developer", "user", "assistant"}
SCHEMA_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
DATA_URL = re.compile(r"^data:(image/(?:png|jpeg|webp|gif));base64,(.+)$", re.DOTALL)


# --------------------------------------------------------------------------------------------
# Scripted replies
# --------------------------------------------------------------------------------------------


@dataclass
class Reply:
    """One programmed answer. Success unless `status` >= 400 (then `error` is the body)."""

    status: int = 200
    error: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Chat: the assistant message content (None means a valid story).
    content: str | None = None
    refusal: str | None = None
    finish_reason: str = "stop"
    # Images: how many to return (None means `n`), and an override of the rendered size.
    image_count: int | None = None
    image_size: tuple[int, int] | None = None
    # Sleep before answering, to make the client time out.
    delay: float = 0.0
    # Streamed images: sleep after each partial image (a client can watch them arrive).
    partial_delay: float = 0.0


def error_reply(
    status: int,
    message: str,
    *,
    type: str | None = None,
    code: str | None = None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """An error in the real shape: `{"error": {"message", "type", "param", "code"}}`."""
    default_type = {
        400: "invalid_request_error",
        401: "invalid_request_error",
        403: "invalid_request_error",
        404: "invalid_request_error",
        429: "requests",
    }.get(status, "server_error")
    return Reply(
        status=status,
        error={"message": message, "type": type or default_type, "param": param, "code": code},
        headers=headers or {},
    )


def rate_limited(retry_after: float | None = None) -> Reply:
    headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
    return error_reply(
        429,
        "Rate limit reached for requests. Please try again in 1ms.",
        code="rate_limit_exceeded",
        headers=headers,
    )


def server_error() -> Reply:
    return error_reply(
        500, "The server had an error while processing your request. Sorry about that!"
    )


def content_policy_violation() -> Reply:
    return error_reply(
        400,
        "Your request was rejected as a result of our safety system. Your request may contain "
        "content that is not allowed by our safety system.",
        code="content_policy_violation",
        param=None,
        type="image_generation_user_error",
    )


KEYWORDS = [
    "minimal",
    "modern",
    "scandinavian",
    "curved",
    "angular",
    "layered",
    "oak",
    "walnut",
    "steel",
    "brushed",
    "velvet",
    "organic",
    "sculptural",
    "linen",
]


def story_json(keywords: int | list[str] = 12, paragraphs: int = 2, **overrides: Any) -> str:
    """A story reply as the model would send it; `keywords=11` makes a too-short list."""
    words = KEYWORDS[:keywords] if isinstance(keywords, int) else keywords
    story = "\n\n".join(
        f"Paragraph {index + 1} about the chair's inspiration and form."
        for index in range(paragraphs)
    )
    payload: dict[str, Any] = {
        "name": "Nordic Oak Lounge Chair",
        "furniture_type": "lounge_chair",
        "dimensions": {"width_cm": 72, "depth_cm": 80, "height_cm": 76, "seat_height_cm": 40},
        "material": "Solid oak frame, brushed steel legs",
        "title": "Scandinavian Simplicity Meets Organic Form",
        "story": story,
        "keywords": words,
    }
    payload.update(overrides)
    return json.dumps(payload)


KEYWORDS_KO = [
    "미니멀",
    "모던",
    "스칸디나비안",
    "곡선형",
    "각진",
    "레이어드",
    "오크",
    "월넛",
    "스틸",
    "브러시드",
    "벨벳",
    "유기적",
    "조각적",
    "리넨",
]


def story_json_ko(keywords: int | list[str] = 12, paragraphs: int = 2, **overrides: Any) -> str:
    """A Korean story reply, as a model asked for `language: "ko"` sends it."""
    story = "\n\n".join(
        f"{index + 1}번째 문단은 이 의자의 영감과 형태, 그리고 오크와 스틸의 쓰임을 이야기한다."
        for index in range(paragraphs)
    )
    payload: dict[str, Any] = {
        "name": "노르딕 오크 라운지 체어",
        "furniture_type": "lounge_chair",
        "dimensions": {"width_cm": 72, "depth_cm": 80, "height_cm": 76, "seat_height_cm": 40},
        "material": "오크 원목 프레임, 브러시드 스틸 다리",
        "title": "스칸디나비아의 단순함과 유기적 형태의 만남",
        "story": story,
        "keywords": KEYWORDS[:keywords] if isinstance(keywords, int) else keywords,
        "keywords_display": KEYWORDS_KO[: keywords if isinstance(keywords, int) else 12],
        "language": "ko",
    }
    payload.update(overrides)
    return json.dumps(payload, ensure_ascii=False)


def requested_language(body: dict[str, Any]) -> str | None:
    """The language a chat request's structured-output schema asks for (its `language` enum)."""
    response_format = body.get("response_format") or {}
    schema = (response_format.get("json_schema") or {}).get("schema") or {}
    enum = (schema.get("properties") or {}).get("language", {}).get("enum") or [None]
    return enum[0] if isinstance(enum[0], str) else None


def chat_reply(content: str) -> Reply:
    return Reply(content=content)


# --------------------------------------------------------------------------------------------
# Recorded requests
# --------------------------------------------------------------------------------------------


@dataclass
class RecordedFile:
    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: list[RecordedFile] = field(default_factory=list)
    # What the fake answered.
    status: int = 0


@dataclass
class FakeModel:
    id: str
    shutdown_date: str | None = None
    owned_by: str = "system"
    # Whether the entry carries the `shutdown_date` key at all (older APIs do not).
    include_shutdown_date: bool = True


@dataclass
class Script:
    """Queues of programmed replies; an empty queue answers with a success."""

    images: deque[Reply] = field(default_factory=deque)
    chat: deque[Reply] = field(default_factory=deque)
    models: list[FakeModel] = field(
        default_factory=lambda: [
            FakeModel("gpt-image-2.6-flare"),
            FakeModel("gpt-image-2.6-sunburst"),
            FakeModel("gpt-image-2", shutdown_date="2027-02-10"),
            FakeModel("gpt-6-luna"),
            FakeModel("gpt-5-mini", shutdown_date="2026-12-11"),
        ]
    )


class FakeOpenAI:
    """The running fake: `base_url`, `api_key`, `script` to program, `requests` to inspect."""

    def __init__(self, base_url: str, api_key: str, script: Script) -> None:
        self.base_url = base_url
        self.api_key = api_key
        self.script = script
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def queue_images(self, *replies: Reply) -> None:
        self.script.images.extend(replies)

    def queue_chat(self, *replies: Reply) -> None:
        self.script.chat.extend(replies)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Requests to one path, e.g. "/v1/images/edits", in arrival order."""
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


class _Rejected(Exception):
    def __init__(
        self, status: int, message: str, param: str | None = None, code: str | None = None
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code


def _error_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _reject(error: _Rejected) -> JSONResponse:
    return _error_response(
        error.status,
        {
            "message": error.message,
            "type": "invalid_request_error",
            "param": error.param,
            "code": error.code,
        },
    )


# --------------------------------------------------------------------------------------------
# Validation, as the real API does it
# --------------------------------------------------------------------------------------------


def _check_auth(request: Request, api_key: str) -> None:
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer "):
        raise _Rejected(
            401,
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        )
    if header.removeprefix("Bearer ") != api_key:
        raise _Rejected(401, "Incorrect API key provided.", code="invalid_api_key")


def _int_field(form: dict[str, str], name: str, low: int, high: int) -> int | None:
    if name not in form:
        return None
    try:
        value = int(form[name])
    except ValueError:
        raise _Rejected(
            400, f"Invalid type for '{name}': expected an integer.", name, "invalid_type"
        ) from None
    if not low <= value <= high:
        below = value < low
        raise _Rejected(
            400,
            f"Invalid '{name}': integer {'below minimum' if below else 'above maximum'} value. "
            f"Expected a value {'>=' if below else '<='} {low if below else high}, "
            f"but got {value} instead.",
            name,
            "integer_below_min_value" if value < low else "integer_above_max_value",
        )
    return value


def _check_size(model: str, size: str) -> None:
    if model.startswith("dall-e-2"):
        if size not in {"256x256", "512x512", "1024x1024"}:
            raise _Rejected(400, f"Invalid value: '{size}'.", "size", "invalid_value")
        return
    if size in STANDARD_SIZES:
        return
    match = re.fullmatch(r"(\d+)x(\d+)", size)
    if not match or any(int(side) % 16 for side in match.groups()):
        raise _Rejected(
            400,
            f"Invalid value: '{size}'. Supported values are: '1024x1024', '1024x1536', "
            "'1536x1024', and 'auto', or WIDTHxHEIGHT with both sides divisible by 16.",
            "size",
            "invalid_value",
        )


def _check_mask(mask: RecordedFile, first_image: RecordedFile) -> None:
    """As OpenAI documents: a PNG with an alpha channel, the first image's size."""
    _check_overlay(mask, first_image, "mask")


def _check_overlay(mask: RecordedFile, first_image: RecordedFile, name: str) -> None:
    """A mask or a markup: a PNG with an alpha channel, the first image's size."""
    try:
        with (
            Image.open(io.BytesIO(mask.data)) as probe,
            Image.open(io.BytesIO(first_image.data)) as image,
        ):
            mask_format, mask_size, bands = probe.format, probe.size, probe.getbands()
            image_size = image.size
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise _Rejected(400, f"Invalid {name} image file.", name, "invalid_image") from None
    if mask_format != "PNG" or "A" not in bands:
        raise _Rejected(400, f"Invalid {name}: must be a PNG with an alpha channel.", name)
    if mask_size != image_size:
        raise _Rejected(
            400,
            f"Invalid {name}: must have the same dimensions as the image.",
            name,
            "invalid_value",
        )


def _validate_image_edit(form: dict[str, str], files: list[RecordedFile]) -> dict[str, Any]:
    for name in form:
        if name not in IMAGE_EDIT_FIELDS:
            raise _Rejected(400, f"Unknown parameter: '{name}'.", name, "unknown_parameter")
    for name in ("model", "prompt"):
        if not form.get(name, "").strip():
            raise _Rejected(
                400, f"Missing required parameter: '{name}'.", name, "missing_required_parameter"
            )
    model = form["model"]
    images = [item for item in files if item.field in {"image", "image[]"}]
    unknown_files = [
        item.field for item in files if item.field not in {"image", "image[]", "mask", "markup"}
    ]
    if unknown_files:
        raise _Rejected(
            400, f"Unknown parameter: '{unknown_files[0]}'.", unknown_files[0], "unknown_parameter"
        )
    if not images:
        raise _Rejected(
            400, "Missing required parameter: 'image'.", "image", "missing_required_parameter"
        )
    dall_e_2 = model.startswith("dall-e-2")
    if len(images) > (1 if dall_e_2 else 16):
        raise _Rejected(400, f"Too many images: {len(images)}.", "image", "invalid_value")
    for item in images:
        if item.content_type not in IMAGE_CONTENT_TYPES:
            raise _Rejected(
                400,
                f"Invalid file '{item.field}': unsupported mimetype ('{item.content_type}'). "
                "Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
                item.field,
                "unsupported_file_mimetype",
            )
        try:
            with Image.open(io.BytesIO(item.data)) as probe:
                probe.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise _Rejected(
                400, "Invalid image file or mode for image.", item.field, "invalid_image"
            ) from None
    masks = [item for item in files if item.field == "mask"]
    if masks:
        _check_mask(masks[0], images[0])
    markups = [item for item in files if item.field == "markup"]
    if markups:
        # As the SDK documents it: 2.5 and 2.6 take it, never with a mask.
        if not re.match(r"gpt-image-2\.[5-9]", model):
            raise _Rejected(
                400, f"The model '{model}' does not support 'markup'.", "markup", "invalid_value"
            )
        if masks:
            raise _Rejected(400, "'markup' cannot be combined with 'mask'.", "markup")
        _check_overlay(markups[0], images[0], "markup")
    if "complexity" in form:
        if not re.match(r"gpt-image-2\.[6-9]", model):
            raise _Rejected(
                400,
                f"The model '{model}' does not support the 'complexity' parameter.",
                "complexity",
                "unknown_parameter",
            )
        if form["complexity"] not in {"low", "medium", "high"}:
            raise _Rejected(
                400, f"Invalid value: '{form['complexity']}'.", "complexity", "invalid_value"
            )
    n = _int_field(form, "n", 1, 10) or 1
    size = form.get("size", "auto" if not dall_e_2 else "1024x1024")
    _check_size(model, size)
    if dall_e_2:
        for name in ("quality", "output_format", "output_compression"):
            if name in form:
                raise _Rejected(400, f"Unknown parameter: '{name}'.", name, "unknown_parameter")
    elif "response_format" in form:
        raise _Rejected(
            400, "Unknown parameter: 'response_format'.", "response_format", "unknown_parameter"
        )
    qualities = (
        EXTENDED_QUALITIES if re.match(r"gpt-image-2\.[5-9]", model) else GPT_IMAGE_QUALITIES
    )
    if "input_fidelity" in form:
        # As OpenAI answers: gpt-image-1 and 1.5 take it; 1-mini, 2 and later refuse it.
        if not re.match(r"gpt-image-1(\.5)?(-\d{4}-\d{2}-\d{2})?$", model):
            raise _Rejected(
                400,
                f"The model '{model}' does not support the 'input_fidelity' parameter.",
                "input_fidelity",
                "invalid_input_fidelity_model",
            )
        if form["input_fidelity"] not in {"high", "low"}:
            raise _Rejected(
                400,
                f"Invalid value: '{form['input_fidelity']}'.",
                "input_fidelity",
                "invalid_value",
            )
    if "quality" in form and form["quality"] not in qualities:
        raise _Rejected(400, f"Invalid value: '{form['quality']}'.", "quality", "invalid_value")
    output_format = form.get("output_format", "png")
    if output_format not in {"png", "jpeg", "webp"}:
        raise _Rejected(400, f"Invalid value: '{output_format}'.", "output_format", "invalid_value")
    compression = _int_field(form, "output_compression", 0, 100)
    if compression is not None and output_format == "png":
        raise _Rejected(
            400,
            "Compression less than 100 is not supported for PNG output format.",
            "output_compression",
            "invalid_value",
        )
    stream = form.get("stream", "false")
    if stream not in {"true", "false"}:
        raise _Rejected(400, f"Invalid value: '{stream}'.", "stream", "invalid_value")
    partial_images = _int_field(form, "partial_images", 0, 3)
    if stream == "true" and dall_e_2:
        raise _Rejected(400, "Streaming is not supported for dall-e-2.", "stream", "invalid_value")
    if size == "auto":
        size = "1024x1024"
    width, height = (int(side) for side in size.split("x"))
    return {
        "stream": stream == "true",
        "partial_images": partial_images or 0,
        "model": model,
        "n": n,
        "width": width,
        "height": height,
        "output_format": output_format,
        "compression": compression,
        "image_count": len(images),
        "prompt": form["prompt"],
        "dall_e_2": dall_e_2,
    }


def _check_strict_schema(schema: Any, context: str, defs: dict[str, Any]) -> None:
    """Structured outputs' strict rules: closed objects, every property required."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/$defs/") or ref.removeprefix("#/$defs/") not in defs:
                raise _Rejected(
                    400, f"Invalid schema: reference {ref} can't be resolved.", "response_format"
                )
        if schema.get("type") == "object":
            properties = schema.get("properties", {})
            if schema.get("additionalProperties") is not False:
                raise _Rejected(
                    400,
                    f"Invalid schema for response_format: In context=({context}), "
                    "'additionalProperties' is required to be supplied and to be false.",
                    "response_format",
                    "invalid_json_schema",
                )
            missing = [key for key in properties if key not in schema.get("required", [])]
            if missing:
                raise _Rejected(
                    400,
                    f"Invalid schema for response_format: In context=({context}), 'required' is "
                    "required to be supplied and to be an array including every key in "
                    f"properties. Missing '{missing[0]}'.",
                    "response_format",
                    "invalid_json_schema",
                )
            for key, value in properties.items():
                _check_strict_schema(value, f"{context}, '{key}'" if context else f"'{key}'", defs)
        if schema.get("type") == "array" and "items" in schema:
            _check_strict_schema(schema["items"], f"{context}, 'items'", defs)
        for key in ("anyOf", "allOf"):
            for option in schema.get(key, []):
                _check_strict_schema(option, context, defs)
        for name, value in schema.get("$defs", {}).items():
            _check_strict_schema(value, f"'$defs', '{name}'", defs)


def _validate_chat(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise _Rejected(400, "We could not parse the JSON body of your request.")
    for name in body:
        if name not in CHAT_FIELDS:
            raise _Rejected(
                400, f"Unrecognized request argument supplied: {name}", name, "unknown_parameter"
            )
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _Rejected(
            400, "Missing required parameter: 'model'.", "model", "missing_required_parameter"
        )
    reasoning = model.startswith(("gpt-5", "gpt-6", "o1", "o3", "o4"))
    if reasoning and "max_tokens" in body:
        raise _Rejected(
            400,
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
            "'max_completion_tokens' instead.",
            "max_tokens",
            "unsupported_parameter",
        )
    if reasoning and body.get("temperature") not in (None, 1):
        raise _Rejected(
            400,
            "Unsupported value: 'temperature' does not support this value with this model. "
            "Only the default (1) value is supported.",
            "temperature",
            "unsupported_value",
        )
    if "reasoning_effort" in body and body["reasoning_effort"] not in {
        "none",
        "minimal",
        "low",
        "medium",
        "high",
        "xhigh",
        "max",
    }:
        raise _Rejected(
            400, "Invalid value for 'reasoning_effort'.", "reasoning_effort", "invalid_value"
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _Rejected(
            400,
            "Invalid 'messages': empty array. Expected an array with minimum length 1.",
            "messages",
        )
    images = 0
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict) or message.get("role") not in MESSAGE_ROLES:
            raise _Rejected(
                400, f"Invalid value for '{where}.role'.", f"{where}.role", "invalid_value"
            )
        content = message.get("content")
        if isinstance(content, str):
            continue
        if not isinstance(content, list) or not content:
            raise _Rejected(
                400, f"Invalid type for '{where}.content'.", f"{where}.content", "invalid_type"
            )
        for part_index, part in enumerate(content):
            part_where = f"{where}.content[{part_index}]"
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text":
                if not isinstance(part.get("text"), str):
                    raise _Rejected(
                        400,
                        f"Missing required parameter: '{part_where}.text'.",
                        f"{part_where}.text",
                    )
            elif kind == "image_url":
                if message["role"] != "user":
                    raise _Rejected(
                        400,
                        f"Invalid '{part_where}': image content parts are only allowed in "
                        "user messages.",
                        part_where,
                    )
                image_url = part.get("image_url")
                url = image_url.get("url") if isinstance(image_url, dict) else None
                if not isinstance(url, str):
                    raise _Rejected(
                        400,
                        f"Missing required parameter: '{part_where}.image_url.url'.",
                        part_where,
                    )
                match = DATA_URL.match(url)
                if match:
                    try:
                        data = base64.b64decode(match.group(2), validate=True)
                        with Image.open(io.BytesIO(data)) as probe:
                            probe.verify()
                    except (
                        binascii.Error,
                        ValueError,
                        UnidentifiedImageError,
                        OSError,
                        SyntaxError,
                    ):
                        raise _Rejected(
                            400,
                            "You uploaded an unsupported image. Please make sure your image is "
                            "valid.",
                            part_where,
                            "invalid_image_format",
                        ) from None
                elif not url.startswith(("http://", "https://")):
                    raise _Rejected(
                        400,
                        f"Invalid image URL: '{part_where}.image_url.url'.",
                        part_where,
                        "invalid_image_url",
                    )
                detail = image_url.get("detail") if isinstance(image_url, dict) else None
                if detail not in (None, "auto", "low", "high"):
                    raise _Rejected(400, "Invalid value for 'detail'.", part_where, "invalid_value")
                images += 1
            else:
                raise _Rejected(
                    400,
                    f"Invalid value: '{kind}'. Supported values are: 'text', 'image_url'.",
                    f"{part_where}.type",
                )
    response_format = body.get("response_format")
    if response_format is not None:
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind == "json_schema":
            spec = response_format.get("json_schema")
            if not isinstance(spec, dict) or not SCHEMA_NAME.match(str(spec.get("name", ""))):
                raise _Rejected(
                    400,
                    "Invalid 'response_format.json_schema.name'.",
                    "response_format.json_schema.name",
                )
            schema = spec.get("schema")
            if not isinstance(schema, dict) or schema.get("type") != "object":
                raise _Rejected(
                    400,
                    "Invalid schema for response_format: schema must be a JSON Schema of "
                    "'type: \"object\"'.",
                    "response_format",
                )
            if spec.get("strict") is True:
                _check_strict_schema(schema, "", schema.get("$defs", {}))
        elif kind not in {"text", "json_object"}:
            raise _Rejected(
                400, f"Invalid value: '{kind}'.", "response_format.type", "invalid_value"
            )
    return {"model": model, "images": images}


# --------------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------------


def render_design(
    width: int, height: int, index: int, output_format: str, compression: int | None
) -> bytes:
    """A real image, different per index, so clients can tell designs apart."""
    palette = [(184, 140, 92), (70, 90, 110), (150, 60, 50), (90, 120, 80), (200, 190, 170)]
    image = Image.new("RGB", (width, height), (238, 236, 230))
    draw = ImageDraw.Draw(image)
    colour = palette[index % len(palette)]
    w, h = width, height
    draw.rectangle((w * 0.3, h * 0.45, w * 0.7, h * 0.55), fill=colour)  # seat
    draw.rectangle((w * 0.3, h * 0.2, w * 0.36, h * 0.45), fill=colour)  # back
    for x in (0.3, 0.64):
        draw.rectangle((w * x, h * 0.55, w * (x + 0.06), h * 0.8), fill=colour)  # legs
    out = io.BytesIO()
    fmt = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[output_format]
    quality = compression if compression is not None else 95
    image.save(out, format=fmt, **({"quality": max(1, quality)} if fmt != "PNG" else {}))
    return out.getvalue()


def render_partial(
    width: int, height: int, index: int, step: int, output_format: str, compression: int | None
) -> bytes:
    """A partial image as the stream sends it: the design at full size, coarser the earlier."""
    final = Image.open(io.BytesIO(render_design(width, height, index, "png", None)))
    coarse = max(8, width // (32 >> min(step, 4)))
    image = final.resize((coarse, coarse)).resize((width, height), Image.Resampling.NEAREST)
    out = io.BytesIO()
    fmt = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[output_format]
    quality = compression if compression is not None else 95
    image.save(out, format=fmt, **({"quality": max(1, quality)} if fmt != "PNG" else {}))
    return out.getvalue()


def _image_usage(params: dict[str, Any], count: int) -> dict[str, Any]:
    text_tokens = max(1, len(params["prompt"]) // 4)
    image_tokens = 323 * params["image_count"]
    # Each partial image costs 100 output tokens more, as OpenAI prices them.
    output_tokens = 272 * count + 100 * params.get("partial_images", 0)
    return {
        "input_tokens": text_tokens + image_tokens,
        "input_tokens_details": {"text_tokens": text_tokens, "image_tokens": image_tokens},
        "output_tokens": output_tokens,
        "total_tokens": text_tokens + image_tokens + output_tokens,
    }


def _image_stream(
    params: dict[str, Any],
    entry: RecordedRequest,
    reply: Reply,
    count: int,
    width: int,
    height: int,
    fmt: str,
) -> Response:
    """`stream=true`: server-sent events as the API sends them, `image_edit.partial_image`
    (`partial_images` of them, `partial_image_index` from 0) then `image_edit.completed` with
    the usage, for each image."""
    common = {
        "background": "opaque",
        "output_format": fmt,
        "quality": entry.form.get("quality", "auto"),
        "size": f"{width}x{height}",
    }

    async def events() -> Any:
        for index in range(count):
            for step in range(params["partial_images"]):
                data = render_partial(width, height, index, step, fmt, params["compression"])
                payload = {
                    "type": "image_edit.partial_image",
                    "b64_json": base64.b64encode(data).decode(),
                    "created_at": int(time.time()),
                    "partial_image_index": step,
                    **common,
                }
                yield f"event: image_edit.partial_image\ndata: {json.dumps(payload)}\n\n"
                if reply.partial_delay:
                    await asyncio.sleep(reply.partial_delay)
            data = render_design(width, height, index, fmt, params["compression"])
            payload = {
                "type": "image_edit.completed",
                "b64_json": base64.b64encode(data).decode(),
                "created_at": int(time.time()),
                "usage": _image_usage(params, 1),
                **common,
            }
            yield f"event: image_edit.completed\ndata: {json.dumps(payload)}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream", headers=reply.headers)


def _build_app(fake: FakeOpenAI) -> Starlette:
    async def recorded(request: Request) -> RecordedRequest:
        entry = RecordedRequest(
            method=request.method,
            path=request.url.path,
            headers={key.lower(): value for key, value in request.headers.items()},
        )
        fake._record(entry)
        return entry

    async def answer(entry: RecordedRequest, response: Response) -> Response:
        entry.status = response.status_code
        return response

    async def image_edits(request: Request) -> Response:
        entry = await recorded(request)
        try:
            _check_auth(request, fake.api_key)
            content_type = request.headers.get("content-type", "")
            if not content_type.startswith("multipart/form-data"):
                raise _Rejected(
                    400,
                    "Invalid Content-Type header (application/json), expected multipart/form-data.",
                )
            async with request.form(max_files=64, max_fields=64) as form:
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        entry.files.append(
                            RecordedFile(
                                key, value.filename, value.content_type, await value.read()
                            )
                        )
                    else:
                        entry.form[key] = value
            params = _validate_image_edit(entry.form, entry.files)
        except _Rejected as error:
            return await answer(entry, _reject(error))
        reply = fake.script.images.popleft() if fake.script.images else Reply()
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status >= 400:
            return await answer(
                entry, _error_response(reply.status, reply.error or {}, reply.headers)
            )
        count = params["n"] if reply.image_count is None else reply.image_count
        width, height = reply.image_size or (params["width"], params["height"])
        fmt = "png" if params["dall_e_2"] else params["output_format"]
        if params["stream"]:
            return await answer(
                entry, _image_stream(params, entry, reply, count, width, height, fmt)
            )
        data = [
            {
                "b64_json": base64.b64encode(
                    render_design(width, height, index, fmt, params["compression"])
                ).decode()
            }
            for index in range(count)
        ]
        body: dict[str, Any] = {"created": int(time.time()), "data": data}
        if not params["dall_e_2"]:
            text_tokens = max(1, len(params["prompt"]) // 4)
            image_tokens = 323 * params["image_count"]
            output_tokens = 272 * count
            body.update(
                background="opaque",
                output_format=fmt,
                quality=entry.form.get("quality", "auto"),
                size=f"{width}x{height}",
                usage={
                    "input_tokens": text_tokens + image_tokens,
                    "input_tokens_details": {
                        "text_tokens": text_tokens,
                        "image_tokens": image_tokens,
                    },
                    "output_tokens": output_tokens,
                    "total_tokens": text_tokens + image_tokens + output_tokens,
                },
            )
        return await answer(entry, JSONResponse(body, headers=reply.headers))

    async def chat_completions(request: Request) -> Response:
        entry = await recorded(request)
        try:
            _check_auth(request, fake.api_key)
            try:
                entry.json = json.loads(await request.body())
            except json.JSONDecodeError:
                raise _Rejected(400, "We could not parse the JSON body of your request.") from None
            params = _validate_chat(entry.json)
        except _Rejected as error:
            return await answer(entry, _reject(error))
        reply = fake.script.chat.popleft() if fake.script.chat else Reply()
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status >= 400:
            return await answer(
                entry, _error_response(reply.status, reply.error or {}, reply.headers)
            )
        content = (
            None
            if reply.refusal
            else (
                reply.content
                if reply.content is not None
                # Like a real model, the default answer is in the language the schema asks for.
                else story_json_ko()
                if requested_language(entry.json) == "ko"
                else story_json()
            )
        )
        prompt_tokens = 120 + 85 * params["images"] + 40 * (len(entry.json["messages"]) - 2)
        completion_tokens = max(1, len(content or reply.refusal or "") // 4)
        body = {
            "id": f"chatcmpl-fake{len(fake.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": params["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": reply.refusal},
                    "logprobs": None,
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "completion_tokens_details": {"reasoning_tokens": 0},
            },
        }
        return await answer(entry, JSONResponse(body, headers=reply.headers))

    def model_entry(model: FakeModel) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": model.id,
            "object": "model",
            "created": 1_750_000_000,
            "owned_by": model.owned_by,
        }
        if model.include_shutdown_date:
            entry["shutdown_date"] = model.shutdown_date
        return entry

    async def list_models(request: Request) -> Response:
        entry = await recorded(request)
        try:
            _check_auth(request, fake.api_key)
        except _Rejected as error:
            return await answer(entry, _reject(error))
        data = [model_entry(model) for model in fake.script.models]
        return await answer(entry, JSONResponse({"object": "list", "data": data}))

    async def retrieve_model(request: Request) -> Response:
        entry = await recorded(request)
        try:
            _check_auth(request, fake.api_key)
        except _Rejected as error:
            return await answer(entry, _reject(error))
        wanted = request.path_params["model"]
        for model in fake.script.models:
            if model.id == wanted:
                return await answer(entry, JSONResponse(model_entry(model)))
        return await answer(
            entry,
            _reject(
                _Rejected(404, f"The model '{wanted}' does not exist", "model", "model_not_found")
            ),
        )

    return Starlette(
        routes=[
            Route("/v1/images/edits", image_edits, methods=["POST"]),
            Route("/v1/chat/completions", chat_completions, methods=["POST"]),
            Route("/v1/models", list_models, methods=["GET"]),
            Route("/v1/models/{model:path}", retrieve_model, methods=["GET"]),
        ]
    )


@contextmanager
def running_fake_openai(
    api_key: str = DEFAULT_API_KEY, script: Script | None = None
) -> Iterator[FakeOpenAI]:
    """Serve the fake on 127.0.0.1:<free port> in a background thread for the `with` block."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    fake = FakeOpenAI(f"http://127.0.0.1:{port}/v1", api_key, script or Script())
    config = uvicorn.Config(
        _build_app(fake), log_level="warning", access_log=False, lifespan="off", loop="asyncio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the fake OpenAI server did not start")
        time.sleep(0.01)
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
