"""The images stage: the brief becomes 4 designs (or a region edit repaints one 4 ways)."""

from __future__ import annotations

import io
import uuid
from dataclasses import replace
from typing import Any

from PIL import Image as PILImage

from layerminder import offload
from layerminder.db.session import unit_of_work
from layerminder.generation import previews
from layerminder.generation.errors import StageFailed
from layerminder.generation.estimates import record_previews
from layerminder.generation.inputs import load_brief
from layerminder.generation.lifecycle import finish_stage
from layerminder.generation.previews import design_id
from layerminder.generation.repository import JobRepository
from layerminder.generation.stages.base import StageWork
from layerminder.images import service as images
from layerminder.models import ImageKind, Record, Stage
from layerminder.objects import service as objects
from layerminder.providers.base import (
    DESIGN_COUNT,
    Brief,
    DesignBatch,
    InputImage,
    MarkupEditingProvider,
    edit_parts,
    markup_parts,
)
from layerminder.providers.markup import onto_original, regions_mask
from layerminder.providers.masks import keep_outside
from layerminder.records import service as records
from layerminder.records.events import publish
from layerminder.runtime import Runtime


async def make_designs(runtime: Runtime, record: Record) -> None:
    brief = await load_brief(runtime, record)
    live = previews.LivePreviews(runtime, record)
    if brief.markup is not None:
        batch = await _edit_markup(runtime, brief)
    elif brief.is_edit:
        batch = await _edit_region(runtime, brief)
    else:
        progress = live if record_previews(runtime.settings, record) else None
        batch = await runtime.image_provider.generate_designs(
            brief, DESIGN_COUNT, progress=progress
        )
    if len(batch.images) != DESIGN_COUNT:
        raise StageFailed(f"the image provider returned {len(batch.images)} designs, not 4")
    checked = {
        position: await previews.check_design(runtime, data)
        for position, data in enumerate(batch.images)
        if position not in live.stored
    }
    async with unit_of_work(runtime.sessionmaker) as session:
        design_ids = []
        for position in range(DESIGN_COUNT):
            if position in live.stored:
                design_ids.append(live.stored[position])
                continue
            image = await images.store_image(
                session,
                runtime.storage,
                valid=checked[position],
                owner_id=record.owner_id,
                kind=ImageKind.generated,
                room_id=record.room_id,
                image_id=design_id(record.id, position),
            )
            design_ids.append(image.id)
        await JobRepository(session).add_designs(record.id, design_ids)
        # Each design's parts, where the provider drew it from parts: its model for the GLB,
        # drawings, parts list and the record's sizes (objects/).
        await objects.store_models(
            runtime.storage,
            record.owner_id,
            design_ids,
            batch.models,
            source=f"{batch.provider}:{batch.model}",
        )
        if not batch.models and record.edit:
            # An edit repaints a region of one design: the piece, and so its model, stays.
            await objects.inherit_model(
                runtime.storage, record.owner_id, uuid.UUID(record.edit["image_id"]), design_ids
            )
        usage = dict(record.usage or {})
        usage["images"] = batch.usage
        await finish_stage(
            session,
            record.id,
            Stage.images,
            image_provider=batch.provider,
            image_model=batch.model,
            usage=usage,
            # The 4 designs are the record's now; their progress and previews are over.
            design_slots=None,
        )
        current = await records.get(session, record.id)
        assert current is not None
        await previews.discard(session, runtime.storage, current)
    await publish(runtime, record.id, Stage.images)


async def _edit_region(runtime: Runtime, brief: Brief) -> DesignBatch:
    """The provider repaints; then, whatever it did elsewhere, every pixel outside the mask is
    put back from the original, so an edit never drifts the rest of the piece."""
    image, mask = edit_parts(brief)
    batch = await runtime.image_provider.edit_region(brief, DESIGN_COUNT)
    batch.images = [
        await offload.run(keep_outside, image.data, edited, mask.data) for edited in batch.images
    ]
    return batch


async def _edit_markup(runtime: Runtime, brief: Brief) -> DesignBatch:
    """A provider that reads markup (OpenAI) gets it as drawn; any other gets a region edit of
    what the strokes mark (widened strokes and what they encircle), the notes in its prompt."""
    image, markup = markup_parts(brief)
    provider = runtime.image_provider
    if isinstance(provider, MarkupEditingProvider):
        batch = await provider.edit_markup(brief, DESIGN_COUNT)
        batch.images = [
            await offload.run(onto_original, image.data, edited) for edited in batch.images
        ]
        return batch
    size = await offload.run(_size_of, image.data)
    mask = await offload.run(regions_mask, markup.data, size)
    region = replace(brief, markup=None, mask=InputImage(mask, "image/png", "mask.png"))
    return await _edit_region(runtime, region)


def _size_of(data: bytes) -> tuple[int, int]:
    with PILImage.open(io.BytesIO(data)) as opened:
        return opened.size


def _waiting_slots() -> dict[str, Any]:
    # Every design starts waiting, so the page shows 4 cards filling one by one.
    return {"design_slots": previews.fresh_slots()}


WORK = StageWork(Stage.images, make_designs, on_start=_waiting_slots)
