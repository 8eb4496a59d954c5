"""Room routes: CRUD, public read by slug, pins."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from layerminder.auth.dependencies import CurrentUser
from layerminder.deps import PageDep, RuntimeDep, SessionDep
from layerminder.errors import Conflict, NotAuthenticated, NotFound, responses
from layerminder.rooms import service
from layerminder.rooms.schemas import PinIn, PinOut, PublicRoomOut, RoomIn, RoomOut, RoomPatch
from layerminder.schemas import PageOut

router = APIRouter(prefix="/api/v1", tags=["rooms"])


@router.post(
    "/layerroom", status_code=status.HTTP_201_CREATED, responses=responses(NotAuthenticated)
)
async def create_room(body: RoomIn, user: CurrentUser, session: SessionDep) -> RoomOut:
    room = await service.create(session, user, body.name, body.description, body.is_public)
    return RoomOut.model_validate(room)


@router.get("/layerroom", responses=responses(NotAuthenticated))
async def list_rooms(user: CurrentUser, session: SessionDep, page: PageDep) -> PageOut[RoomOut]:
    rooms, total = await service.list_owned(session, user, page.limit, page.offset)
    return PageOut(
        items=[RoomOut.model_validate(r) for r in rooms],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/layerroom/{room_id}", responses=responses(NotAuthenticated, NotFound))
async def get_room(room_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> RoomOut:
    return RoomOut.model_validate(await service.get_owned(session, room_id, user))


@router.patch("/layerroom/{room_id}", responses=responses(NotAuthenticated, NotFound))
async def update_room(
    room_id: uuid.UUID, body: RoomPatch, user: CurrentUser, session: SessionDep
) -> RoomOut:
    room = await service.get_owned(session, room_id, user)
    room = await service.update(
        session, room, name=body.name, description=body.description, is_public=body.is_public
    )
    return RoomOut.model_validate(room)


@router.delete(
    "/layerroom/{room_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, NotFound),
)
async def delete_room(room_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    await service.archive(session, await service.get_owned(session, room_id, user))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/layerroom/{room_id}/pins", responses=responses(NotAuthenticated, NotFound))
async def list_pins(
    room_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> list[PinOut]:
    room = await service.get_owned(session, room_id, user)
    pins = await service.pins_with_images(session, room)
    return [PinOut.from_model(pin, image, runtime.secret) for pin, image in pins]


@router.post(
    "/layerroom/{room_id}/pins",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotAuthenticated, NotFound, Conflict),
)
async def pin_image(
    room_id: uuid.UUID, body: PinIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> PinOut:
    room = await service.get_owned(session, room_id, user)
    pin, image = await service.pin(session, room, user, body.image_id, body.note)
    return PinOut.from_model(pin, image, runtime.secret)


@router.delete(
    "/layerroom/{room_id}/pins",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, NotFound),
)
async def unpin_image(
    room_id: uuid.UUID, image_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Response:
    """Unpin `image_id` (a query parameter) from the room."""
    room = await service.get_owned(session, room_id, user)
    await service.unpin(session, room, image_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/public/rooms/{slug}", responses=responses(NotFound))
async def get_public_room(slug: str, session: SessionDep, runtime: RuntimeDep) -> PublicRoomOut:
    room = await service.get_public(session, slug)
    contents = await service.public_contents(session, room)
    return PublicRoomOut.from_model(
        room,
        uploads=contents.uploads,
        pins=contents.pins,
        records=await runtime.record_views.of(session, contents.records),
        secret=runtime.secret,
    )
