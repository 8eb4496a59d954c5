"""The one place image and story providers are chosen from settings."""

from __future__ import annotations

import importlib
from typing import Any

from layerminder.config import Settings
from layerminder.providers.base import ImageProvider, StoryProvider


def _load_plugin(path: str, settings: Settings) -> Any:
    module_name, _, class_name = path.partition(":")
    if not class_name:
        raise ValueError(
            f"unknown provider {path!r}: use 'local', 'openai' or 'package.module:Class'"
        )
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(settings)


def build_image_provider(settings: Settings) -> ImageProvider:
    if settings.image_provider == "local":
        from layerminder.providers.local import LocalImageProvider

        return LocalImageProvider()
    if settings.image_provider == "openai":
        from layerminder.providers.openai import OpenAIImageProvider

        return OpenAIImageProvider(settings)
    provider: ImageProvider = _load_plugin(settings.image_provider, settings)
    return provider


def build_story_provider(settings: Settings) -> StoryProvider:
    if settings.story_provider == "local":
        from layerminder.providers.local import LocalStoryProvider

        return LocalStoryProvider()
    if settings.story_provider == "openai":
        from layerminder.providers.openai import OpenAIStoryProvider

        return OpenAIStoryProvider(settings)
    provider: StoryProvider = _load_plugin(settings.story_provider, settings)
    return provider
