"""Image routes: upload into a room, list a room's uploads, bytes and metadata."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile, status
from fastapi.responses import RedirectResponse, Response

from layerminder.auth.dependencies import CurrentUser, OptionalUser
from layerminder.auth.limits import limit_upload
from layerminder.deps import PageDep, RuntimeDep, SessionDep
from layerminder.errors import (
    ImageTooLarge,
    InvalidImage,
    NotAuthenticated,
    NotFound,
    RateLimited,
    responses,
)
from layerminder.images import service
from layerminder.images.schemas import ImageOut
from layerminder.models import ImageKind
from layerminder.rooms import service as rooms
from layerminder.schemas import PageOut

router = APIRouter(prefix="/api/v1", tags=["images"])

UploadPurpose = Literal["reference", "mask", "markup"]
_KIND_OF_PURPOSE = {
    "reference": ImageKind.uploaded,
    "mask": ImageKind.mask,
    "markup": ImageKind.markup,
}


async def read_limited(file: UploadFile, limit: int) -> bytes:
    # Read at most limit+1 bytes: enough to know it is too large, never the whole stream.
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ImageTooLarge(f"the file is larger than the {limit / 1e6:.0f} MB limit")
    return data


@router.post(
    "/layerroom/{room_id}/images",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotAuthenticated, NotFound, ImageTooLarge, InvalidImage, RateLimited),
    dependencies=[Depends(limit_upload)],
)
async def upload_image(
    room_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="A JPEG, PNG or WebP image")],
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    purpose: Annotated[
        UploadPurpose,
        Form(
            description="`mask`: a region-edit mask (a PNG, transparent where to repaint); "
            "`markup`: a markup edit's strokes and notes (a transparent PNG); both kept out of "
            "the room's references"
        ),
    ] = "reference",
) -> ImageOut:
    room = await rooms.get_owned(session, room_id, user)
    data = await read_limited(file, runtime.settings.max_upload_bytes)
    image = await service.upload(
        session,
        runtime.storage,
        runtime.settings,
        owner=user,
        room_id=room.id,
        data=data,
        kind=_KIND_OF_PURPOSE[purpose],
    )
    return ImageOut.from_model(image, runtime.secret)


@router.get("/layerroom/{room_id}/images", responses=responses(NotAuthenticated, NotFound))
async def list_room_images(
    room_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    page: PageDep,
    kind: ImageKind = ImageKind.uploaded,
) -> PageOut[ImageOut]:
    room = await rooms.get_owned(session, room_id, user)
    images, total = await service.list_in_room(session, room, kind, page.limit, page.offset)
    return PageOut(
        items=[ImageOut.from_model(i, runtime.secret) for i in images],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/images/{image_id}",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}},
        307: {"description": "With presigned URLs on: to the object in the bucket"},
        **responses(NotFound),
    },
)
async def get_image_bytes(
    image_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: OptionalUser,
    sig: Annotated[
        str | None, Query(max_length=200, description="Signature from an image `url`")
    ] = None,
) -> Response:
    image = await service.get_downloadable(session, image_id, user, sig, runtime.secret)
    if runtime.settings.presigned_image_urls:
        url = await runtime.storage.presigned_url(image.storage_key, 3600)
        if url is not None:
            return RedirectResponse(url, status_code=307)
    data = await service.read_bytes(runtime.storage, image)
    return Response(
        data,
        media_type=image.content_type,
        headers={"Cache-Control": "private, max-age=86400, immutable", "ETag": image.sha256},
    )


@router.get("/images/{image_id}/metadata", responses=responses(NotAuthenticated, NotFound))
async def get_image_metadata(
    image_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> ImageOut:
    image = await service.get_readable(session, image_id, user)
    return ImageOut.from_model(image, runtime.secret)
