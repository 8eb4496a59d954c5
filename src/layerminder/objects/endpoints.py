"""Design object routes: a design's 3D model (GLB), dimensioned drawings (SVG, DXF), its
parts, weight and buildability checks, and its views sheet (a job, streamed)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from sse_starlette import EventSourceResponse, ServerSentEvent

from layerminder.auth.dependencies import CurrentUser, StreamUser
from layerminder.auth.limits import limit_generate
from layerminder.db.session import reading
from layerminder.deps import RuntimeDep, SessionDep
from layerminder.errors import (
    InsufficientCredits,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
    RateLimited,
    responses,
)
from layerminder.objects import service, views
from layerminder.objects.errors import DesignNotReady, ViewsRunning
from layerminder.objects.repository import ViewsRepository
from layerminder.objects.schemas import DesignObjectOut, ViewsOut
from layerminder.objects.service import DRAWING_TYPES, DrawingFormat
from layerminder.records import service as records
from layerminder.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["objects"])

PositionPath = Annotated[int, Path(ge=0, le=3, description="The design's position, 0-3")]
_ERRORS = responses(NotAuthenticated, NotFound, InvalidRequest, DesignNotReady)


def _binary(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": dict.fromkeys(media_types, binary)}}


def _file(content: bytes, media_type: str, filename: str, proxy: bool) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store",
            # Said on the file itself too: a proxy must never pass for the design's geometry.
            "X-Layerminder-Proxy": "true" if proxy else "false",
        },
    )


@router.get("/records/{record_id}/designs/{position}/parts", responses=_ERRORS)
async def get_design_parts(
    record_id: uuid.UUID,
    position: PositionPath,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> DesignObjectOut:
    """The design as an object: sizes measured on its model, the parts with their sizes,
    materials and masses, a cut list for the frame, the estimated weight, and the checks:
    stability (centre of mass over the footprint, with the tipping angle), legs reaching the
    floor, seat height and depth. `proxy` is true for a design that is only a picture."""
    record = await records.get_owned(session, record_id, user)
    return await service.design_object(session, runtime.storage, record, position)


@router.get(
    "/records/{record_id}/designs/{position}/model.glb",
    response_class=Response,
    responses={**_binary("glTF 2.0 binary", "model/gltf-binary"), **_ERRORS},
)
async def get_design_model(
    record_id: uuid.UUID,
    position: PositionPath,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """The design's 3D model: glTF 2.0 binary in metres, Y up, the front towards +Z, one node
    per part and PBR materials named after the design's materials. A proxy says so in
    `X-Layerminder-Proxy` and in the scene's `extras.proxy`."""
    record = await records.get_owned(session, record_id, user)
    model, body = await service.model_glb(session, runtime.storage, record, position)
    return _file(body, "model/gltf-binary", f"design-{position + 1}.glb", model.proxy)


@router.get(
    "/records/{record_id}/designs/{position}/drawings",
    response_class=Response,
    responses={**_binary("The drawing sheet", *DRAWING_TYPES.values()), **_ERRORS},
)
async def get_design_drawings(
    record_id: uuid.UUID,
    position: PositionPath,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    fmt: Annotated[DrawingFormat, Query(alias="format", description="svg or dxf")] = "svg",
) -> Response:
    """Front, side and top orthographic drawings with the overall sizes and the seat height,
    in millimetres: SVG for a page, DXF (with dimension entities) for CAD."""
    record = await records.get_owned(session, record_id, user)
    model, body = await service.design_drawing(session, runtime.storage, record, position, fmt)
    return _file(body, DRAWING_TYPES[fmt], f"design-{position + 1}.{fmt}", model.proxy)


@router.post(
    "/records/{record_id}/designs/{position}/views",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(
        NotAuthenticated,
        NotFound,
        InvalidRequest,
        DesignNotReady,
        ViewsRunning,
        InsufficientCredits,
        RateLimited,
    ),
    dependencies=[Depends(limit_generate)],
)
async def create_views(
    record_id: uuid.UUID,
    position: PositionPath,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ViewsOut:
    """Make the design's views sheet: front, side, top and three-quarter, as a job.

    Costs `views_cost` credits (refunded if it fails). A design drawn from parts is rendered
    from its model with one camera and light; a picture is repainted once per view by the AI
    provider, each view scored against the design. Follow it on `…/views/stream`; 409
    `ViewsRunning` while one is being made."""
    sheet = await views.request_views(session, runtime, user, record_id, position)
    return views.views_out(sheet, runtime.secret)


@router.get(
    "/records/{record_id}/designs/{position}/views",
    responses=responses(NotAuthenticated, NotFound),
)
async def get_views(
    record_id: uuid.UUID,
    position: PositionPath,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ViewsOut:
    """The design's latest views sheet; 404 when none was asked for."""
    sheet = await views.latest_views(session, user, record_id, position)
    if sheet is None:
        raise NotFound(f"design {position} of record {record_id} has no views sheet")
    return views.views_out(sheet, runtime.secret)


async def _views_stream(runtime: Runtime, sheet_id: uuid.UUID) -> AsyncIterator[ServerSentEvent]:
    # Subscribe before reading, so no change between the two is missed.
    async with runtime.events.subscribe(views.channel(sheet_id)) as subscription:
        async with reading(runtime.sessionmaker) as session:
            sheet = await ViewsRepository(session).get(sheet_id)
        if sheet is None:
            return
        state = views.views_out(sheet, runtime.secret).model_dump(mode="json")
        sent = state["version"]
        yield ServerSentEvent(data=json.dumps(state), event="state", id=str(sent))
        while not state["done"]:
            message = await subscription.get(timeout=runtime.settings.sse_heartbeat_seconds)
            if message is None or message["version"] <= sent:
                continue
            state, sent = message, message["version"]
            yield ServerSentEvent(data=json.dumps(state), event="views", id=str(sent))
        yield ServerSentEvent(data="", event="end", id=str(sent))


@router.get(
    "/records/{record_id}/designs/{position}/views/stream",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"},
        **responses(NotAuthenticated, NotFound),
    },
)
async def stream_views(
    record_id: uuid.UUID,
    position: PositionPath,
    user: StreamUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> EventSourceResponse:
    """The latest views sheet as it is made: `state` on connect, `views` on each change (data:
    the sheet), then `end`. Authenticated as the record's stream is (a ticket for EventSource)."""
    sheet = await views.latest_views(session, user, record_id, position)
    if sheet is None:
        raise NotFound(f"design {position} of record {record_id} has no views sheet")
    return EventSourceResponse(
        _views_stream(runtime, sheet.id),
        ping=max(1, int(runtime.settings.sse_heartbeat_seconds)),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
