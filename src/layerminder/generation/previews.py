"""Live previews: each design's in-between renders while the images stage runs.

A preview is an image of its own kind (`preview`): small, owned by the record's owner (so only
they, or their signed URL, can read it), in no room, with an id derived from the record, the
attempt, the position and the step. They are deleted when the images stage is over, and when the
record ends any other way (an error, a cancel), together with designs that were finished one
by one but never delivered as the record's 4 designs.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.images import service as images
from layerminder.images.validation import ValidImage, validate_image
from layerminder.models import Record, StageStatus
from layerminder.providers.base import DESIGN_COUNT
from layerminder.records.repository import RecordRepository
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


def fresh_slots(count: int = DESIGN_COUNT) -> list[dict[str, Any]]:
    """Every design waiting, as the images stage starts."""
    return [{"status": "pending"} for _ in range(count)]


async def discard(session: AsyncSession, storage: ObjectStorage, record: Record) -> int:
    """Delete the record's previews (this attempt's), and while its images stage is not
    `ready` the designs it finished but never delivered; bytes go after the commit."""
    ids = [
        preview_id(record.id, record.attempt, position, step)
        for position in range(DESIGN_COUNT)
        for step in range(1, MAX_STEPS + 1)
    ]
    if record.image_status != StageStatus.ready:
        linked = {
            image.id for image in (await RecordRepository(session).designs([record.id]))[record.id]
        }
        ids += [
            image_id
            for image_id in (design_id(record.id, p) for p in range(DESIGN_COUNT))
            if image_id not in linked
        ]
    return await images.delete_images(session, storage, ids)
