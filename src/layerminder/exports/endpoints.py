"""Export routes: a record's spec sheet (PDF, JSON-LD, zip), a room's zip, a public record's."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.auth.dependencies import CurrentUser
from layerminder.deps import RuntimeDep, SessionDep
from layerminder.errors import Conflict, NotAuthenticated, NotFound, responses
from layerminder.exports import service
from layerminder.exports.service import MEDIA_TYPES, Export, ExportFormat
from layerminder.models import Record
from layerminder.records import service as records
from layerminder.rooms import service as rooms
from layerminder.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["exports"])


def _binary(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """A 200 whose body is a file of one of these media types (for the OpenAPI spec)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": dict.fromkeys(media_types, binary)}}


_FILES = _binary("The file, as an attachment", *MEDIA_TYPES.values())
_ZIP = _binary("A zip: one folder per record with designs", MEDIA_TYPES[ExportFormat.zip])

FormatQuery = Annotated[ExportFormat, Query(alias="format", description="pdf, zip or json")]
DesignQuery = Annotated[
    int, Query(ge=0, le=3, description="The design printed large (position 0-3)")
]


def _download(export: Export) -> Response:
    # An ASCII name for old clients, the exact one (RFC 6266 / 5987) for the rest.
    disposition = (
        f'attachment; filename="{export.ascii_filename}"; '
        f"filename*=UTF-8''{quote(export.filename)}"
    )
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


async def _record_download(
    session: AsyncSession,
    runtime: Runtime,
    request: Request,
    record: Record,
    fmt: ExportFormat,
    design: int,
) -> Response:
    """A record's export as a download: the owner's route and the public room's alike."""
    export = await service.export_record(
        session,
        runtime.storage,
        record,
        fmt,
        views=runtime.record_views,
        base_url=str(request.base_url),
        design=design,
    )
    return _download(export)


@router.get(
    "/records/{record_id}/export",
    response_class=Response,
    responses={**_FILES, **responses(NotAuthenticated, NotFound, Conflict)},
)
async def export_record(
    record_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    fmt: FormatQuery = ExportFormat.pdf,
    design: DesignQuery = 0,
) -> Response:
    """The record's spec sheet: an A4 PDF tech pack, schema.org Product JSON-LD, or a zip with
    the full-size designs, the inputs, the PDF, the JSON-LD and record.json. 409 before the
    designs exist."""
    record = await records.get_owned(session, record_id, user)
    return await _record_download(session, runtime, request, record, fmt, design)


@router.get(
    "/layerroom/{room_id}/export",
    response_class=Response,
    responses={**_ZIP, **responses(NotAuthenticated, NotFound, Conflict)},
)
async def export_room(
    room_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """Every record of the room that has designs, each as its zip folder, and room.json."""
    room = await rooms.get_owned(session, room_id, user)
    export = await service.export_room(
        session, runtime.storage, room, views=runtime.record_views, base_url=str(request.base_url)
    )
    return _download(export)


@router.get(
    "/public/rooms/{slug}/records/{record_id}/export",
    response_class=Response,
    responses={**_FILES, **responses(NotFound, Conflict)},
)
async def export_public_record(
    slug: str,
    record_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    fmt: FormatQuery = ExportFormat.pdf,
    design: DesignQuery = 0,
) -> Response:
    """A public room's record, exported by anyone with the room's link."""
    room = await rooms.get_public(session, slug)
    record = await service.record_in_public_room(session, room, record_id)
    return await _record_download(session, runtime, request, record, fmt, design)
