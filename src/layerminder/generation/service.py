"""Starting a generation: validate inputs, then debit and create the record in one transaction."""

from __future__ import annotations

import asyncio
import functools
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.credits import service as credits
from layerminder.db.base import utcnow
from layerminder.db.session import after_commit
from layerminder.errors import (
    AlreadyFinished,
    InvalidMarkup,
    InvalidMask,
    InvalidRequest,
    NotFound,
    NothingToRetry,
)
from layerminder.generation import lifecycle, previews
from layerminder.generation.repository import JobRepository
from layerminder.generation.schemas import GenerateIn, InputIn
from layerminder.generation.tasks import GENERATE_DESIGNS
from layerminder.images import service as images
from layerminder.jobs.queue import JobQueue
from layerminder.models import ImageKind, Record, Room, Stage, StageStatus, User, WebhookEvent
from layerminder.providers.base import Language
from layerminder.providers.markup import read_markup
from layerminder.providers.masks import read_mask
from layerminder.records import service as records
from layerminder.records.events import publish
from layerminder.rooms import service as rooms
from layerminder.runtime import Runtime
from layerminder.storage.base import ObjectStorage
from layerminder.styles import service as styles
from layerminder.webhooks import service as webhooks

# A refine's parent design: what its shape is taken as, unless the caller says otherwise.
PARENT_ROLE = "form"
PARENT_STRENGTH = 0.8


@dataclass(frozen=True)
class Plan:
    """What a request resolves to before anything is spent: every check has passed."""

    room: Room
    # The brief's references in order, each with its role and strength.
    inputs: list[InputIn]
    # (record id, design position) of the design this record starts from.
    parent: tuple[uuid.UUID, int] | None = None
    edit: dict[str, str] | None = None


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
    storage: ObjectStorage,
    cost: int,
    idempotency_key: str | None = None,
) -> Record:
    """Returns the new record (or the one an earlier request with the same key created)."""
    repository = JobRepository(session)
    if idempotency_key:
        existing = await repository.by_idempotency_key(user.id, idempotency_key)
        if existing is not None:
            return existing

    style = styles.style_for_brief(request.style)
    plan = (
        await _plan_edit(session, storage, user, request)
        if request.edit is not None
        else await _plan_generation(session, user, request)
    )
    record = Record(
        id=uuid.uuid4(),
        queued_at=utcnow(),
        room_id=plan.room.id,
        owner_id=user.id,
        keyword=request.keyword,
        language=story_language(request, user),
        input_image_ids=[str(item.image_id) for item in plan.inputs],
        inputs=[
            {"image_id": str(item.image_id), "role": item.role, "strength": item.strength}
            for item in plan.inputs
        ],
        style=style.id if style else None,
        parent_record_id=plan.parent[0] if plan.parent else None,
        parent_position=plan.parent[1] if plan.parent else None,
        edit=plan.edit,
        # The request's choice; none: the server's default when the stage runs (estimates).
        previews=request.previews,
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


async def _target_room(
    session: AsyncSession, user: User, requested: uuid.UUID | None, *fallbacks: uuid.UUID | None
) -> Room:
    """The room named in the request, else the first fallback (the parent's room, the image's)."""
    for room_id in (requested, *fallbacks):
        if room_id is not None:
            return await rooms.get_owned(session, room_id, user)
    raise InvalidRequest("say which room the record goes to: session_id")


async def _check_references(session: AsyncSession, user: User, image_ids: list[uuid.UUID]) -> None:
    found = await images.get_many(session, image_ids)
    for image_id in image_ids:
        image = found.get(image_id)
        # Any image the caller may read is a reference: their uploads and designs in any of
        # their rooms, and the shared library; another user's image does not exist for them.
        if image is None or not images.can_read(image, user):
            raise NotFound(f"no image {image_id}")
        if image.kind in (ImageKind.mask, ImageKind.markup):
            raise InvalidRequest(f"image {image_id} is an edit {image.kind}, not a reference")
        if image.kind == ImageKind.preview:
            # Gone when its record's images stage ends: the design it became is the reference.
            raise InvalidRequest(f"image {image_id} is a live preview, not a reference")


async def _plan_generation(session: AsyncSession, user: User, request: GenerateIn) -> Plan:
    if request.parent is None:
        room = await _target_room(session, user, request.room_id)
        await _check_references(session, user, request.image_ids)
        return Plan(room, list(request.inputs or []))
    parent = await records.get_owned(session, request.parent.record_id, user)
    design = await records.design_at(session, parent, request.parent.position)
    room = await _target_room(session, user, request.room_id, parent.room_id)
    await _check_references(session, user, request.image_ids)
    if design.id in request.image_ids:
        raise InvalidRequest("the parent design is already the first input: list it once")
    first = InputIn(image_id=design.id, role=PARENT_ROLE, strength=PARENT_STRENGTH)
    return Plan(room, [first, *(request.inputs or [])], parent=(parent.id, request.parent.position))


async def _plan_edit(
    session: AsyncSession, storage: ObjectStorage, user: User, request: GenerateIn
) -> Plan:
    """An edit of one image the caller owns, with its overlay checked against it (a mask, or a
    markup: the image's size, something marked) before anything is spent."""
    edit = request.edit
    assert edit is not None
    overlay_id = edit.markup_image_id or edit.mask_image_id
    assert overlay_id is not None
    found = await images.get_many(session, [edit.image_id, overlay_id])
    image, overlay = found.get(edit.image_id), found.get(overlay_id)
    not_editable = (ImageKind.mask, ImageKind.markup, ImageKind.preview)
    if image is None or image.owner_id != user.id or image.kind in not_editable:
        raise NotFound(f"no image {edit.image_id}")
    overlay_bytes: bytes
    if edit.markup_image_id is not None:
        if overlay is None or overlay.owner_id != user.id:
            raise NotFound(f"no markup image {overlay_id}")
        if overlay.kind not in (ImageKind.markup, ImageKind.uploaded):
            raise InvalidMarkup(
                f"image {overlay.id} is a {overlay.kind} image: upload the markup as a PNG "
                "with purpose=markup"
            )
        overlay_bytes = await images.read_bytes(storage, overlay)
        await asyncio.to_thread(read_markup, overlay_bytes, (image.width, image.height))
        overlay_field = {"markup_image_id": str(overlay.id)}
    else:
        if overlay is None or overlay.owner_id != user.id:
            raise NotFound(f"no mask image {overlay_id}")
        if overlay.kind not in (ImageKind.mask, ImageKind.uploaded):
            raise InvalidMask(
                f"image {overlay.id} is a {overlay.kind} image: upload the mask as a PNG"
            )
        overlay_bytes = await images.read_bytes(storage, overlay)
        await asyncio.to_thread(read_mask, overlay_bytes, (image.width, image.height))
        overlay_field = {"mask_image_id": str(overlay.id)}
    origin = await records.design_origin(session, image.id)
    parent = (origin[0].id, origin[1]) if origin is not None else None
    room = await _target_room(
        session, user, request.room_id, origin[0].room_id if origin else None, image.room_id
    )
    return Plan(
        room,
        # The edited image is the whole brief: every pixel outside the edit is kept.
        [InputIn(image_id=image.id, role="any", strength=1.0)],
        parent=parent,
        edit={"image_id": str(image.id), **overlay_field, "prompt": edit.prompt},
    )


async def cancel_generation(
    session: AsyncSession, runtime: Runtime, user: User, record_id: uuid.UUID
) -> Record:
    """Stop a waiting or running record: its open stages become `cancelled` at once.

    A waiting job then finds the record ended and does not run; a running one sees the cancel
    at its next check and drops its work. The credit comes back when no design was delivered.
    Cancelling a cancelled record again changes nothing."""
    record = await records.get_owned(session, record_id, user)
    repository = JobRepository(session)
    ended = await repository.end_open_stages(
        record.id,
        {stage: (StageStatus.cancelled, "cancelled by its owner") for stage in Stage},
        finished_at=utcnow(),
    )
    current = await records.get(session, record.id)
    assert current is not None
    if not ended:
        if current.cancelled:
            return current
        raise AlreadyFinished(f"record {record_id} has already finished: nothing to cancel")
    # Its previews (and designs finished but not delivered) go with the cancel, before `end`.
    await previews.discard(session, runtime.storage, current)
    if await lifecycle.refund_due(session, current):
        await credits.refund_generation(
            session,
            current.owner_id,
            current.id,
            runtime.settings.generation_cost,
            note="refund: cancelled before any design was delivered",
            attempt=current.attempt,
        )
    after_commit(session, functools.partial(_announce_cancel, runtime, current.id))
    return current


async def _announce_cancel(runtime: Runtime, record_id: uuid.UUID) -> None:
    """Once the cancel is committed: every stream ends (any replica), webhooks are queued."""
    await publish(runtime, record_id, "state")
    await webhooks.record_ended(runtime, record_id, WebhookEvent.record_cancelled)


async def retry_generation(
    session: AsyncSession,
    runtime: Runtime,
    user: User,
    record_id: uuid.UUID,
    *,
    idempotency_key: str | None = None,
) -> Record:
    """Run the stages that failed or were cancelled again; what was delivered is kept.

    It costs what the refund gave back (the record is charged again), else nothing. A repeat
    with the same Idempotency-Key returns the record without a second run or charge."""
    record = await records.get_owned(session, record_id, user)
    if idempotency_key and record.retry_key == idempotency_key:
        return record
    if not record.retryable:
        raise NothingToRetry(
            f"record {record_id} has no failed or cancelled stage to run again"
            if record.done
            else f"record {record_id} is still running: cancel it first or wait for it"
        )
    price = (await credits.refunded_amounts(session, [record.id])).get(record.id, 0)
    repository = JobRepository(session)
    if not await repository.restart(record, retry_key=idempotency_key, queued_at=utcnow()):
        current = await records.get(session, record.id)
        if current is not None and idempotency_key and current.retry_key == idempotency_key:
            return current
        raise NothingToRetry(f"record {record_id} is already being retried")
    if price:
        # Raises InsufficientCredits, and the unit of work rolls the restart back with it.
        await credits.debit_for_retry(session, user.id, record.id, price, record.attempt + 1)
    after_commit(session, functools.partial(runtime.queue.enqueue, GENERATE_DESIGNS, record.id))
    after_commit(session, functools.partial(publish, runtime, record.id, "state"))
    current = await records.get(session, record.id)
    assert current is not None
    return current
