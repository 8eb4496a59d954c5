"""What a spec sheet shows: the record as clients see it, with the image bytes it prints."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.errors import Conflict
from layerminder.images import service as images
from layerminder.models import Image, Record
from layerminder.objects import service as design_objects
from layerminder.objects import views as object_views
from layerminder.records.schemas import RecordOut
from layerminder.records.views import RecordViews
from layerminder.storage.base import ObjectStorage


@dataclass(frozen=True)
class SheetImage:
    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return {"image/png": "png", "image/webp": "webp"}.get(self.content_type, "jpg")


@dataclass
class SpecSheet:
    record: RecordOut
    designs: list[SheetImage]
    inputs: list[SheetImage]
    # Recommendation images in rank order (the record's `recommendations` say title and score).
    references: list[SheetImage] = field(default_factory=list)
    # The design printed large: the one the story describes unless the caller picks another.
    chosen: int = 0
    # Each design's model files (GLB, DXF, SVG) and parts analysis, where it has a model.
    objects: list[design_objects.DesignFiles] = field(default_factory=list)
    # The chosen design's latest finished views sheet: (angle, consistency score, image).
    views: list[tuple[str, float, SheetImage]] = field(default_factory=list)

    @property
    def chosen_object(self) -> design_objects.DesignFiles | None:
        return next((o for o in self.objects if o.position == self.chosen), None)

    @property
    def language(self) -> str:
        return self.record.language

    @property
    def slug(self) -> str:
        """A file name from the record's name, in its own script ("탈로-벤치", "talo-bench"),
        or the record id when the name has no letters."""
        return file_name(self.record.name or "") or self.ascii_slug

    @property
    def ascii_slug(self) -> str:
        """An ASCII file name for clients that read only `filename=`: the name's Latin words,
        or the record id."""
        latin = file_name(self.record.name or "", ascii_only=True)
        return latin or f"record-{self.record.id.hex[:8]}"


def file_name(text: str, *, ascii_only: bool = False) -> str:
    """The letters and digits of `text`, lowercased, hyphen-joined, at most 60 characters."""
    kept = "".join(c if c.isalnum() and (c.isascii() or not ascii_only) else " " for c in text)
    return "-".join(kept.lower().split())[:60].strip("-")


async def _read(storage: ObjectStorage, image: Image) -> SheetImage:
    return SheetImage(
        await storage.get(image.storage_key), image.content_type, image.width, image.height
    )


async def load_sheet(
    session: AsyncSession,
    storage: ObjectStorage,
    record: Record,
    views: RecordViews,
    chosen: int = 0,
) -> SpecSheet:
    """The record with its designs, inputs and recommended references read from storage."""
    out = await views.one(session, record)
    delivered = [d.image_id for d in out.designs if d.image_id is not None]
    if out.image_status != "ready" or not delivered:
        raise Conflict("the record has no designs yet: export it once the images stage is ready")
    wanted = list(delivered)
    wanted += out.input_image_ids
    wanted += [r.image_id for r in out.recommendations]
    found = await images.get_many(session, wanted)

    async def read_all(ids: list[uuid.UUID]) -> list[SheetImage]:
        return [await _read(storage, found[i]) for i in ids if i in found]

    chosen = min(max(chosen, 0), len(delivered) - 1)
    shown = await object_views.ready_view_images(session, storage, record.id, chosen)
    return SpecSheet(
        record=out,
        designs=await read_all(delivered),
        inputs=await read_all(list(out.input_image_ids)),
        references=await read_all([r.image_id for r in out.recommendations]),
        chosen=chosen,
        objects=await design_objects.design_files(session, storage, record),
        views=[
            (angle, score, SheetImage(data, content_type, width, height))
            for angle, score, data, content_type, width, height in shown
        ],
    )
