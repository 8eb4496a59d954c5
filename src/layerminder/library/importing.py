"""Bringing images into the library: import with sha256 dedupe, seed the starter set, re-embed."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import text

from layerminder.auth import service as accounts
from layerminder.db.session import unit_of_work
from layerminder.errors import InvalidImage
from layerminder.images import service as images
from layerminder.images.validation import ValidImage, validate_image
from layerminder.library.repository import ReferenceRepository
from layerminder.library.service import publish_index
from layerminder.library.words import STARTER_SOURCE
from layerminder.models import ImageKind, Reference
from layerminder.models.reference import vector_id_for
from layerminder.recommender.base import Embedder, Vectors
from layerminder.recommender.index import IndexModelMismatch
from layerminder.runtime import Runtime

logger = logging.getLogger(__name__)

# ONNX Runtime's throughput levels off from 8-16 images a batch (bench/embed.py).
EMBED_BATCH = 32


@dataclass
class NewReference:
    data: bytes
    title: str = ""
    source: str = ""
    tags: list[str] = field(default_factory=list)
    title_ko: str | None = None


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)


async def validate_upload(runtime: Runtime, data: bytes) -> ValidImage:
    return await asyncio.to_thread(
        validate_image,
        data,
        max_bytes=runtime.settings.max_upload_bytes,
        max_pixels=runtime.settings.max_upload_pixels,
    )


async def import_references(
    runtime: Runtime,
    items: Sequence[NewReference],
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate, dedupe by sha256, embed in batches, store; then publish a new index version."""

    async def batches() -> AsyncGenerator[Sequence[NewReference], None]:
        for start in range(0, len(items), EMBED_BATCH):
            yield items[start : start + EMBED_BATCH]

    report = ImportReport()
    async with aclosing(batches()) as stream:
        await _import_batches(runtime, stream, report, on_progress)
    if report.added:
        await publish_index(runtime)
    return report


async def _import_batches(
    runtime: Runtime,
    batches: AsyncIterator[Sequence[NewReference]],
    report: ImportReport,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Three stages overlapped, so the model rarely waits: while ONNX Runtime embeds batch n in
    a worker thread, batch n+1 is read, validated and checked for duplicates, and batch n-1's
    files and rows are written. At most three batches are in memory."""
    embedder = runtime.embedder
    await ensure_single_embedder(runtime, embedder)
    seen: set[str] = set()  # this run's hashes: the batch being stored is not committed yet

    async def check_next() -> tuple[int, list[tuple[NewReference, ValidImage]]] | None:
        batch = await anext(batches, None)
        if batch is None:
            return None
        return len(batch), await _fresh_images(runtime, batch, seen, report)

    async def store(
        fresh: list[tuple[NewReference, ValidImage]], vectors: Vectors | None, count: int
    ) -> None:
        await _store_references(runtime, fresh, vectors, embedder.model_id, report)
        if on_progress is not None:
            on_progress(count)

    # Batch n+1's check starts only once batch n's is done: `seen` sees the batches in order.
    checking: asyncio.Task[tuple[int, list[tuple[NewReference, ValidImage]]] | None]
    checking = asyncio.create_task(check_next())
    storing: asyncio.Task[None] | None = None
    try:
        while (checked := await checking) is not None:
            count, fresh = checked
            checking = asyncio.create_task(check_next())
            fresh, vectors, damaged = await asyncio.to_thread(_embed_batch, embedder, fresh)
            report.failed.extend(damaged)
            if storing is not None:
                await storing
            storing = asyncio.create_task(store(fresh, vectors, count))
        if storing is not None:
            await storing
    finally:
        # On an error, nothing is left running: the next batch's check and the last store end.
        running = [task for task in (checking, storing) if task is not None and not task.done()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


def _embed_batch(
    embedder: Embedder, fresh: list[tuple[NewReference, ValidImage]]
) -> tuple[list[tuple[NewReference, ValidImage]], Vectors | None, list[str]]:
    """Embed the batch in one call; if an image turns out to be damaged (its pixels were first
    decoded here), embed one by one to keep the rest. Blocking: run it in a thread."""
    if not fresh:
        return fresh, None, []
    try:
        return fresh, embedder.embed_images([checked.data for _, checked in fresh]), []
    except InvalidImage:
        kept, rows, damaged = [], [], []
        for item, checked in fresh:
            try:
                rows.append(embedder.embed_images([checked.data])[0])
                kept.append((item, checked))
            except InvalidImage as exc:
                damaged.append(f"{item.source or item.title}: {exc.message}")
        return kept, (np.stack(rows) if rows else None), damaged


async def _fresh_images(
    runtime: Runtime, batch: Sequence[NewReference], seen: set[str], report: ImportReport
) -> list[tuple[NewReference, ValidImage]]:
    """The batch's valid images that are neither in the library nor earlier in this run."""
    settings = runtime.settings

    def _validate_all() -> list[tuple[NewReference, ValidImage | str]]:
        checked: list[tuple[NewReference, ValidImage | str]] = []
        for item in batch:
            try:
                # The pixels are decoded once, by the embedder (see `_embed_batch`).
                valid = validate_image(
                    item.data,
                    max_bytes=settings.max_upload_bytes,
                    max_pixels=settings.max_upload_pixels,
                    decode=False,
                )
                checked.append((item, valid))
            except Exception as exc:  # one bad file is reported, never the end of the import
                checked.append((item, str(exc)))
        return checked

    valid: list[tuple[NewReference, ValidImage]] = []
    for item, result in await asyncio.to_thread(_validate_all):
        if isinstance(result, str):
            report.failed.append(f"{item.source or item.title}: {result}")
        else:
            valid.append((item, result))
    async with runtime.sessionmaker() as session:
        known = await ReferenceRepository(session).existing_sha256([v.sha256 for _, v in valid])
    fresh = []
    for item, checked in valid:
        if checked.sha256 in known or checked.sha256 in seen:
            report.duplicates += 1
        else:
            seen.add(checked.sha256)
            fresh.append((item, checked))
    return fresh


async def _store_references(
    runtime: Runtime,
    fresh: Sequence[tuple[NewReference, ValidImage]],
    vectors: Vectors | None,
    model_id: str,
    report: ImportReport,
) -> None:
    """One transaction per batch: the image files and rows, then the references."""
    if not fresh or vectors is None:
        return
    async with unit_of_work(runtime.sessionmaker) as session:
        repository = ReferenceRepository(session)
        # Checked again inside the write transaction: another importer may have committed the
        # same images since `_fresh_images` looked (on SQLite writers are serialised).
        known = await repository.existing_sha256([checked.sha256 for _, checked in fresh])
        keep = [i for i, (_, checked) in enumerate(fresh) if checked.sha256 not in known]
        report.duplicates += len(fresh) - len(keep)
        owner = await accounts.library_owner(session)
        stored = await images.store_images(
            session,
            runtime.storage,
            [fresh[i][1] for i in keep],
            owner_id=owner.id,
            kind=ImageKind.reference,
        )
        references = [
            _new_reference(fresh[i][0], image.id, vectors[i], model_id)
            for i, image in zip(keep, stored, strict=True)
        ]
        await repository.add_all(references)
    report.added += len(references)


def _new_reference(
    item: NewReference, image_id: uuid.UUID, vector: Vectors, model_id: str
) -> Reference:
    reference_id = uuid.uuid4()
    return Reference(
        id=reference_id,
        image_id=image_id,
        title=item.title[:300],
        title_ko=item.title_ko[:300] if item.title_ko else None,
        source=item.source[:1000],
        tags=item.tags,
        embedding_model=model_id,
        vector_id=vector_id_for(reference_id),
        vector=np.asarray(vector, dtype=np.float32).tobytes(),
    )


async def import_from(
    runtime: Runtime,
    location: str,
    *,
    tags: Sequence[str] = (),
    on_total: Callable[[int, int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a folder or an S3 prefix, one batch read ahead of the one being embedded.

    Resumable: sources imported by an earlier run are skipped without being read again.
    """
    from layerminder.library.sources import open_source, title_for

    source = open_source(location, runtime.settings)
    listed = await source.list()
    async with runtime.sessionmaker() as session:
        done = await ReferenceRepository(session).existing_sources(listed)
    pending = [s for s in listed if s not in done]
    if on_total is not None:
        on_total(len(listed), len(listed) - len(pending))
    report = ImportReport(duplicates=len(listed) - len(pending))
    # Several reads in flight: an S3 GET is mostly waiting, and a folder read costs little.
    reads = asyncio.Semaphore(8)

    async def read(name: str) -> NewReference | None:
        async with reads:
            try:
                data = await source.read(name)
            except Exception as exc:
                report.failed.append(f"{name}: cannot read ({exc})")
                if on_progress is not None:
                    on_progress(1)
                return None
        return NewReference(data=data, title=title_for(name), source=name, tags=list(tags))

    async def batches() -> AsyncGenerator[Sequence[NewReference], None]:
        for start in range(0, len(pending), EMBED_BATCH):
            names = pending[start : start + EMBED_BATCH]
            read_items = await asyncio.gather(*(read(name) for name in names))
            yield [item for item in read_items if item is not None]

    async with aclosing(batches()) as stream:
        await _import_batches(runtime, stream, report, on_progress)
    if report.added:
        await publish_index(runtime)
    return report


async def ensure_single_embedder(runtime: Runtime, embedder: Embedder) -> None:
    """Refuse to add vectors of one embedder to a library indexed by another."""
    async with runtime.sessionmaker() as session:
        by_model = await ReferenceRepository(session).count_by_model()
    others = [model for model in by_model if model != embedder.model_id]
    if others:
        raise IndexModelMismatch(others[0], embedder.model_id)


# Any fixed number: PostgreSQL advisory locks are keyed by an integer the application picks.
_SEED_LOCK_KEY = 0x4C4D5345


async def seed_starter_library(runtime: Runtime) -> int:
    """On first start, fill an empty library with renders of our own, so it works offline.

    On PostgreSQL an advisory lock makes replicas that start together seed it once.
    """
    if runtime.engine.dialect.name != "postgresql":
        return await _seed_if_empty(runtime)
    async with runtime.engine.connect() as lock:
        await lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SEED_LOCK_KEY})
        try:
            return await _seed_if_empty(runtime)
        finally:
            await lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SEED_LOCK_KEY})


async def _seed_if_empty(runtime: Runtime) -> int:
    async with runtime.sessionmaker() as session:
        if await ReferenceRepository(session).count() > 0:
            return 0
    from layerminder.library.starter import render_starter_references

    starters = await asyncio.to_thread(render_starter_references)
    report = await import_references(
        runtime,
        [
            NewReference(
                data=s.data,
                title=s.title,
                title_ko=s.title_ko or None,
                source=STARTER_SOURCE,
                tags=s.tags,
            )
            for s in starters
        ],
    )
    logger.info("seeded the reference library with %d starter references", report.added)
    return report.added


async def reindex(
    runtime: Runtime, on_progress: Callable[[int], None] | None = None
) -> tuple[int, str]:
    """Re-embed every reference with the current embedder, then publish a fresh index."""
    embedder = runtime.embedder
    done = 0
    last_id: uuid.UUID | None = None
    while True:
        async with unit_of_work(runtime.sessionmaker) as session:
            repository = ReferenceRepository(session)
            batch = await repository.after(last_id, EMBED_BATCH)
            if not batch:
                break
            data = [await runtime.storage.get(image.storage_key) for _, image in batch]
            vectors = await asyncio.to_thread(embedder.embed_images, data)
            for (reference, _), vector in zip(batch, vectors, strict=True):
                reference.embedding_model = embedder.model_id
                reference.vector = np.asarray(vector, dtype=np.float32).tobytes()
            last_id = batch[-1][0].id
        done += len(batch)
        if on_progress is not None:
            on_progress(len(batch))
    await publish_index(runtime)
    return done, embedder.model_id
