"""Library upkeep: publish the stored vectors as a new index version, remove, report."""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.db.session import after_commit, unit_of_work
from layerminder.errors import NotFound
from layerminder.library.repository import ReferenceRepository
from layerminder.models import Image, Reference
from layerminder.recommender.index import VectorIndex
from layerminder.runtime import Runtime

logger = logging.getLogger(__name__)


async def publish_index(runtime: Runtime) -> int:
    """Rebuild the index from the stored vectors and publish it as a new version in storage."""
    embedder = runtime.embedder
    index = VectorIndex(
        embedder.model_id, embedder.dim, hnsw_threshold=runtime.settings.hnsw_threshold
    )
    async with runtime.sessionmaker() as session:
        async for batch in ReferenceRepository(session).vectors(embedder.model_id):
            ids = np.array([vid for vid, _ in batch], dtype=np.int64)
            vectors = np.stack([np.frombuffer(vec, dtype=np.float32) for _, vec in batch])
            await asyncio.to_thread(index.add, ids, vectors, model_id=embedder.model_id)
    version = await runtime.library_index.publish(index)
    logger.info("published library index %s with %d vectors", version[:8], len(index))
    return len(index)


async def vector_of(session: AsyncSession, image_id: uuid.UUID, model_id: str) -> bytes | None:
    """The stored vector of the library entry for this image, if `model_id` made it."""
    return await ReferenceRepository(session).vector_of(image_id, model_id)


async def by_vector_ids(session: AsyncSession, vector_ids: Sequence[int]) -> dict[int, Reference]:
    """The references behind an index search's hits, by their vector ids."""
    return await ReferenceRepository(session).by_vector_ids(vector_ids)


async def list_references(
    session: AsyncSession, limit: int, offset: int
) -> tuple[list[tuple[Reference, Image]], int]:
    """One page of the library, newest first, and how many references there are."""
    return await ReferenceRepository(session).page(limit, offset)


async def remove_reference(runtime: Runtime, reference_id: uuid.UUID) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        repository = ReferenceRepository(session)
        reference = await repository.get(reference_id)
        if reference is None:
            raise NotFound(f"no reference {reference_id}")
        image = await repository.delete(reference)
        if image is not None:
            after_commit(session, functools.partial(runtime.storage.delete, image.storage_key))
    await publish_index(runtime)


@dataclass
class LibraryStats:
    references: int
    by_model: dict[str, int]
    embedder: str
    index_version: str | None
    index_size: int
    index_kind: str | None


async def stats(runtime: Runtime) -> LibraryStats:
    embedder = runtime.embedder
    async with runtime.sessionmaker() as session:
        repository = ReferenceRepository(session)
        total = await repository.count()
        by_model = await repository.count_by_model()
    manifest = await runtime.library_index.manifest()
    index = await runtime.library_index.current()
    return LibraryStats(
        references=total,
        by_model=by_model,
        embedder=embedder.model_id,
        index_version=manifest["version"] if manifest else None,
        index_size=len(index) if index is not None else 0,
        index_kind=index.kind if index is not None else None,
    )
