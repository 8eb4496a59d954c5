"""Design objects: each design's model kept in storage beside it, and what is made from it
(GLB, drawings, parts and checks). A design without a model (an OpenAI picture) gets a proxy
fitted to the record's type and sizes, labelled as one."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import Record, StageStatus
from layerminder.objects import buildability, drawings, glb, parts
from layerminder.objects.errors import DesignNotReady
from layerminder.objects.model import DesignModel, build_model
from layerminder.objects.proxy import proxy_model
from layerminder.objects.schemas import DesignObjectOut
from layerminder.providers.base import FurnitureType
from layerminder.records import service as records
from layerminder.storage.base import ObjectMissing, ObjectStorage

logger = logging.getLogger(__name__)

DrawingFormat = Literal["svg", "dxf"]
DRAWING_TYPES: dict[str, str] = {"svg": "image/svg+xml", "dxf": "image/vnd.dxf"}


def model_key(owner_id: uuid.UUID, design_id: uuid.UUID) -> str:
    """Beside the design's image, from ids the server chose: whatever sweeps a user's
    designs (an account deleted) takes the models with them."""
    return f"generated/{owner_id}/{design_id}.model.json"


async def store_models(
    storage: ObjectStorage,
    owner_id: uuid.UUID,
    design_ids: Sequence[uuid.UUID],
    raws: Sequence[dict[str, Any] | None],
    *,
    source: str,
) -> list[DesignModel | None]:
    """Keep each design's model beside it; a design the provider gave no parts for keeps none.
    Same ids, same keys: a re-run job overwrites what it wrote."""
    stored: list[DesignModel | None] = []
    for design_id, raw in zip(design_ids, raws, strict=False):
        if raw is None:
            stored.append(None)
            continue
        model = await asyncio.to_thread(build_model, raw, source=source)
        body = model.model_dump_json().encode()
        await storage.put(model_key(owner_id, design_id), body, "application/json")
        stored.append(model)
    return stored


async def stored_model(
    storage: ObjectStorage, owner_id: uuid.UUID, design_id: uuid.UUID
) -> DesignModel | None:
    try:
        body = await storage.get(model_key(owner_id, design_id))
    except ObjectMissing:
        return None
    return DesignModel.model_validate_json(body)


async def design_model(
    session: AsyncSession, storage: ObjectStorage, record: Record, position: int
) -> DesignModel:
    """The model of the record's design at `position`: the stored one, else a proxy.

    DesignNotReady while the designs are not there, or (for a proxy) the sizes are not."""
    if record.image_status != StageStatus.ready:
        raise DesignNotReady(
            f"record {record.id} has no designs yet (its images are {record.image_status})"
        )
    design = await records.design_at(session, record, position)
    model = await stored_model(storage, record.owner_id, design.id)
    if model is not None:
        return model
    if not (record.width_cm and record.depth_cm and record.height_cm):
        raise DesignNotReady(
            f"design {position} of record {record.id} is a picture only, and its sizes (the "
            f"story, {record.story_status}) are not there to fit a proxy to"
        )
    return proxy_model(
        record.furniture_type,
        record.width_cm,
        record.depth_cm,
        record.height_cm,
        record.seat_height_cm,
    )


@dataclass(frozen=True)
class Analysis:
    sizes: list[parts.PartSize]
    cuts: list[parts.CutItem]
    stability: buildability.Stability
    checks: list[buildability.Check]
    weight_kg: float


def analyse(model: DesignModel) -> Analysis:
    """Parts, cut list, weight and checks. Blocking (milliseconds)."""
    sizes = parts.measure_parts(model)
    stable = buildability.stability(model, sizes)
    return Analysis(
        sizes=sizes,
        cuts=parts.cut_list(sizes),
        stability=stable,
        checks=buildability.checks(model, sizes, stable),
        weight_kg=parts.total_mass_kg(sizes),
    )


def design_path(record_id: uuid.UUID, position: int) -> str:
    return f"/api/v1/records/{record_id}/designs/{position}"


async def design_object(
    session: AsyncSession, storage: ObjectStorage, record: Record, position: int
) -> DesignObjectOut:
    model = await design_model(session, storage, record, position)
    found = await asyncio.to_thread(analyse, model)
    return DesignObjectOut.build(
        position,
        model,
        found.sizes,
        found.cuts,
        found.stability,
        found.checks,
        found.weight_kg,
        design_path(record.id, position),
    )


async def model_glb(
    session: AsyncSession, storage: ObjectStorage, record: Record, position: int
) -> tuple[DesignModel, bytes]:
    model = await design_model(session, storage, record, position)
    return model, await asyncio.to_thread(glb.model_glb, model)


async def design_drawing(
    session: AsyncSession,
    storage: ObjectStorage,
    record: Record,
    position: int,
    fmt: DrawingFormat,
) -> tuple[DesignModel, bytes]:
    model = await design_model(session, storage, record, position)
    if fmt == "dxf":
        return model, await asyncio.to_thread(drawings.drawing_dxf, model)
    title = record.name or record.title or ""
    return model, await asyncio.to_thread(drawings.drawing_svg, model, title)


def whole_cm(value: float) -> int:
    """Whole centimetres as Python rounds (half to even): the same figure the offline story
    writes from the same parts, so the record's sizes and its text agree."""
    return round(value)


async def measured_sizes(
    session: AsyncSession, storage: ObjectStorage, record: Record
) -> dict[str, Any] | None:
    """The record's sizes as its first design's model measures them (whole cm), to be the
    record's own: None when that design has no model (a picture from OpenAI)."""
    designs = await records.designs_of(session, record.id)
    if not designs:
        return None
    model = await stored_model(storage, record.owner_id, designs[0].id)
    if model is None:
        return None
    sizes: dict[str, Any] = {
        "width_cm": whole_cm(model.width_cm),
        "depth_cm": whole_cm(model.depth_cm),
        "height_cm": whole_cm(model.height_cm),
        "seat_height_cm": whole_cm(model.seat_height_cm) if model.seat_height_cm else None,
    }
    if model.furniture_type is not FurnitureType.other:
        # A form the model does not know keeps the type the story gave.
        sizes["furniture_type"] = model.furniture_type.value
    return sizes


@dataclass(frozen=True)
class DesignFiles:
    """One design's hand-off files, made from its model (or its proxy)."""

    position: int
    model: DesignModel
    glb: bytes
    dxf: bytes
    svg: bytes
    analysis: Analysis


def _files(position: int, model: DesignModel, title: str) -> DesignFiles:
    return DesignFiles(
        position=position,
        model=model,
        glb=glb.model_glb(model),
        dxf=drawings.drawing_dxf(model),
        svg=drawings.drawing_svg(model, title),
        analysis=analyse(model),
    )


async def design_files(
    session: AsyncSession, storage: ObjectStorage, record: Record
) -> list[DesignFiles]:
    """Every design's GLB, DXF, SVG and parts analysis; none for a design whose model cannot be
    made yet (a picture before its sizes are written)."""
    made = []
    designs = await records.designs_of(session, record.id)
    for position in range(len(designs)):
        try:
            model = await design_model(session, storage, record, position)
        except DesignNotReady:
            continue
        title = record.name or record.title or ""
        made.append(await asyncio.to_thread(_files, position, model, title))
    return made


async def inherit_model(
    storage: ObjectStorage,
    owner_id: uuid.UUID,
    edited_id: uuid.UUID,
    design_ids: Sequence[uuid.UUID],
) -> bool:
    """A region or markup edit repaints part of one design: each of its designs keeps the
    edited design's model, where that has one. False when it has none (a picture: a proxy)."""
    model = await stored_model(storage, owner_id, edited_id)
    if model is None:
        return False
    body = model.model_dump_json().encode()
    for design_id in design_ids:
        await storage.put(model_key(owner_id, design_id), body, "application/json")
    return True
