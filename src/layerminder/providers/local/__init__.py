"""Offline `local` providers: procedural seat renders and a pixel-derived story, deterministic."""

from layerminder.providers.local.designs import (
    JPEG_QUALITY,
    LocalImageProvider,
    render_brief,
    render_designs,
    render_seat,
)
from layerminder.providers.local.forms import SEAT_FORMS
from layerminder.providers.local.proportions import Proportions, keyword_proportions
from layerminder.providers.local.reading import DesignReading, read_design
from layerminder.providers.local.story import LocalStoryProvider, write_story
from layerminder.providers.local.vocabulary import colour_name

__all__ = [
    "JPEG_QUALITY",
    "SEAT_FORMS",
    "DesignReading",
    "LocalImageProvider",
    "LocalStoryProvider",
    "Proportions",
    "colour_name",
    "keyword_proportions",
    "read_design",
    "render_brief",
    "render_designs",
    "render_seat",
    "write_story",
]
