"""`layerminder library`: import a folder into the reference library, list it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from layerminder.cli.main import console, fail, migrate_database, run
from layerminder.config import Settings

library_app = typer.Typer(
    help="The reference library recommendations come from.", no_args_is_help=True
)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


def _image_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
    )


@library_app.command("import")
def import_folder(
    folder: Annotated[Path, typer.Argument(help="A folder of JPEG/PNG/WebP images (recursive)")],
    tag: Annotated[list[str] | None, typer.Option(help="Tag every imported image")] = None,
) -> None:
    """Add a folder of images (deduplicated by sha256) and publish a new index version."""
    from layerminder.library.service import NewReference, import_references
    from layerminder.runtime import open_runtime

    if not folder.is_dir():
        raise fail(f"{folder} is not a folder")
    files = _image_files(folder)
    if not files:
        raise fail(f"no .jpg, .png or .webp files under {folder}")
    settings = Settings()
    migrate_database(settings)

    async def _import() -> None:
        items = [
            NewReference(
                data=path.read_bytes(),
                title=path.stem.replace("_", " ").replace("-", " "),
                source=str(path),
                tags=list(tag or []),
            )
            for path in files
        ]
        progress = Progress(
            TextColumn("[bold]importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        async with open_runtime(settings, run_jobs=False) as runtime:
            with progress:
                task = progress.add_task("import", total=len(items))
                report = await import_references(
                    runtime, items, on_progress=lambda n: progress.advance(task, n)
                )
        console.print(
            f"added [green]{report.added}[/], skipped {report.duplicates} duplicates, "
            f"{len(report.failed)} failed"
        )
        for failure in report.failed:
            console.print(f"  [yellow]skipped[/] {failure}")

    run(_import())


@library_app.command("list")
def list_references(
    limit: Annotated[int, typer.Option(help="Rows per page")] = 20,
    offset: Annotated[int, typer.Option(help="Rows to skip")] = 0,
) -> None:
    """List library entries, newest first."""
    from layerminder.db.session import create_engine, create_sessionmaker
    from layerminder.library.repository import ReferenceRepository

    settings = Settings()
    migrate_database(settings)

    async def _list() -> None:
        engine = create_engine(settings)
        async with create_sessionmaker(engine)() as session:
            rows, total = await ReferenceRepository(session).page(limit, offset)
        await engine.dispose()
        if total == 0:
            console.print(
                "The library is empty. Add images with [bold]layerminder library import DIR[/]."
            )
            return
        table = Table(title=f"Reference library: {total} entries")
        for column in ("id", "title", "size", "tags", "embedder", "added"):
            table.add_column(column)
        for reference, image in rows:
            table.add_row(
                str(reference.id)[:8],
                reference.title,
                f"{image.width}x{image.height}",
                ", ".join(reference.tags or []),
                reference.embedding_model or "-",
                reference.created_at.strftime("%Y-%m-%d %H:%M"),
            )
        console.print(table)
        if offset + limit < total:
            console.print(f"more: --offset {offset + limit}")

    run(_list())
