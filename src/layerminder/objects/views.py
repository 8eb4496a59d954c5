"""A design's views sheet: front, side, top and three-quarter, made by a job and streamed.

A design drawn from parts is rendered from its model with one camera scale and one light, so
the four views agree exactly. A picture (OpenAI) is repainted once per view by the provider,
the design as the reference, with the prompts below; each view is scored against the design
by the embedder (CLIP, or the basic descriptor), so a drifting view shows as one. A picture
whose provider cannot draw views gets its proxy rendered, labelled as one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder import offload
from layerminder.credits import service as credits
from layerminder.db.base import utcnow
from layerminder.db.session import after_commit, reading, unit_of_work
from layerminder.images import service as images
from layerminder.images.validation import validate_image
from layerminder.models import DesignViews, ImageKind, StageStatus, User
from layerminder.objects import render, service
from layerminder.objects.errors import ViewsRunning
from layerminder.objects.repository import ViewsRepository
from layerminder.objects.schemas import ViewsOut
from layerminder.providers.base import ViewRenderingProvider
from layerminder.recommender.base import l2_normalise
from layerminder.records import service as records
from layerminder.runtime import Runtime
from layerminder.storage.base import ObjectStorage

logger = logging.getLogger(__name__)

# The queue's name for this job (`runtime.queue.enqueue(RENDER_VIEWS, sheet_id)`).
RENDER_VIEWS = "render_views"
RENDERER = "model-render-v1"
_OPEN = (StageStatus.pending, StageStatus.processing)
_ENDED = (StageStatus.ready, StageStatus.error)

# What an AI provider is asked for each view: the same piece, only the camera moves.
VIEW_PROMPTS: dict[render.ViewAngle, str] = {
    "front": "Straight-on front elevation, camera at seat height, no perspective tilt",
    "side": "Exact side elevation from the left, the front of the piece facing right",
    "top": "Plan view from directly above, the front of the piece at the bottom",
    "three_quarter": "Three-quarter view from the front left, slightly above",
}
_PROMPT_TAIL = (
    "of exactly this piece of furniture: the same proportions, parts, joints, materials and "
    "colours, nothing added or removed. Plain light-grey studio background, soft even light, "
    "the whole piece in frame."
)


def view_prompt(angle: render.ViewAngle) -> str:
    return f"{VIEW_PROMPTS[angle]} {_PROMPT_TAIL}"


def channel(sheet_id: uuid.UUID) -> str:
    return f"views:{sheet_id}"


def view_image_id(sheet_id: uuid.UUID, angle: str) -> uuid.UUID:
    """Fixed per sheet and view: a re-run job overwrites, never duplicates."""
    return uuid.uuid5(sheet_id, f"view:{angle}")


async def request_views(
    session: AsyncSession, runtime: Runtime, user: User, record_id: uuid.UUID, position: int
) -> DesignViews:
    """Charge for a views sheet and queue its job (after commit). 409 while one runs."""
    record = await records.get_owned(session, record_id, user)
    # The model (or its proxy) must be there: a 409 now, not a failed job later.
    await service.design_model(session, runtime.storage, record, position)
    repository = ViewsRepository(session)
    latest = await repository.latest(record.id, position)
    if latest is not None and latest.status in _OPEN:
        raise ViewsRunning(f"design {position}'s views are already being made")
    cost = runtime.settings.views_cost
    sheet = await repository.add(
        DesignViews(
            id=uuid.uuid4(),
            record_id=record.id,
            position=position,
            owner_id=user.id,
            status=StageStatus.pending,
            cost=cost,
            views=[],
        )
    )
    if cost > 0:
        await credits.debit_for_views(session, user.id, record.id, sheet.id, cost)
    after_commit(session, functools.partial(runtime.queue.enqueue, RENDER_VIEWS, sheet.id))
    return sheet


async def latest_views(
    session: AsyncSession, user: User, record_id: uuid.UUID, position: int
) -> DesignViews | None:
    record = await records.get_owned(session, record_id, user)
    return await ViewsRepository(session).latest(record.id, position)


def views_out(sheet: DesignViews, secret: str) -> ViewsOut:
    return ViewsOut.from_model(sheet, secret)


async def publish(runtime: Runtime, sheet_id: uuid.UUID) -> None:
    """The sheet's full state on its channel; best effort, as a record's events are."""
    try:
        async with reading(runtime.sessionmaker) as session:
            sheet = await ViewsRepository(session).get(sheet_id)
        if sheet is not None:
            state = views_out(sheet, runtime.secret).model_dump(mode="json")
            await runtime.events.publish(channel(sheet_id), state)
    except Exception as exc:
        logger.warning("could not publish a views event: %s", exc)


async def run_views(runtime: Runtime, sheet_id: uuid.UUID) -> None:
    """The job: render or repaint the four views, store and score them. Safe to run twice."""
    async with reading(runtime.sessionmaker) as session:
        sheet = await ViewsRepository(session).get(sheet_id)
    if sheet is None or sheet.status in _ENDED:
        return
    async with unit_of_work(runtime.sessionmaker) as session:
        await ViewsRepository(session).move(sheet_id, StageStatus.processing, when=_OPEN)
    await publish(runtime, sheet_id)
    try:
        await _make_views(runtime, sheet)
    except Exception as exc:
        reason = str(exc)[:500] or type(exc).__name__
        logger.warning("views failed: %s", reason, extra={"record_id": str(sheet.record_id)})
        async with unit_of_work(runtime.sessionmaker) as session:
            failed = await ViewsRepository(session).move(
                sheet_id, StageStatus.error, when=_OPEN, error=reason
            )
            # Only the run that marked it failed refunds (the ledger key makes it once anyway).
            if failed and sheet.cost > 0:
                await credits.refund_views(
                    session,
                    sheet.owner_id,
                    sheet.record_id,
                    sheet.id,
                    sheet.cost,
                    note="refund: the views sheet failed",
                )
    await publish(runtime, sheet_id)


async def _make_views(runtime: Runtime, sheet: DesignViews) -> None:
    async with reading(runtime.sessionmaker) as session:
        record = await records.get(session, sheet.record_id)
        if record is None:
            raise LookupError("the record is gone")
        design = await records.design_at(session, record, sheet.position)
        model = await service.design_model(session, runtime.storage, record, sheet.position)
    design_bytes = await images.read_bytes(runtime.storage, design)
    provider = runtime.image_provider
    made: dict[render.ViewAngle, bytes]
    usage: dict[str, Any] = {}
    if model.proxy and isinstance(provider, ViewRenderingProvider):
        made = {}
        for angle in render.VIEW_ANGLES:
            batch = await provider.render_view(design_bytes, view_prompt(angle))
            made[angle] = batch.images[0]
            usage[angle] = batch.usage
        source, model_name = provider.name, provider.model
    else:
        made = await asyncio.to_thread(render.render_sheet, model)
        source = "local-proxy" if model.proxy else "local"
        model_name = RENDERER
    frame = await asyncio.to_thread(render.frame, model)
    scores = await _scores(runtime, design_bytes, [made[angle] for angle in render.VIEW_ANGLES])
    views = []
    async with unit_of_work(runtime.sessionmaker) as session:
        for angle, score in zip(render.VIEW_ANGLES, scores, strict=True):
            valid = await offload.run(
                functools.partial(
                    validate_image,
                    max_bytes=runtime.settings.max_upload_bytes,
                    max_pixels=runtime.settings.max_upload_pixels,
                ),
                made[angle],
            )
            image = await images.store_image(
                session,
                runtime.storage,
                valid=valid,
                owner_id=sheet.owner_id,
                kind=ImageKind.generated,
                room_id=record.room_id,
                image_id=view_image_id(sheet.id, angle),
            )
            view: dict[str, Any] = {
                "angle": angle,
                "image_id": str(image.id),
                "score": round(score, 4),
                "extent_cm": [round(v, 1) for v in frame.extents_cm[angle]],
            }
            if model_name == RENDERER:
                # Rendered here, at one scale: a reader can measure the piece in pixels.
                view["scale_px_per_cm"] = round(frame.scale, 4)
            views.append(view)
        await ViewsRepository(session).move(
            sheet.id,
            StageStatus.ready,
            when=_OPEN,
            views=views,
            provider=source,
            model=model_name,
            score_model=runtime.embedder.model_id,
            error=None,
        )


async def _scores(runtime: Runtime, design: bytes, views: list[bytes]) -> list[float]:
    """Each view's cosine similarity to the design, by the process's embedder."""
    vectors = await asyncio.to_thread(runtime.embedder.embed_images, [design, *views])
    unit = l2_normalise(np.asarray(vectors, dtype=np.float32))
    return [float(unit[0] @ row) for row in unit[1:]]


async def ready_view_images(
    session: AsyncSession, storage: ObjectStorage, record_id: uuid.UUID, position: int
) -> list[tuple[str, float, bytes, str, int, int]]:
    """The design's latest finished views: (angle, score, bytes, content type, width, height)."""
    sheet = await ViewsRepository(session).latest(record_id, position)
    if sheet is None or sheet.status != StageStatus.ready:
        return []
    rows = await images.get_many(session, [uuid.UUID(view["image_id"]) for view in sheet.views])
    found = []
    for view in sheet.views:
        row = rows.get(uuid.UUID(view["image_id"]))
        if row is not None:
            data = await images.read_bytes(storage, row)
            found.append((view["angle"], float(view["score"]), data, row.content_type,
                          row.width, row.height))  # fmt: skip
    return found


async def recover_views(runtime: Runtime, *, at_startup: bool = False) -> int:
    """Hand views sheets left open by a dead process back to the queue: at start-up every open
    one (this process's in-process queue is empty), later those untouched for a lease period.
    A sheet run twice makes the same images under the same ids."""
    now = utcnow()
    stale = now if at_startup else now - timedelta(seconds=runtime.settings.job_lease_seconds)
    async with reading(runtime.sessionmaker) as session:
        sheet_ids = await ViewsRepository(session).unfinished(_OPEN, stale)
    for sheet_id in sheet_ids:
        await runtime.queue.enqueue(RENDER_VIEWS, sheet_id)
    return len(sheet_ids)
