"""Settings pointed at the fake OpenAI server, and small encoded test images."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from layerminder.config import Settings
from tests.fakes.openai_server import FakeOpenAI


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
