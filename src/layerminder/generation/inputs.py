"""What the stages read: the record's brief (its reference images, roles, strengths, keyword,
style and edit) and the designs an earlier stage delivered."""

from __future__ import annotations

import uuid
from typing import cast

from layerminder.db.session import reading
from layerminder.generation.errors import StageFailed
from layerminder.images import service as images
from layerminder.models import Record
from layerminder.providers.base import DESIGN_COUNT, Brief, BriefInput, InputImage, InputRole
from layerminder.records import service as records
from layerminder.runtime import Runtime
from layerminder.styles import catalogue as styles


async def load_inputs(runtime: Runtime, record: Record) -> list[InputImage]:
    """The record's reference images, in the brief's order."""
    async with reading(runtime.sessionmaker) as session:
        found = await images.get_many(session, [uuid.UUID(i) for i in record.input_image_ids])
    inputs = []
    for position, image_id in enumerate(record.input_image_ids):
        image = found.get(uuid.UUID(image_id))
        if image is None:
            raise StageFailed(f"input image {image_id} no longer exists")
        data = await runtime.storage.get(image.storage_key)
        extension = image.storage_key.rsplit(".", 1)[-1]
        inputs.append(InputImage(data, image.content_type, f"reference-{position + 1}.{extension}"))
    return inputs


async def load_brief(runtime: Runtime, record: Record) -> Brief:
    """The brief the record was started with: its references (roles, strengths), keyword, style."""
    inputs = await load_inputs(runtime, record)
    roles = record.brief_inputs
    style = styles.STYLES_BY_ID.get(record.style) if record.style else None
    mask, markup, edit_prompt = await _load_edit(runtime, record)
    return Brief(
        inputs=tuple(
            BriefInput(image, role=cast(InputRole, role), strength=strength)
            for image, (_, role, strength) in zip(inputs, roles, strict=True)
        ),
        keyword=record.keyword,
        style=style.cue if style else None,
        mask=mask,
        markup=markup,
        edit_prompt=edit_prompt,
    )


async def _load_edit(
    runtime: Runtime, record: Record
) -> tuple[InputImage | None, InputImage | None, str | None]:
    """An edit's mask or markup, and its prompt; all None for a record that is not an edit."""
    if not record.edit:
        return None, None, None
    what = "markup" if record.edit.get("markup_image_id") else "mask"
    async with reading(runtime.sessionmaker) as session:
        found = await images.get_many(session, [uuid.UUID(record.edit[f"{what}_image_id"])])
    overlay = next(iter(found.values()), None)
    if overlay is None:
        raise StageFailed(f"the edit's {what} image no longer exists")
    data = await runtime.storage.get(overlay.storage_key)
    image = InputImage(data, overlay.content_type, f"{what}.png")
    prompt = str(record.edit["prompt"])
    return (None, image, prompt) if what == "markup" else (image, None, prompt)


async def load_designs(runtime: Runtime, record: Record) -> list[bytes]:
    """The bytes of the record's 4 delivered designs, in position order."""
    async with reading(runtime.sessionmaker) as session:
        designs = await records.designs_of(session, record.id)
    if len(designs) != DESIGN_COUNT:
        raise StageFailed("the record has no designs to describe")
    return [await runtime.storage.get(image.storage_key) for image in designs]
