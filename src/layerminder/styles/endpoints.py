"""Styles: the curated list a brief can start from, and each style's preview image."""

from __future__ import annotations

from fastapi import APIRouter, Response

from layerminder.errors import NotFound, responses
from layerminder.styles import service
from layerminder.styles.schemas import StyleList, StyleOut

router = APIRouter(prefix="/api/v1", tags=["styles"])


@router.get("/styles")
async def list_styles() -> StyleList:
    """The curated furniture styles, in English and Korean; public, like a catalogue."""
    return StyleList(items=[StyleOut.from_model(style) for style in service.list_styles()])


@router.get(
    "/styles/{style_id}/preview.jpg",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}, **responses(NotFound)},
)
async def style_preview(style_id: str) -> Response:
    """A small render of the style by the offline provider (made once per process)."""
    data = await service.preview_jpeg(style_id)
    return Response(
        data, media_type="image/jpeg", headers={"Cache-Control": "public, max-age=86400"}
    )
