"""Studio rules: search only the caller's records, opaque cursors, favourites of readable images."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.errors import InvalidRequest
from layerminder.images import service as images
from layerminder.models import Record, User
from layerminder.records.views import RecordViews
from layerminder.studio.repository import RecordFilters, StudioRepository
from layerminder.studio.schemas import FavouriteOut, RecordSearchOut

Vector = np.ndarray[Any, np.dtype[np.float32]]


def encode_cursor(created_at: datetime, record_id: uuid.UUID) -> str:
    raw = f"{created_at.isoformat()}|{record_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, record_id = raw.split("|", 1)
        moment = datetime.fromisoformat(created)
        if moment.tzinfo is None:
            raise ValueError("a cursor carries a UTC time")
        return moment, uuid.UUID(record_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidRequest("the cursor is not one this API gave out") from error


async def search(
    session: AsyncSession,
    user: User,
    filters: RecordFilters,
    cursor: str | None,
    limit: int,
    views: RecordViews,
) -> RecordSearchOut:
    after = decode_cursor(cursor) if cursor else None
    # One more than asked tells whether another page exists.
    found = await StudioRepository(session).search(user.id, filters, after, limit + 1)
    page = found[:limit]
    items = await views.of(session, page)
    design_ids = [d.image_id for item in items for d in item.designs if d.image_id is not None]
    favourites = await StudioRepository(session).favourite_ids(user.id, design_ids)
    last = page[-1] if page else None
    return RecordSearchOut(
        items=items,
        next_cursor=encode_cursor(last.created_at, last.id)
        if last and len(found) > limit
        else None,
        favourite_image_ids=[i for i in design_ids if i in favourites],
    )


async def set_favourite(
    session: AsyncSession, user: User, image_id: uuid.UUID, favourite: bool
) -> FavouriteOut:
    image = await images.get_readable(session, image_id, user)
    repository = StudioRepository(session)
    if favourite:
        await repository.add_favourite(user.id, image.id)
    else:
        await repository.remove_favourite(user.id, image.id)
    return FavouriteOut(image_id=image.id, favourite=favourite)


async def stored_design_vectors(
    session: AsyncSession, image_ids: Sequence[uuid.UUID], model_id: str
) -> dict[uuid.UUID, Vector]:
    """The vectors kept for those of `image_ids` that are designs `model_id` embedded."""
    return await StudioRepository(session).stored_design_vectors(image_ids, model_id)


async def store_design_vectors(
    session: AsyncSession,
    record: Record,
    image_ids: Sequence[uuid.UUID],
    vectors: Any,
    model_id: str,
) -> None:
    """Keep each design's normalised vector, for "more like this" without re-embedding."""
    await StudioRepository(session).store_design_vectors(record, image_ids, vectors, model_id)
