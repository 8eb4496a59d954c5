"""Searching the library by image or text: embed the query, rank it against the index."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from layerminder.errors import LayerminderError
from layerminder.library.importing import validate_upload
from layerminder.library.repository import ReferenceRepository
from layerminder.models import Image, Reference
from layerminder.recommender.base import Vectors
from layerminder.runtime import Runtime


class TextSearchUnavailable(LayerminderError):
    status_code = 422


@dataclass
class SearchHit:
    reference: Reference
    image: Image
    score: float


async def _hits(
    runtime: Runtime, query: Vectors, k: int, min_score: float | None = None
) -> list[SearchHit]:
    embedder = runtime.embedder
    index = await runtime.library_index.current()
    if index is None or len(index) == 0:
        return []
    scores, ids = await asyncio.to_thread(index.search, query, k, model_id=embedder.model_id)
    floor = runtime.settings.library_min_score if min_score is None else min_score
    ranked = [
        (int(vid), float(score))
        for vid, score in zip(ids[0], scores[0], strict=True)
        if vid >= 0 and score >= floor
    ]
    async with runtime.sessionmaker() as session:
        repository = ReferenceRepository(session)
        references = await repository.by_vector_ids([vid for vid, _ in ranked])
        found = await repository.images([r.image_id for r in references.values()])
    return [
        SearchHit(references[vid], found[references[vid].image_id], score)
        for vid, score in ranked
        if vid in references and references[vid].image_id in found
    ]


async def search_by_image(runtime: Runtime, data: bytes, k: int) -> list[SearchHit]:
    checked = await validate_upload(runtime, data)
    embedder = runtime.embedder
    vectors = await asyncio.to_thread(embedder.embed_images, [checked.data])
    return await _hits(runtime, vectors, k)


async def search_by_text(runtime: Runtime, text: str, k: int) -> list[SearchHit]:
    from layerminder.recommender.factory import as_text_embedder

    embedder = as_text_embedder(runtime.embedder)
    if embedder is None:
        raise TextSearchUnavailable(
            "text search needs a CLIP model: run `make clip` (or `layerminder models export-clip`);"
            " the basic image descriptor has no text side"
        )
    vectors = await asyncio.to_thread(embedder.embed_texts, [text])
    return await _hits(runtime, vectors, k)
