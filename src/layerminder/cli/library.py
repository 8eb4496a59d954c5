"""`layerminder library`: import a folder into the reference library, list it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from layerminder.cli.common import console, fail, migrate_database, run
from layerminder.config import Settings

library_app = typer.Typer(
    help="The reference library recommendations come from.", no_args_is_help=True
)


@library_app.command("import")
def import_images(
    location: Annotated[
        str, typer.Argument(help="A folder (searched recursively) or s3://bucket/prefix")
    ],
    tag: Annotated[list[str] | None, typer.Option(help="Tag every imported image")] = None,
) -> None:
    """Add images (deduplicated by sha256; resumable) and publish a new index version."""
    from layerminder.errors import LayerminderError
    from layerminder.library.importing import import_from
    from layerminder.recommender.factory import load_now
    from layerminder.runtime import open_runtime

    if not location.startswith("s3://") and not Path(location).is_dir():
        raise fail(f"{location} is neither a folder nor an s3://bucket/prefix URL")
    settings = Settings()
    migrate_database(settings)

    async def _import() -> None:
        progress = _progress("importing")
        task = progress.add_task("import", total=None)

        def _total(listed: int, already: int) -> None:
            progress.update(task, total=listed, completed=already)
            if already:
                progress.console.print(f"{already} of {listed} were imported before: skipping")

        async with open_runtime(settings) as runtime:
            # The rate printed below is the import's own: the model loads before the clock.
            await asyncio.to_thread(load_now, runtime.embedder)
            started = time.perf_counter()
            with progress:
                report = await import_from(
                    runtime,
                    location,
                    tags=list(tag or []),
                    on_total=_total,
                    on_progress=lambda n: progress.advance(task, n),
                )
            seconds = time.perf_counter() - started
        if report.added == 0 and report.duplicates == 0 and not report.failed:
            console.print(f"no .jpg, .png or .webp images under {location}")
            return
        console.print(
            f"added [green]{report.added}[/], skipped {report.duplicates} duplicates, "
            f"{len(report.failed)} failed in {seconds:.1f} s"
            + (f" ({report.added / seconds:.0f} images/s)" if report.added else "")
        )
        for failure in report.failed:
            console.print(f"  [yellow]skipped[/] {failure}")

    try:
        run(_import())
    except LayerminderError as exc:
        raise fail(exc.message) from None


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


def _progress(label: str) -> Progress:
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


@library_app.command("reindex")
def reindex() -> None:
    """Re-embed every reference with the current embedder (after switching to CLIP, say)."""
    from layerminder.library.importing import reindex as reindex_library
    from layerminder.library.repository import ReferenceRepository
    from layerminder.runtime import open_runtime

    settings = Settings()
    migrate_database(settings)

    async def _reindex() -> None:
        async with open_runtime(settings) as runtime:
            async with runtime.sessionmaker() as session:
                total = await ReferenceRepository(session).count()
            with _progress("re-indexing") as progress:
                task = progress.add_task("reindex", total=total)
                done, model = await reindex_library(
                    runtime, on_progress=lambda n: progress.advance(task, n)
                )
        console.print(f"re-indexed [green]{done}[/] references with {model}")

    run(_reindex())


@library_app.command("search")
def search(
    text: Annotated[
        str | None,
        typer.Argument(
            help="Words to search for (titles, tags, sources; with CLIP also the images)"
        ),
    ] = None,
    image: Annotated[Path | None, typer.Option(help="Search with an image instead")] = None,
    k: Annotated[int, typer.Option(help="How many results")] = 5,
    min_score: Annotated[
        float | None,
        typer.Option(
            help="Hide image (and CLIP text) matches below this cosine; default: the "
            "embedder's own floor (CLIP 0.20 for words, 0.50 for images)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Search the library by text or by image."""
    from layerminder.errors import LayerminderError
    from layerminder.library.search import library_is_empty, search_by_image, search_by_text
    from layerminder.runtime import open_runtime

    if (text is None) == (image is None):
        raise fail('give either a text ("oak lounge chair") or --image FILE')
    if image is not None and not image.is_file():
        raise fail(f"{image} is not a file")
    data = image.read_bytes() if image is not None else None
    settings = Settings()
    migrate_database(settings)

    async def _search() -> None:
        async with open_runtime(settings) as runtime:
            if data is not None:
                result = await search_by_image(runtime, data, k, min_score)
            else:
                result = await search_by_text(runtime, text or "", k, min_score)
            embedder = runtime.embedder.model_id
            empty = not result.hits and await library_is_empty(runtime)
        hits = result.hits
        if empty:
            console.print("no matches: the library is empty (`layerminder library import DIR`)")
            return
        if result.below:
            # Said whether or not something else matched: a short list is the floor's doing.
            console.print(
                f"{result.below} references scored below {result.min_score:g}"
                f" (best {result.best_below:.3f}); --min-score lowers the floor"
            )
        if not hits:
            console.print("no matches")
            return
        table = Table(title=f"{len(hits)} matches ({embedder})")
        for column in ("score", "id", "title", "tags"):
            table.add_column(column)
        for hit in hits:
            table.add_row(
                f"{hit.score:.3f}",
                str(hit.reference.id),
                hit.reference.title,
                ", ".join(hit.reference.tags or []),
            )
        console.print(table)

    try:
        run(_search())
    except LayerminderError as exc:
        raise fail(exc.message) from None


@library_app.command("remove")
def remove(
    reference_id: Annotated[str, typer.Argument(help="The reference's id (library list/search)")],
) -> None:
    """Remove a reference (its image and index entry)."""
    import uuid

    from layerminder.errors import LayerminderError
    from layerminder.library.service import remove_reference
    from layerminder.runtime import open_runtime

    try:
        parsed = uuid.UUID(reference_id)
    except ValueError:
        raise fail(f"{reference_id!r} is not a reference id") from None
    settings = Settings()

    async def _remove() -> None:
        async with open_runtime(settings) as runtime:
            await remove_reference(runtime, parsed)

    try:
        run(_remove())
    except LayerminderError as exc:
        raise fail(exc.message) from None
    console.print(f"removed {parsed}")


@library_app.command("stats")
def stats() -> None:
    """How big the library is, which embedder indexed it, and the index in use."""
    from layerminder.library.service import stats as library_stats
    from layerminder.runtime import open_runtime

    settings = Settings()
    migrate_database(settings)

    async def _stats() -> None:
        async with open_runtime(settings) as runtime:
            result = await library_stats(runtime)
        console.print(f"references: [bold]{result.references}[/]")
        for model, count in sorted(result.by_model.items()):
            console.print(f"  indexed by {model}: {count}")
        console.print(f"embedder in use: {result.embedder}")
        console.print(
            f"index: {result.index_kind or 'none'}, {result.index_size} vectors, "
            f"version {(result.index_version or '-')[:12]}"
        )
        stale = result.references - result.by_model.get(result.embedder, 0)
        if stale:
            console.print(
                f"[yellow]{stale} references were indexed by another embedder: "
                "run `layerminder library reindex`[/]"
            )

    run(_stats())
