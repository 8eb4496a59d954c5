"""OpenAI (or OpenAI-compatible) image and story providers, with retries and model checks."""

from layerminder.providers.openai.client import PROVIDER_NAME, call_with_retries, make_client
from layerminder.providers.openai.images import OpenAIImageProvider, to_design_jpeg
from layerminder.providers.openai.model_checks import ModelCheck, check_models
from layerminder.providers.openai.models import (
    Deprecation,
    ImageModelCapabilities,
    check_image_quality,
    deprecation_of,
    image_model_capabilities,
)
from layerminder.providers.openai.pricing import chat_cost_microusd, image_cost_microusd
from layerminder.providers.openai.prompts import DEFAULT_STYLE, build_design_prompt, strength_word
from layerminder.providers.openai.story import (
    OpenAIStoryProvider,
    StoryOutput,
    build_story_prompt,
    parse_story,
    story_response_format,
)

__all__ = [
    "DEFAULT_STYLE",
    "PROVIDER_NAME",
    "Deprecation",
    "ImageModelCapabilities",
    "ModelCheck",
    "OpenAIImageProvider",
    "OpenAIStoryProvider",
    "StoryOutput",
    "build_design_prompt",
    "build_story_prompt",
    "call_with_retries",
    "chat_cost_microusd",
    "check_image_quality",
    "check_models",
    "deprecation_of",
    "image_cost_microusd",
    "image_model_capabilities",
    "make_client",
    "parse_story",
    "story_response_format",
    "strength_word",
    "to_design_jpeg",
]
