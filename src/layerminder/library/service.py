"""Library rules: import with sha256 dedupe, embed in batches, publish a versioned index."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.auth.security import hash_password
from layerminder.db.session import unit_of_work
from layerminder.images import service as images
from layerminder.images.validation import ValidImage, validate_image
from layerminder.library.repository import ReferenceRepository
from layerminder.models import ImageKind, Reference, User, UserRole
from layerminder.models.reference import vector_id_for
from layerminder.recommender.base import Embedder
from layerminder.recommender.index import VectorIndex
from layerminder.runtime import Runtime

logger = logging.getLogger(__name__)

LIBRARY_OWNER_EMAIL = "library@layerminder.local"
MANIFEST_KEY = "library/manifest.json"
EMBED_BATCH = 16


@dataclass
class NewReference:
    data: bytes
    title: str = ""
    source: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)


def get_embedder(runtime: Runtime) -> Embedder:
    """The process's embedder, built once (models load lazily and are cached)."""
    embedder: Embedder | None = runtime.cache.get("embedder")
    if embedder is None:
        from layerminder.recommender.factory import build_embedder

        embedder = build_embedder(runtime.settings)
        runtime.cache["embedder"] = embedder
    return embedder


async def library_owner(session: AsyncSession) -> User:
    """The system account that owns library images (it cannot log in)."""
    owner = await session.scalar(select(User).where(User.email == LIBRARY_OWNER_EMAIL))
    if owner is None:
        owner = User(
            email=LIBRARY_OWNER_EMAIL,
            # A hash of random bytes nobody knows: the account exists only to own rows.
            password_hash=hash_password(uuid.uuid4().hex + uuid.uuid4().hex),
            role=UserRole.admin,
        )
        session.add(owner)
        await session.flush()
    return owner


async def import_references(
    runtime: Runtime,
    items: Sequence[NewReference],
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate, dedupe by sha256, embed in batches, store; then publish a new index version."""
    embedder = get_embedder(runtime)
    settings = runtime.settings
    report = ImportReport()
    for start in range(0, len(items), EMBED_BATCH):
        batch = items[start : start + EMBED_BATCH]
        valid: list[tuple[NewReference, ValidImage]] = []
        for item in batch:
            try:
                checked = await asyncio.to_thread(
                    validate_image,
                    item.data,
                    max_bytes=settings.max_upload_bytes,
                    max_pixels=settings.max_upload_pixels,
                )
                valid.append((item, checked))
            except Exception as exc:
                report.failed.append(f"{item.source or item.title}: {exc}")
        async with unit_of_work(runtime.sessionmaker) as session:
            repository = ReferenceRepository(session)
            fresh: list[tuple[NewReference, ValidImage]] = []
            seen: set[str] = set()
            for item, checked in valid:
                if checked.sha256 in seen or await repository.by_sha256(checked.sha256):
                    report.duplicates += 1
                else:
                    seen.add(checked.sha256)
                    fresh.append((item, checked))
            if fresh:
                vectors = await asyncio.to_thread(
                    embedder.embed_images, [checked.data for _, checked in fresh]
                )
                owner = await library_owner(session)
                for (item, checked), vector in zip(fresh, vectors, strict=True):
                    image = await images.store_image(
                        session,
                        runtime.storage,
                        valid=checked,
                        owner_id=owner.id,
                        kind=ImageKind.reference,
                        room_id=None,
                    )
                    reference_id = uuid.uuid4()
                    await repository.add(
                        Reference(
                            id=reference_id,
                            image_id=image.id,
                            title=item.title[:300],
                            source=item.source[:1000],
                            tags=item.tags,
                            embedding_model=embedder.model_id,
                            vector_id=vector_id_for(reference_id),
                            vector=np.asarray(vector, dtype=np.float32).tobytes(),
                        )
                    )
                report.added += len(fresh)
        if on_progress is not None:
            on_progress(len(batch))
    if report.added:
        await publish_index(runtime)
    return report


async def publish_index(runtime: Runtime) -> int:
    """Rebuild the index from the stored vectors and publish it as a new version in storage."""
    embedder = get_embedder(runtime)
    index = VectorIndex(
        embedder.model_id, embedder.dim, hnsw_threshold=runtime.settings.hnsw_threshold
    )
    async with runtime.sessionmaker() as session:
        async for batch in ReferenceRepository(session).vectors(embedder.model_id):
            ids = np.array([vid for vid, _ in batch], dtype=np.int64)
            vectors = np.stack([np.frombuffer(vec, dtype=np.float32) for _, vec in batch])
            await asyncio.to_thread(index.add, ids, vectors, model_id=embedder.model_id)
    data = await asyncio.to_thread(index.to_bytes)
    version = uuid.uuid4().hex
    key = f"library/index-{version}.bin"
    await runtime.storage.put(key, data, "application/octet-stream")
    manifest = {"version": version, "key": key, "model_id": embedder.model_id, "count": len(index)}
    previous = await _read_manifest(runtime)
    await runtime.storage.put(MANIFEST_KEY, json.dumps(manifest).encode(), "application/json")
    if previous and previous.get("key") != key:
        await runtime.storage.delete(previous["key"])
    runtime.cache["library_index"] = (version, index)
    logger.info("published library index %s with %d vectors", version[:8], len(index))
    return len(index)


async def _read_manifest(runtime: Runtime) -> dict[str, str] | None:
    if not await runtime.storage.exists(MANIFEST_KEY):
        return None
    manifest: dict[str, str] = json.loads(await runtime.storage.get(MANIFEST_KEY))
    return manifest


async def current_index(runtime: Runtime) -> VectorIndex | None:
    """The newest published index; reloaded when another process published a newer one."""
    manifest = await _read_manifest(runtime)
    if manifest is None:
        return None
    cached: tuple[str, VectorIndex] | None = runtime.cache.get("library_index")
    if cached is not None and cached[0] == manifest["version"]:
        return cached[1]
    data = await runtime.storage.get(manifest["key"])
    index = await asyncio.to_thread(VectorIndex.from_bytes, data)
    runtime.cache["library_index"] = (manifest["version"], index)
    return index


async def seed_starter_library(runtime: Runtime) -> int:
    """On first start, fill an empty library with renders of our own, so it works offline."""
    async with runtime.sessionmaker() as session:
        if await ReferenceRepository(session).count() > 0:
            return 0
    from layerminder.library.starter import render_starter_references

    starters = await asyncio.to_thread(render_starter_references)
    report = await import_references(
        runtime,
        [
            NewReference(data=s.data, title=s.title, source="layerminder starter set", tags=s.tags)
            for s in starters
        ],
    )
    logger.info("seeded the reference library with %d starter references", report.added)
    return report.added
