"""`layerminder model` and `layerminder views`: a design's GLB, and its views sheet, from the
command line (any record in this deployment's database: an operator's tool)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from layerminder.cli.common import console, fail, migrate_database, run
from layerminder.config import Settings


def _design(spec: str) -> tuple[uuid.UUID, int]:
    """RECORD:POS, the position 0-3."""
    record, _, position = spec.partition(":")
    try:
        found = uuid.UUID(record), int(position or "0")
    except ValueError:
        raise fail(f"give the design as RECORD:POS (a record id and 0-3), got {spec!r}") from None
    if not 0 <= found[1] <= 3:
        raise fail(f"a design's position is 0-3, got {found[1]}")
    return found


async def _record(session: Any, record_id: uuid.UUID) -> Any:
    from layerminder.errors import NotFound
    from layerminder.records import service as records

    record = await records.get(session, record_id)
    if record is None:
        raise NotFound(f"no record {record_id}")
    return record


async def _model(settings: Settings, record_id: uuid.UUID, position: int) -> tuple[bytes, Any]:
    from layerminder.db.session import reading
    from layerminder.objects import service
    from layerminder.runtime import open_runtime

    async with open_runtime(settings) as runtime, reading(runtime.sessionmaker) as session:
        record = await _record(session, record_id)
        model, body = await service.model_glb(session, runtime.storage, record, position)
        return body, model


def model(
    design: Annotated[str, typer.Argument(help="The design, RECORD:POS (position 0-3)")],
    out: Annotated[Path, typer.Option(help="Where to write the GLB")] = Path("design.glb"),
) -> None:
    """Write a design's 3D model as glTF 2.0 binary (metres, Y up)."""
    from layerminder.errors import LayerminderError

    record_id, position = _design(design)
    settings = Settings()
    migrate_database(settings)
    try:
        body, found = run(_model(settings, record_id, position))
    except LayerminderError as exc:
        raise fail(exc.message) from None
    out.write_bytes(body)
    proxy = " [yellow](proxy: fitted to the record's type and sizes)[/]" if found.proxy else ""
    console.print(
        f"wrote [bold]{out}[/]: {found.width_cm:.0f} x {found.depth_cm:.0f} x "
        f"{found.height_cm:.0f} cm, {len(found.parts)} parts{proxy}"
    )


async def _views(
    settings: Settings, record_id: uuid.UUID, position: int
) -> list[tuple[dict[str, Any], bytes]]:
    from layerminder.auth.repository import UserRepository
    from layerminder.db.session import reading, unit_of_work
    from layerminder.images import service as images
    from layerminder.jobs.queue import DirectQueue
    from layerminder.objects import views
    from layerminder.objects.repository import ViewsRepository
    from layerminder.runtime import open_runtime

    async with open_runtime(settings) as runtime:
        # The job runs here, in this process, as soon as the sheet is committed.
        queue = DirectQueue()
        runtime.queue = queue
        async with unit_of_work(runtime.sessionmaker) as session:
            record = await _record(session, record_id)
            owner = await UserRepository(session).get(record.owner_id)
            assert owner is not None
            sheet = await views.request_views(session, runtime, owner, record.id, position)
        for _, sheet_id in queue.jobs:
            await views.run_views(runtime, sheet_id)
        async with reading(runtime.sessionmaker) as session:
            done = await ViewsRepository(session).get(sheet.id)
            assert done is not None
            if done.status != "ready":
                raise RuntimeError(f"the views failed: {done.error}")
            found = await images.get_many(
                session, [uuid.UUID(view["image_id"]) for view in done.views]
            )
            return [
                (view, await images.read_bytes(runtime.storage, found[uuid.UUID(view["image_id"])]))
                for view in done.views
            ]


def views(
    design: Annotated[str, typer.Argument(help="The design, RECORD:POS (position 0-3)")],
    out: Annotated[Path, typer.Option(help="Folder for the four views")] = Path("./views"),
) -> None:
    """Make a design's views sheet (front, side, top, three-quarter), charged to the record's
    owner as in the studio, and write the views."""
    from layerminder.errors import LayerminderError

    record_id, position = _design(design)
    settings = Settings()
    migrate_database(settings)
    try:
        made = run(_views(settings, record_id, position))
    except LayerminderError as exc:
        raise fail(exc.message) from None
    except RuntimeError as exc:
        raise fail(str(exc)) from None
    out.mkdir(parents=True, exist_ok=True)
    for view, data in made:
        extension = "png" if data[:4] == b"\x89PNG" else "jpg"
        (out / f"{view['angle']}.{extension}").write_bytes(data)
        console.print(f"{view['angle']}: consistency {view['score']:.2f}")
    console.print(f"wrote {len(made)} views to [bold]{out}[/]")
