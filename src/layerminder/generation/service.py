"""Starting a generation: validate inputs, then debit and create the record in one transaction."""

from __future__ import annotations

import functools
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.credits import service as credits
from layerminder.db.session import after_commit
from layerminder.errors import InvalidRequest, NotFound
from layerminder.generation.schemas import GenerateIn
from layerminder.generation.tasks import GENERATE_DESIGNS
from layerminder.images import service as images
from layerminder.jobs.queue import JobQueue
from layerminder.models import ImageKind, Record, User
from layerminder.providers.base import Language
from layerminder.records.repository import RecordRepository
from layerminder.rooms import service as rooms


def story_language(request: GenerateIn, user: User) -> Language:
    """The language asked for, else the user's saved studio language, else English."""
    if request.language is not None:
        return request.language
    return "ko" if user.locale == "ko" else "en"


async def start_generation(
    session: AsyncSession,
    queue: JobQueue,
    user: User,
    request: GenerateIn,
    *,
    cost: int,
    idempotency_key: str | None = None,
) -> Record:
    """Returns the new record (or the one an earlier request with the same key created)."""
    repository = RecordRepository(session)
    if idempotency_key:
        existing = await repository.by_idempotency_key(user.id, idempotency_key)
        if existing is not None:
            return existing

    room = await rooms.get_owned(session, request.room_id, user)
    found = await images.get_many(session, request.image_ids)
    for image_id in request.image_ids:
        image = found.get(image_id)
        if image is None or image.owner_id != user.id:
            raise NotFound(f"no image {image_id}")
        if image.kind != ImageKind.uploaded:
            raise InvalidRequest(f"image {image_id} is a {image.kind} image: use uploaded images")
        if image.room_id != room.id:
            raise InvalidRequest(f"image {image_id} was uploaded to another room")

    record = Record(
        id=uuid.uuid4(),
        room_id=room.id,
        owner_id=user.id,
        keyword=request.keyword,
        language=story_language(request, user),
        input_image_ids=[str(i) for i in request.image_ids],
        idempotency_key=idempotency_key,
    )
    try:
        async with session.begin_nested():
            await repository.add(record)
            await credits.debit_for_generation(session, user.id, record.id, cost)
    except IntegrityError:
        # A concurrent request with the same idempotency key committed first: return its record.
        existing = (
            await repository.by_idempotency_key(user.id, idempotency_key)
            if idempotency_key
            else None
        )
        if existing is None:
            raise
        return existing
    after_commit(session, functools.partial(queue.enqueue, GENERATE_DESIGNS, record.id))
    return record
