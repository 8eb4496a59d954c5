"""Building the exports: a record as PDF, JSON-LD or zip; a room's records in one zip."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.errors import Conflict, NotFound
from layerminder.exports.jsonld import product_jsonld
from layerminder.exports.sheet import SpecSheet, file_name, load_sheet
from layerminder.models import Record, Room, StageStatus
from layerminder.records import service as records
from layerminder.records.views import RecordViews
from layerminder.storage.base import ObjectStorage

# A room export holds at most this many records (newest first), so one zip stays a download.
ROOM_EXPORT_LIMIT = 200


class ExportFormat(StrEnum):
    pdf = "pdf"
    zip = "zip"
    json = "json"


MEDIA_TYPES = {
    ExportFormat.pdf: "application/pdf",
    ExportFormat.zip: "application/zip",
    ExportFormat.json: "application/ld+json",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    filename: str  # in the name's own script (RFC 6266 filename*)
    ascii_filename: str  # for clients that read only filename=


async def export_record(
    session: AsyncSession,
    storage: ObjectStorage,
    record: Record,
    fmt: ExportFormat,
    *,
    views: RecordViews,
    base_url: str,
    design: int = 0,
) -> Export:
    sheet = await load_sheet(session, storage, record, views, design)
    if fmt is ExportFormat.json:
        body = json.dumps(product_jsonld(sheet, base_url), ensure_ascii=False, indent=2)
        content = body.encode()
    elif fmt is ExportFormat.pdf:
        content = await asyncio.to_thread(render_pdf, sheet)
    else:
        content = await asyncio.to_thread(_zip_one, sheet, base_url)
    extension = "jsonld" if fmt is ExportFormat.json else fmt.value
    return Export(
        content, MEDIA_TYPES[fmt], f"{sheet.slug}.{extension}", f"{sheet.ascii_slug}.{extension}"
    )


def _add_sheet(archive: zipfile.ZipFile, sheet: SpecSheet, base_url: str, folder: str = "") -> None:
    """The full-size designs, the inputs, the PDF, the JSON-LD and record.json."""
    design_files = [
        f"designs/design-{index + 1}.{image.extension}" for index, image in enumerate(sheet.designs)
    ]
    for name, image in zip(design_files, sheet.designs, strict=True):
        # Already-compressed images: stored, not deflated again.
        archive.writestr(folder + name, image.data, compress_type=zipfile.ZIP_STORED)
    for index, image in enumerate(sheet.inputs):
        archive.writestr(
            f"{folder}inputs/input-{index + 1}.{image.extension}",
            image.data,
            compress_type=zipfile.ZIP_STORED,
        )
    object_files = _add_objects(archive, sheet, folder)
    archive.writestr(f"{folder}{sheet.slug}.pdf", render_pdf(sheet))
    product = product_jsonld(sheet, base_url, images=design_files, objects=object_files)
    archive.writestr(f"{folder}product.jsonld", json.dumps(product, ensure_ascii=False, indent=2))
    archive.writestr(
        f"{folder}record.json",
        json.dumps(sheet.record.model_dump(mode="json"), ensure_ascii=False, indent=2),
    )


def _add_objects(
    archive: zipfile.ZipFile, sheet: SpecSheet, folder: str
) -> dict[int, dict[str, str]]:
    """Each design's GLB, DXF and SVG under objects/ (a proxy's names say so); the names by
    position, for the JSON-LD."""
    names: dict[int, dict[str, str]] = {}
    for found in sheet.objects:
        stem = f"objects/design-{found.position + 1}{'-proxy' if found.model.proxy else ''}"
        files = {"glb": f"{stem}.glb", "dxf": f"{stem}.dxf", "svg": f"{stem}.svg"}
        archive.writestr(folder + files["glb"], found.glb)
        archive.writestr(folder + files["dxf"], found.dxf)
        archive.writestr(folder + files["svg"], found.svg)
        names[found.position] = files
    return names


def render_pdf(sheet: SpecSheet) -> bytes:
    """The spec sheet as a PDF. fpdf (and fontTools under it) is about a fifth of the API's
    import time and only an export needs it, so it is imported here, on the first one: every
    server, worker and CLI command starts without it."""
    from layerminder.exports.pdf import render_pdf as render

    return render(sheet)


def _zip_one(sheet: SpecSheet, base_url: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_sheet(archive, sheet, base_url)
    return buffer.getvalue()


def _room_json(room: Room, folders: list[dict[str, Any]]) -> str:
    body = {
        "id": str(room.id),
        "name": room.name,
        "description": room.description,
        "exported_at": datetime.now(UTC).isoformat(),
        "records": folders,
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


async def export_room(
    session: AsyncSession, storage: ObjectStorage, room: Room, *, views: RecordViews, base_url: str
) -> Export:
    """Every record of the room with designs, one folder each, newest first, and room.json."""
    recent, _ = await records.list_for_room(session, room, ROOM_EXPORT_LIMIT, 0)
    ready = [r for r in recent if r.image_status == StageStatus.ready]
    if not ready:
        raise Conflict("the room has no records with designs to export")
    sheets = [await load_sheet(session, storage, record, views) for record in ready]
    content = await asyncio.to_thread(_zip_room, room, sheets, base_url)
    ascii_name = file_name(room.name, ascii_only=True) or f"room-{room.id.hex[:8]}"
    name = file_name(room.name) or ascii_name
    return Export(content, MEDIA_TYPES[ExportFormat.zip], f"{name}.zip", f"{ascii_name}.zip")


def _zip_room(room: Room, sheets: list[SpecSheet], base_url: str) -> bytes:
    buffer = io.BytesIO()
    folders = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, sheet in enumerate(sheets):
            folder = f"{index + 1:03d}-{sheet.slug}/"
            _add_sheet(archive, sheet, base_url, folder)
            folders.append({"folder": folder, "record_id": str(sheet.record.id)})
        archive.writestr("room.json", _room_json(room, folders))
    return buffer.getvalue()


async def record_in_public_room(session: AsyncSession, room: Room, record_id: uuid.UUID) -> Record:
    record = await records.get(session, record_id)
    if record is None or record.room_id != room.id or record.image_status != StageStatus.ready:
        raise NotFound(f"no record {record_id} in this room")
    return record
