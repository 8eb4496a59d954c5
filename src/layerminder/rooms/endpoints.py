"""Room routes: CRUD, public read by slug, pins."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from layerminder.deps import CurrentUser, PageDep, RuntimeDep, SessionDep
from layerminder.errors import Conflict, NotAuthenticated, NotFound, responses
from layerminder.images.endpoints import to_image_out
from layerminder.images.repository import ImageRepository
from layerminder.models import Image, ImageKind, RoomPin
from layerminder.records import service as records_service
from layerminder.records.repository import RecordRepository
from layerminder.rooms import service
from layerminder.rooms.repository import RoomRepository
from layerminder.rooms.schemas import PinIn, PinOut, PublicRoomOut, RoomIn, RoomOut, RoomPatch
from layerminder.schemas import PageOut

router = APIRouter(prefix="/api/v1", tags=["rooms"])
PUBLIC_IMAGE_LIMIT = 100
PUBLIC_RECORD_LIMIT = 50


def to_pin_out(pin: RoomPin, image: Image, secret: str) -> PinOut:
    return PinOut(
        id=pin.id,
        room_id=pin.room_id,
        note=pin.note,
        position=pin.position,
        created_at=pin.created_at,
        image=to_image_out(image, secret),
    )


@router.post(
    "/layerroom", status_code=status.HTTP_201_CREATED, responses=responses(NotAuthenticated)
)
async def create_room(body: RoomIn, user: CurrentUser, session: SessionDep) -> RoomOut:
    room = await service.create(session, user, body.name, body.description, body.is_public)
    return RoomOut.model_validate(room)


@router.get("/layerroom", responses=responses(NotAuthenticated))
async def list_rooms(user: CurrentUser, session: SessionDep, page: PageDep) -> PageOut[RoomOut]:
    rooms, total = await RoomRepository(session).list_for_owner(user.id, page.limit, page.offset)
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
    pins = await RoomRepository(session).pins_with_images(room.id)
    return [to_pin_out(pin, image, runtime.secret) for pin, image in pins]


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
    return to_pin_out(pin, image, runtime.secret)


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
    uploads, _ = await ImageRepository(session).list_in_room(
        room.id, ImageKind.uploaded, PUBLIC_IMAGE_LIMIT, 0
    )
    pins = await RoomRepository(session).pins_with_images(room.id)
    records, _ = await RecordRepository(session).list_for_room(room.id, PUBLIC_RECORD_LIMIT, 0)
    return PublicRoomOut(
        name=room.name,
        description=room.description,
        slug=room.slug,
        created_at=room.created_at,
        images=[to_image_out(i, runtime.secret) for i in uploads],
        pins=[to_pin_out(pin, image, runtime.secret) for pin, image in pins],
        records=await records_service.to_out(
            session, [r for r in records if r.image_status == "ready"], runtime.secret
        ),
    )
