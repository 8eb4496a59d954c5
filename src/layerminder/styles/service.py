"""Looking styles up, and their preview renders (made offline, once per process)."""

from __future__ import annotations

import asyncio
import functools
import io

from PIL import Image

from layerminder.errors import InvalidRequest, NotFound
from layerminder.providers.base import Brief
from layerminder.providers.local import render_brief
from layerminder.styles.catalogue import STYLES, STYLES_BY_ID, Style

PREVIEW_SIZE = 384


def list_styles() -> tuple[Style, ...]:
    return STYLES


def get_style(style_id: str) -> Style:
    style = STYLES_BY_ID.get(style_id)
    if style is None:
        raise NotFound(f"no style {style_id!r}")
    return style


def style_for_brief(style_id: str | None) -> Style | None:
    """The style a generate request names; an unknown id is the request's fault (422)."""
    if style_id is None:
        return None
    style = STYLES_BY_ID.get(style_id)
    if style is None:
        known = ", ".join(s.id for s in STYLES)
        raise InvalidRequest(f"unknown style {style_id!r}; GET /api/v1/styles lists them: {known}")
    return style


@functools.cache
def _render_preview(style_id: str) -> bytes:
    # Deterministic: the same style always renders the same bytes, so caching per process is
    # as good as shipping files, and nothing is downloaded.
    style = STYLES_BY_ID[style_id]
    design = render_brief(Brief(inputs=(), style=style.cue), count=1, size=PREVIEW_SIZE)[0]
    with Image.open(io.BytesIO(design)) as image:
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=82)
    return out.getvalue()


async def preview_jpeg(style_id: str) -> bytes:
    get_style(style_id)
    return await asyncio.to_thread(_render_preview, style_id)
