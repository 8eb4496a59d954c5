"""Design object routes: a design's 3D model (GLB), dimensioned drawings (SVG, DXF), and its
parts, weight and buildability checks."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from layerminder.auth.dependencies import CurrentUser
from layerminder.deps import RuntimeDep, SessionDep
from layerminder.errors import InvalidRequest, NotAuthenticated, NotFound, responses
from layerminder.objects import service
from layerminder.objects.errors import DesignNotReady
from layerminder.objects.schemas import DesignObjectOut
from layerminder.objects.service import DRAWING_TYPES, DrawingFormat
from layerminder.records import service as records

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
