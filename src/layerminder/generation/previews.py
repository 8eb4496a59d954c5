"""Live previews: each design's in-between renders while the images stage runs.

A preview is an image of its own kind (`preview`): small, owned by the record's owner (so only
they, or their signed URL, can read it), in no room, with an id derived from the record, the
attempt, the position and the step. They are deleted when the images stage is over, and when the
record ends any other way (an error, a cancel), together with designs that were finished one
by one but never delivered as the record's 4 designs.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from functools import partial
from typing import Any

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder import offload
from layerminder.db.session import unit_of_work
from layerminder.generation.errors import JobCancelled
from layerminder.generation.repository import JobRepository
from layerminder.images import service as images
from layerminder.images.urls import image_url
from layerminder.images.validation import ValidImage, validate_image
from layerminder.models import ImageKind, Record, Stage, StageStatus
from layerminder.providers.base import DESIGN_COUNT
from layerminder.records import service as records
from layerminder.records.events import publish
from layerminder.runtime import Runtime
from layerminder.storage.base import ObjectStorage

# No provider makes more passes than this before the final one (OpenAI takes at most 3
# partial images): the ids a clean-up looks for.
MAX_STEPS = 4
# Small and cheap: a card is at most a few hundred pixels wide.
PREVIEW_SIDE = 384
PREVIEW_QUALITY = 70
_LIMIT = 20_000_000


def design_id(record_id: uuid.UUID, position: int) -> uuid.UUID:
    """Deterministic, so a re-run job overwrites the same objects instead of orphaning them."""
    return uuid.uuid5(record_id, f"design-{position}")


def preview_id(record_id: uuid.UUID, attempt: int, position: int, step: int) -> uuid.UUID:
    """Per attempt: a retry's previews get new URLs, so no browser shows a cached earlier one."""
    return uuid.uuid5(record_id, f"preview-{attempt}-{position}-{step}")


def small_preview(data: bytes) -> ValidImage:
    """Any image a provider sent as a preview, as a small JPEG. Blocking (decodes)."""
    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("RGB")
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=PREVIEW_QUALITY)
    return validate_image(out.getvalue(), max_bytes=_LIMIT, max_pixels=_LIMIT)


def small_enough(data: bytes) -> ValidImage | None:
    """A preview that is already a small JPEG (the local provider's passes), checked as it is;
    None when it needs small_preview. Cheap: only small images are decoded here."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fits = probe.format == "JPEG" and max(probe.size) <= PREVIEW_SIDE
    except OSError:
        return None
    return validate_image(data, max_bytes=_LIMIT, max_pixels=_LIMIT) if fits else None


def fresh_slots() -> list[dict[str, Any]]:
    """Every design waiting, as the images stage starts."""
    return [{"status": "pending"} for _ in range(DESIGN_COUNT)]


async def discard(session: AsyncSession, storage: ObjectStorage, record: Record) -> int:
    """Delete the record's previews (this attempt's), and while its images stage is not
    `ready` the designs it finished but never delivered; bytes go after the commit."""
    ids = [
        preview_id(record.id, record.attempt, position, step)
        for position in range(DESIGN_COUNT)
        for step in range(1, MAX_STEPS + 1)
    ]
    if record.image_status != StageStatus.ready:
        linked = {image.id for image in await records.designs_of(session, record.id)}
        ids += [
            image_id
            for image_id in (design_id(record.id, p) for p in range(DESIGN_COUNT))
            if image_id not in linked
        ]
    return await images.delete_images(session, storage, ids)


async def check_design(runtime: Runtime, data: bytes) -> ValidImage:
    """A finished design, checked as an upload is (format, size, pixels), off the event loop."""
    return await offload.run(
        partial(
            validate_image,
            max_bytes=runtime.settings.max_upload_bytes,
            max_pixels=runtime.settings.max_upload_pixels,
        ),
        data,
    )


class LivePreviews:
    """The images stage's DesignProgress: stores each preview and each finished design, keeps
    `design_slots` up to date and publishes a `preview` (or `images`) event with the state.

    Every write is conditional on the stage still processing: after a cancel nothing more is
    written (JobCancelled), and the bytes stored for the refused write are removed with it."""

    def __init__(self, runtime: Runtime, record: Record) -> None:
        self.runtime = runtime
        self.record = record
        # Finished designs already stored, by position: the stage's end stores only the rest.
        self.stored: dict[int, uuid.UUID] = {}
        # The slots as this job last wrote them: the stage began with every design pending,
        # and while the job holds the record nothing else writes them (no read per preview).
        self.slots = fresh_slots()
        # Providers may report concurrently (OpenAI: one stream per design); the slots are one
        # JSON value, so its read-modify-write is one at a time (one job holds the record).
        self._lock = asyncio.Lock()

    async def preview(self, position: int, image: bytes, step: int, of: int) -> None:
        # A small JPEG is taken as it is, here (no round trip to a worker process for 1 ms).
        valid = small_enough(image)
        if valid is None:
            valid = await offload.run(small_preview, image)
        record = self.record
        image_id = preview_id(record.id, record.attempt, position, step)
        async with self._lock:
            async with unit_of_work(self.runtime.sessionmaker) as session:
                await images.store_image(
                    session,
                    self.runtime.storage,
                    valid=valid,
                    owner_id=record.owner_id,
                    kind=ImageKind.preview,
                    room_id=None,
                    image_id=image_id,
                )
                shown = await self._update(
                    session,
                    position,
                    {
                        "status": "running",
                        "preview_image_id": str(image_id),
                        "step": step,
                        "of": of,
                    },
                )
            if not shown:
                return
            event = {"position": position, "url": image_url(image_id, self.runtime.secret)}
            await publish(
                self.runtime, record.id, "preview", preview={**event, "step": step, "of": of}
            )

    async def finished(self, position: int, image: bytes) -> None:
        valid = await check_design(self.runtime, image)
        record = self.record
        async with self._lock:
            async with unit_of_work(self.runtime.sessionmaker) as session:
                stored = await images.store_image(
                    session,
                    self.runtime.storage,
                    valid=valid,
                    owner_id=record.owner_id,
                    kind=ImageKind.generated,
                    room_id=record.room_id,
                    image_id=design_id(record.id, position),
                )
                await self._update(
                    session,
                    position,
                    {
                        "status": "ready",
                        "image_id": str(stored.id),
                        "width": stored.width,
                        "height": stored.height,
                    },
                )
            self.stored[position] = stored.id
            await publish(self.runtime, record.id, Stage.images)

    async def _update(self, session: AsyncSession, position: int, slot: dict[str, Any]) -> bool:
        """Set one position's slot; False (nothing written) for a preview of a design that is
        already made. JobCancelled once the stage is no longer processing."""
        if self.slots[position].get("status") == "ready" and slot["status"] != "ready":
            return False
        slots = [*self.slots[:position], slot, *self.slots[position + 1 :]]
        if not await JobRepository(session).set_design_slots(self.record.id, slots):
            raise JobCancelled
        self.slots = slots
        return True
