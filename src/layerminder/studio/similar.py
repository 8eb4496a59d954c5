"""More like this: the designs and references nearest one image, by stored embeddings."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from layerminder.images import service as images
from layerminder.library import service as library
from layerminder.library.search import search_by_vector
from layerminder.models import Image, Reference, User
from layerminder.recommender.base import Vectors, l2_normalise
from layerminder.runtime import Runtime
from layerminder.studio.repository import StudioRepository


class SimilarScope(StrEnum):
    mine = "mine"
    library = "library"
    all = "all"


@dataclass
class SimilarHit:
    image_id: uuid.UUID
    score: float
    record_id: uuid.UUID | None = None
    reference: Reference | None = None


async def _query_vector(runtime: Runtime, image: Image, model_id: str) -> Vectors:
    """The stored vector where there is one (designs, references); else embed the image."""
    async with runtime.sessionmaker() as session:
        designs = await StudioRepository(session).stored_design_vectors([image.id], model_id)
        stored = designs.get(image.id)
        if stored is None:
            reference = await library.vector_of(session, image.id, model_id)
            if reference is not None:
                stored = np.frombuffer(reference, dtype=np.float32)
    if stored is not None:
        return l2_normalise(stored.reshape(1, -1))
    data = await runtime.storage.get(image.storage_key)
    return l2_normalise(await asyncio.to_thread(runtime.embedder.embed_images, [data]))


async def _mine(
    runtime: Runtime, user: User, query: Vectors, exclude: uuid.UUID, model_id: str
) -> list[SimilarHit]:
    async with runtime.sessionmaker() as session:
        rows = await StudioRepository(session).design_vectors(user.id, model_id, exclude)
    if not rows:
        return []
    matrix = np.stack([np.frombuffer(vector, dtype=np.float32) for _, _, vector in rows])
    scores = matrix @ query[0]
    return [
        SimilarHit(image_id=image_id, score=float(score), record_id=record_id)
        for (image_id, record_id, _), score in zip(rows, scores, strict=True)
    ]


async def similar(
    runtime: Runtime,
    user: User,
    image_id: uuid.UUID,
    scope: SimilarScope,
    k: int,
    min_score: float,
) -> list[SimilarHit]:
    """The k nearest images at or above `min_score`, best first (cosine similarity)."""
    async with runtime.sessionmaker() as session:
        image = await images.get_readable(session, image_id, user)
    model_id = runtime.embedder.model_id
    query = await _query_vector(runtime, image, model_id)
    hits: list[SimilarHit] = []
    if scope in (SimilarScope.mine, SimilarScope.all):
        hits += await _mine(runtime, user, query, image.id, model_id)
    if scope in (SimilarScope.library, SimilarScope.all):
        # One more than asked: the image itself may be a library entry.
        found = await search_by_vector(runtime, query[0], k + 1, min_score)
        hits += [
            SimilarHit(image_id=hit.image.id, score=hit.score, reference=hit.reference)
            for hit in found
            if hit.image.id != image.id
        ]
    kept = [hit for hit in hits if hit.score >= min_score]
    kept.sort(key=lambda hit: -hit.score)
    return kept[:k]
