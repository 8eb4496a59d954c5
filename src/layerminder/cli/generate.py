"""`layerminder generate`: the whole pipeline from the command line, with stage progress."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.table import Table

from layerminder.cli.common import console, err_console, fail, migrate_database, run
from layerminder.config import Settings
from layerminder.jobs.queue import DirectQueue
from layerminder.providers.base import DEFAULT_STRENGTH, INPUT_ROLES, InputRole, Language

CLI_EMAIL = "cli@layerminder.local"


def _stage_table(state: dict[str, Any]) -> Table:
    # Imported here: the models bring SQLAlchemy, which the other commands start without.
    from layerminder.models import Stage, StageStatus

    icons = {
        StageStatus.pending: "[dim]·[/]",
        StageStatus.processing: "[yellow]…[/]",
        StageStatus.ready: "[green]✓[/]",
        StageStatus.error: "[red]✗[/]",
        StageStatus.cancelled: "[dim]⊘[/]",
    }
    table = Table(show_header=False, box=None)
    for stage in Stage:
        status = StageStatus(state.get(stage.status_field, StageStatus.pending))
        error = state.get(stage.error_field)
        table.add_row(icons[status], stage.value, status.value, f"[red]{error}[/]" if error else "")
        if stage is Stage.images and status is StageStatus.processing:
            for design in state.get("designs") or []:
                table.add_row("", f"  design {design['position'] + 1}", _design_progress(design))
    return table


def _design_progress(design: dict[str, Any]) -> str:
    """`ready`, `pending`, or the pass its latest preview is from (`pass 2/3`)."""
    preview = design.get("preview")
    if design.get("status") == "running" and preview:
        return f"pass {preview['step']}/{preview['of']}"
    return str(design.get("status", "pending"))


# story.md's own words, in the story's language.
MARKDOWN_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "untitled": "Untitled",
        "name": "Name",
        "dimensions": "Dimensions",
        "size": "W {w} cm × D {d} cm × H {h} cm",
        "material": "Material",
        "keywords": "Keywords",
        "made_by": "Made by {images} (images), {story} (story), {embedder} (recommendations).",
        "references": "Recommended references",
        "similarity": "similarity",
    },
    "ko": {
        "untitled": "제목 없음",
        "name": "이름",
        "dimensions": "치수",
        "size": "폭 {w}cm × 깊이 {d}cm × 높이 {h}cm",
        "material": "소재",
        "keywords": "키워드",
        "made_by": "이미지 {images}, 스토리 {story}, 추천 {embedder}로 만들었습니다.",
        "references": "추천 레퍼런스",
        "similarity": "유사도",
    },
}


def _reference_title(reference: dict[str, Any], language: str) -> str:
    title: str = (reference.get("title_ko") if language == "ko" else None) or reference["title"]
    return title


def _markdown(state: dict[str, Any]) -> str:
    language = state.get("language") or "en"
    labels = MARKDOWN_LABELS.get(language, MARKDOWN_LABELS["en"])
    dims = state.get("dimensions") or {}
    keywords = state.get("keywords") or []
    shown = state.get("keywords_display") or keywords
    size = labels["size"].format(
        w=dims.get("width_cm"), d=dims.get("depth_cm"), h=dims.get("height_cm")
    )
    lines = [
        f"# {state.get('title') or labels['untitled']}",
        "",
        f"**{labels['name']}:** {state.get('name')}  ",
        f"**{labels['dimensions']}:** {size}  ",
        f"**{labels['material']}:** {state.get('material')}",
        "",
        state.get("story") or "",
        "",
        f"**{labels['keywords']}:** " + ", ".join(shown),
    ]
    if shown != keywords:
        # The English keywords are what search and the seed's contract use: keep them at hand.
        lines[-1] += "  "
        lines.append("`" + ", ".join(keywords) + "`")
    lines += [
        "",
        labels["made_by"].format(
            images=f"{state.get('image_provider')}/{state.get('image_model')}",
            story=f"{state.get('story_provider')}/{state.get('story_model')}",
            embedder=state.get("embedder_model"),
        ),
    ]
    if state.get("recommendations"):
        lines += ["", f"## {labels['references']}", ""]
        lines += [
            f"{r['rank']}. {_reference_title(r, language)} "
            f"({labels['similarity']} {r['score']:.3f})"
            for r in state["recommendations"]
        ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class CliInput:
    """One reference from the command line: its bytes, role and strength."""

    data: bytes
    role: InputRole = "any"
    strength: float = DEFAULT_STRENGTH


def _role_inputs(roles: list[str], strengths: list[float]) -> list[CliInput]:
    """`--role ROLE:PATH`, each paired in order with a `--strength` (0.5 where none is left)."""
    if len(strengths) > len(roles):
        raise fail(f"{len(strengths)} --strength values for {len(roles)} --role references")
    inputs = []
    known: dict[str, InputRole] = {name: name for name in INPUT_ROLES}
    for index, spec in enumerate(roles):
        name, _, path = spec.partition(":")
        role = known.get(name)
        if role is None or not path:
            raise fail(f"--role takes ROLE:PATH with ROLE one of {', '.join(INPUT_ROLES)}: {spec}")
        strength = strengths[index] if index < len(strengths) else DEFAULT_STRENGTH
        if not 0.0 <= strength <= 1.0:
            raise fail(f"--strength must be within 0.0-1.0, got {strength}")
        inputs.append(CliInput(_read(Path(path)), role, strength))
    return inputs


def _parent(spec: str | None) -> tuple[uuid.UUID, int] | None:
    """`--parent RECORD:POS`: a record id and a design position 0-3, as the API takes them."""
    if spec is None:
        return None
    record, _, position = spec.rpartition(":")
    try:
        parsed = uuid.UUID(record), int(position)
    except ValueError:
        raise fail(
            f"--parent takes RECORD:POS (a record id and a design position 0-3): {spec}"
        ) from None
    if not 0 <= parsed[1] <= 3:
        raise fail(f"--parent's design position is 0-3, got {parsed[1]}")
    return parsed


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise fail(f"{path} is not a file")
    return path.read_bytes()


def generate(
    images: Annotated[
        list[Path] | None,
        typer.Argument(help="Reference images (role any, strength 0.5); 1 to 4 in all"),
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            help="A reference with a role, ROLE:PATH (form, material, colour, mood, any); "
            "repeat for more. They come first, in the order given",
        ),
    ] = None,
    strength: Annotated[
        list[float] | None,
        typer.Option(
            "--strength",
            help="How much to take from a --role reference, 0.0-1.0; the first --strength goes "
            "with the first --role, and so on (default 0.5)",
        ),
    ] = None,
    style: Annotated[
        str | None, typer.Option(help="A curated style id (GET /api/v1/styles), e.g. japandi")
    ] = None,
    parent: Annotated[
        str | None,
        typer.Option(
            help="Refine design POS (0-3) of an earlier record, RECORD:POS: it becomes the first "
            "reference (role form, strength 0.8)"
        ),
    ] = None,
    keyword: Annotated[str | None, typer.Option(help="Style keyword, e.g. minimal")] = None,
    language: Annotated[
        Language,
        typer.Option(help="The story's language: ko (Korean) or en (English)"),
    ] = "en",
    out: Annotated[Path, typer.Option(help="Folder for the designs and the story")] = Path(
        "./generated"
    ),
) -> None:
    """Merge reference images into 4 designs, write their story, recommend references."""
    from layerminder.errors import LayerminderError
    from layerminder.models import Stage, StageStatus

    inputs = _role_inputs(role or [], strength or [])
    inputs += [CliInput(_read(path)) for path in images or []]
    refine = _parent(parent)
    limit = 3 if refine else 4
    if not (0 if refine else 1) <= len(inputs) <= limit:
        raise fail(f"give {'0' if refine else '1'} to {limit} images, got {len(inputs)}")
    settings = Settings()
    migrate_database(settings)
    try:
        state, designs = run(_generate(settings, inputs, keyword, language, style, refine))
    except LayerminderError as exc:
        raise fail(exc.message) from None
    out.mkdir(parents=True, exist_ok=True)
    for position, data in enumerate(designs, start=1):
        (out / f"design-{position}.jpg").write_bytes(data)
    (out / "story.json").write_text(
        json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (out / "story.md").write_text(_markdown(state), encoding="utf-8")
    console.print(f"wrote {len(designs)} designs, story.md and story.json to [bold]{out}[/]")
    if state.get("cancelled"):
        refunded = " (credit refunded)" if state.get("refunded") else ""
        err_console.print(f"cancelled{refunded}")
        raise typer.Exit(130)
    if state[Stage.images.status_field] != StageStatus.ready:
        raise typer.Exit(1)


async def _generate(
    settings: Settings,
    inputs: list[CliInput],
    keyword: str | None,
    language: Language = "en",
    style: str | None = None,
    parent: tuple[uuid.UUID, int] | None = None,
) -> tuple[dict[str, Any], list[bytes]]:
    from layerminder.auth import service as auth
    from layerminder.auth.repository import UserRepository
    from layerminder.credits import service as credits
    from layerminder.db.session import unit_of_work
    from layerminder.errors import AlreadyFinished
    from layerminder.generation import service as generation
    from layerminder.generation.job import run_generation
    from layerminder.generation.schemas import GenerateIn, InputIn, ParentIn
    from layerminder.images import service as images
    from layerminder.library.importing import seed_starter_library
    from layerminder.models import Room
    from layerminder.records import service as records
    from layerminder.records.events import channel
    from layerminder.rooms import service as rooms
    from layerminder.runtime import open_runtime

    async with open_runtime(settings) as runtime:
        if settings.seed_library:
            await seed_starter_library(runtime)
        queue = DirectQueue()
        async with unit_of_work(runtime.sessionmaker) as session:
            user = await UserRepository(session).by_email(CLI_EMAIL)
            if user is None:
                user = await auth.create_user(
                    session, settings, CLI_EMAIL, uuid.uuid4().hex, admin=False
                )
            if await credits.balance(session, user.id) < settings.generation_cost:
                await credits.grant(
                    session, user.id, settings.generation_cost, note="command-line generation"
                )
            # A refine stays in its parent's room (another user's record is not found); a new
            # generation gets a room of its own.
            room: Room = (
                await rooms.get_owned(
                    session, (await records.get_owned(session, parent[0], user)).room_id, user
                )
                if parent
                else await rooms.create(session, user, "Command line", "", False)
            )
            uploaded = [
                await images.upload(
                    session,
                    runtime.storage,
                    settings,
                    owner=user,
                    room_id=room.id,
                    data=item.data,
                )
                for item in inputs
            ]
            record = await generation.start_generation(
                session,
                queue,
                user,
                GenerateIn(
                    room_id=room.id,
                    inputs=[
                        InputIn(image_id=image.id, role=item.role, strength=item.strength)
                        for image, item in zip(uploaded, inputs, strict=True)
                    ]
                    or None,
                    parent=ParentIn(record_id=parent[0], position=parent[1]) if parent else None,
                    keyword=keyword,
                    style=style,
                    language=language,
                ),
                storage=runtime.storage,
                cost=settings.generation_cost,
            )
        console.print(f"record [bold]{record.id}[/]")
        state: dict[str, Any] = {}

        async def cancel_on_interrupt(interrupted: asyncio.Event) -> None:
            # Ctrl-C cancels the record as the API would (the job stops at its next check and
            # the credit comes back if no design was delivered); the stream then shows it.
            await interrupted.wait()
            console.print("cancelling…")
            async with unit_of_work(runtime.sessionmaker) as session:
                with contextlib.suppress(AlreadyFinished):
                    await generation.cancel_generation(session, runtime, user, record.id)

        interrupted = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, interrupted.set)
        canceller = asyncio.create_task(cancel_on_interrupt(interrupted))
        async with runtime.events.subscribe(channel(record.id)) as subscription:
            job = asyncio.create_task(run_generation(runtime, record.id))
            with Live(_stage_table(state), console=console, refresh_per_second=8) as live:
                while not job.done() or state.get("done") is False:
                    event = await subscription.get(timeout=0.2)
                    if event is not None:
                        state = event["record"]
                        preview = event.get("preview")
                        if preview is not None:
                            # A line per preview, so a log (no live table) shows them too.
                            live.console.print(
                                f"design {preview['position'] + 1}: preview "
                                f"{preview['step']}/{preview['of']}"
                            )
                        live.update(_stage_table(state))
                    elif job.done():
                        break
            await job
        loop.remove_signal_handler(signal.SIGINT)
        if not interrupted.is_set():
            canceller.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await canceller
        async with runtime.sessionmaker() as session:
            final = await records.get(session, record.id)
            assert final is not None
            state = (await runtime.record_views.one(session, final)).model_dump(mode="json")
            designs = await records.designs_of(session, record.id)
        design_bytes = [await runtime.storage.get(image.storage_key) for image in designs]
    return state, design_bytes
