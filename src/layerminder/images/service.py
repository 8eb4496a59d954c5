"""Image rules: validate, store under a server-made key, who may read what."""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder import offload
from layerminder.config import Settings
from layerminder.db.session import after_commit, on_rollback
from layerminder.errors import NotFound
from layerminder.images.repository import ImageRepository
from layerminder.images.validation import ValidImage, validate_image
from layerminder.models import Image, ImageKind, Room, User
from layerminder.security.crypto import read_image_signature
from layerminder.storage.base import ObjectMissing, ObjectStorage, make_key

logger = logging.getLogger(__name__)


async def store_image(
    session: AsyncSession,
    storage: ObjectStorage,
    *,
    valid: ValidImage,
    owner_id: uuid.UUID,
    kind: ImageKind,
    room_id: uuid.UUID | None,
    image_id: uuid.UUID | None = None,
) -> Image:
    """Write the bytes, then the row. If the transaction later rolls back, the bytes go too.

    With a given `image_id` (designs: derived from the record) a second call overwrites the
    same object and returns the existing row, so a re-run job duplicates nothing.
    """
    image = _new_image(valid, image_id or uuid.uuid4(), owner_id, kind, room_id)
    await storage.put(image.storage_key, valid.data, valid.content_type)
    on_rollback(session, functools.partial(storage.delete, image.storage_key))
    repository = ImageRepository(session)
    # A fresh random id cannot exist yet: only a caller-given id needs the lookup.
    existing = await repository.get(image.id) if image_id is not None else None
    if existing is not None:
        return existing
    return await repository.add(image)


async def store_images(
    session: AsyncSession,
    storage: ObjectStorage,
    valid: Sequence[ValidImage],
    *,
    owner_id: uuid.UUID,
    kind: ImageKind,
) -> list[Image]:
    """Many new images at once (a library import batch): the files written concurrently, the
    rows inserted in one flush. If the transaction later rolls back, the bytes go too."""
    rows = [_new_image(checked, uuid.uuid4(), owner_id, kind, None) for checked in valid]
    for row in rows:  # registered first: a write that fails midway is cleaned up as well
        on_rollback(session, functools.partial(storage.delete, row.storage_key))
    # Every write finishes (or fails) before an error propagates: none is left running.
    results = await asyncio.gather(
        *(
            storage.put(row.storage_key, checked.data, checked.content_type)
            for row, checked in zip(rows, valid, strict=True)
        ),
        return_exceptions=True,
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result
    await ImageRepository(session).add_all(rows)
    return rows


async def delete_images(
    session: AsyncSession, storage: ObjectStorage, image_ids: Sequence[uuid.UUID]
) -> int:
    """Delete those of `image_ids` that exist; their bytes go once the transaction commits.
    Returns how many rows went."""
    keys = await ImageRepository(session).delete_many(image_ids)
    for key in keys:
        after_commit(session, functools.partial(_delete_quietly, storage, key))
    return len(keys)


async def _delete_quietly(storage: ObjectStorage, key: str) -> None:
    # The row is gone: bytes that outlive it are unreachable, so a failure here is only logged.
    try:
        await storage.delete(key)
    except Exception:
        logger.warning("could not delete %s from storage", key, exc_info=True)


def _new_image(
    valid: ValidImage,
    image_id: uuid.UUID,
    owner_id: uuid.UUID,
    kind: ImageKind,
    room_id: uuid.UUID | None,
) -> Image:
    return Image(
        id=image_id,
        owner_id=owner_id,
        room_id=room_id,
        kind=kind,
        storage_key=make_key(kind, owner_id, image_id, valid.content_type),
        content_type=valid.content_type,
        width=valid.width,
        height=valid.height,
        bytes=len(valid.data),
        sha256=valid.sha256,
    )


async def upload(
    session: AsyncSession,
    storage: ObjectStorage,
    settings: Settings,
    *,
    owner: User,
    room_id: uuid.UUID,
    data: bytes,
    kind: ImageKind = ImageKind.uploaded,
) -> Image:
    # A 20 MB upload takes a while to decode and check: in a worker process, not the API's.
    valid = await offload.run(
        functools.partial(
            validate_image,
            max_bytes=settings.max_upload_bytes,
            max_pixels=settings.max_upload_pixels,
        ),
        data,
    )
    return await store_image(
        session, storage, valid=valid, owner_id=owner.id, kind=kind, room_id=room_id
    )


def can_read(image: Image, user: User | None) -> bool:
    # Library references are shared with every signed-in user; everything else is private.
    if user is None:
        return False
    return image.owner_id == user.id or image.kind == ImageKind.reference


async def get_readable(session: AsyncSession, image_id: uuid.UUID, user: User | None) -> Image:
    image = await ImageRepository(session).get(image_id)
    if image is None or not can_read(image, user):
        raise NotFound(f"no image {image_id}")
    return image


async def get_many(session: AsyncSession, image_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Image]:
    """The images that exist among `image_ids`, by id; the caller checks who may use them."""
    return await ImageRepository(session).get_many(image_ids)


async def get_downloadable(
    session: AsyncSession,
    image_id: uuid.UUID,
    user: User | None,
    signature: str | None,
    secret: str,
) -> Image:
    """The image if the caller may fetch its bytes: a reader, or anyone with its signed URL."""
    image = await ImageRepository(session).get(image_id)
    signed = signature is not None and read_image_signature(signature, image_id, secret)
    if image is None or not (signed or can_read(image, user)):
        raise NotFound(f"no image {image_id}")
    return image


async def read_bytes(storage: ObjectStorage, image: Image) -> bytes:
    try:
        return await storage.get(image.storage_key)
    except ObjectMissing:
        raise NotFound(f"the bytes of image {image.id} are missing from storage") from None


async def list_in_room(
    session: AsyncSession, room: Room, kind: ImageKind, limit: int, offset: int
) -> tuple[list[Image], int]:
    """One page of a room's images of one kind, newest first, and how many there are."""
    return await ImageRepository(session).list_in_room(room.id, kind, limit, offset)


async def storage_keys_of(session: AsyncSession, owner_id: uuid.UUID) -> list[str]:
    """Where every image of the owner's lies in storage (to delete the bytes with the account)."""
    return await ImageRepository(session).storage_keys_of(owner_id)


async def hand_over_references(
    session: AsyncSession, owner_id: uuid.UUID, to_owner_id: uuid.UUID
) -> None:
    """The library references the owner added stay in the library, owned by `to_owner_id`."""
    await ImageRepository(session).hand_over_references(owner_id, to_owner_id)
