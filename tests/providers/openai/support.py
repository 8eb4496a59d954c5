"""Settings and a server process pointed at the fake OpenAI server, and small encoded test
images."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

from layerminder.config import Settings
from tests.fakes.openai_server import FakeOpenAI
from tests.live import LiveServer, server_env, start_server

IMAGE_MODEL = "gpt-image-2"
STORY_MODEL = "gpt-6-luna"


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


def start_openai_server(fake: FakeOpenAI, root: Path, *, image_previews: int) -> LiveServer:
    """A LayerMinder server process (SQLite under `root`, the library seeded) whose image and
    story providers are OpenAI's, pointed at `fake`. The caller stops it."""
    env = server_env(
        root / "data",
        f"sqlite+aiosqlite:///{root / 'lm.db'}",
        seed_library="true",
        image_provider="openai",
        story_provider="openai",
        openai_api_key=fake.api_key,
        openai_base_url=fake.base_url,
        image_model=IMAGE_MODEL,
        story_model=STORY_MODEL,
        openai_timeout_seconds="10",
        openai_max_attempts="3",
        # The backoff scales from this budget: waits of a few tens of milliseconds.
        openai_max_retry_seconds="0.5",
        image_previews=str(image_previews),
    )
    # Nothing from the developer's shell may reach the real API.
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        env.pop(name, None)
    return start_server(env, root / "server.log")
