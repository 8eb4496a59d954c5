"""Searching the library by image or text: embed the query, rank it against the index."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from enum import StrEnum

from layerminder.library.importing import validate_upload
from layerminder.library.repository import ReferenceRepository
from layerminder.models import Image, Reference
from layerminder.recommender.base import TextEmbedder, Vectors
from layerminder.runtime import Runtime


class MatchKind(StrEnum):
    """How a hit was found: by an image's vector, by words in its text, by CLIP's reading of
    the words, or by both of those."""

    image = "image"
    words = "words"
    clip = "clip"
    clip_and_words = "clip+words"


@dataclass
class SearchHit:
    reference: Reference
    image: Image
    score: float
    match: MatchKind = MatchKind.image


@dataclass
class Ranked:
    """The hits at or above the floor, and what the floor left out of the nearest searched."""

    hits: list[SearchHit]
    min_score: float
    below: int = 0
    best_below: float | None = None


@dataclass
class SearchResult:
    hits: list[SearchHit]
    match: MatchKind
    # The similarity floor the image (or CLIP text) matches had to reach, how many of the nearest
    # references it left out, and the best of those: "12 references scored below 0.20" rather
    # than an empty answer that reads as an empty library.
    min_score: float | None = None
    below: int = 0
    best_below: float | None = None


# With CLIP, words rank with it: most of the weight on what the image shows, the rest on text.
CLIP_WEIGHT = 0.7
MAX_WORDS = 12


def query_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:MAX_WORDS]


def word_score(words: list[str], reference: Reference) -> float:
    """The share of the query's words found in the entry: a word that begins a word of the
    title or a tag counts fully, one found only in the source counts half."""
    if not words:
        return 0.0
    main = set(query_words(" ".join([reference.title, reference.title_ko or "", *reference.tags])))
    source = set(query_words(reference.source))
    total = 0.0
    for word in words:
        if any(token.startswith(word) for token in main):
            total += 1.0
        elif any(word in token for token in source):
            total += 0.5
    return total / len(words)


async def library_is_empty(runtime: Runtime) -> bool:
    async with runtime.sessionmaker() as session:
        return await ReferenceRepository(session).count() == 0


def image_floor(runtime: Runtime, min_score: float | None = None) -> float:
    """The image→image floor: the caller's, else the setting, else the embedder's own."""
    if min_score is not None:
        return min_score
    configured = runtime.settings.library_min_score
    return runtime.embedder.min_image_score if configured is None else configured


def text_floor(runtime: Runtime, embedder: TextEmbedder, min_score: float | None = None) -> float:
    if min_score is not None:
        return min_score
    configured = runtime.settings.library_min_score
    return embedder.min_text_score if configured is None else configured


async def _hits(runtime: Runtime, query: Vectors, k: int, floor: float) -> Ranked:
    embedder = runtime.embedder
    index = await runtime.library_index.current()
    if index is None or len(index) == 0:
        return Ranked([], floor)
    scores, ids = await asyncio.to_thread(index.search, query, k, model_id=embedder.model_id)
    nearest = [
        (int(vid), float(score)) for vid, score in zip(ids[0], scores[0], strict=True) if vid >= 0
    ]
    ranked = [(vid, score) for vid, score in nearest if score >= floor]
    under = [score for _, score in nearest if score < floor]
    async with runtime.sessionmaker() as session:
        repository = ReferenceRepository(session)
        references = await repository.by_vector_ids([vid for vid, _ in ranked])
        found = await repository.images([r.image_id for r in references.values()])
    hits = [
        SearchHit(references[vid], found[references[vid].image_id], score)
        for vid, score in ranked
        if vid in references and references[vid].image_id in found
    ]
    return Ranked(hits, floor, len(under), max(under) if under else None)


async def search_by_vector(
    runtime: Runtime, vector: Vectors, k: int, min_score: float
) -> list[SearchHit]:
    """The library entries nearest an embedding already made (a stored design's, say)."""
    return (await _hits(runtime, vector.reshape(1, -1), k, min_score)).hits


async def search_by_image(
    runtime: Runtime, data: bytes, k: int, min_score: float | None = None
) -> SearchResult:
    checked = await validate_upload(runtime, data)
    embedder = runtime.embedder
    vectors = await asyncio.to_thread(embedder.embed_images, [checked.data])
    ranked = await _hits(runtime, vectors, k, image_floor(runtime, min_score))
    return SearchResult(
        ranked.hits, MatchKind.image, ranked.min_score, ranked.below, ranked.best_below
    )


async def search_by_words(runtime: Runtime, text: str, k: int) -> list[SearchHit]:
    """Full text over titles, tags and sources: works with any embedder, CLIP or not."""
    words = query_words(text)
    async with runtime.sessionmaker() as session:
        candidates = await ReferenceRepository(session).containing_any(words)
    scored = [
        SearchHit(reference, image, word_score(words, reference), MatchKind.words)
        for reference, image in candidates
    ]
    scored = [hit for hit in scored if hit.score > 0]
    scored.sort(key=lambda hit: -hit.score)
    return scored[:k]


async def search_by_text(
    runtime: Runtime, text: str, k: int, min_score: float | None = None
) -> SearchResult:
    """Words alone without CLIP; with CLIP, its hits (at or above the text floor) and the word
    hits ranked together."""
    from layerminder.recommender.factory import as_text_embedder

    word_hits = await search_by_words(runtime, text, k * 3)
    embedder = as_text_embedder(runtime.embedder)
    if embedder is None:
        return SearchResult(word_hits[:k], MatchKind.words)
    vectors = await asyncio.to_thread(embedder.embed_texts, [text])
    clip = await _hits(runtime, vectors, k * 3, text_floor(runtime, embedder, min_score))
    merged: dict[object, SearchHit] = {}
    for hit in clip.hits:
        merged[hit.reference.id] = SearchHit(
            hit.reference, hit.image, CLIP_WEIGHT * hit.score, MatchKind.clip
        )
    for hit in word_hits:
        text_part = (1 - CLIP_WEIGHT) * hit.score
        if hit.reference.id in merged:
            both = merged[hit.reference.id]
            both.score += text_part
            both.match = MatchKind.clip_and_words
        else:
            merged[hit.reference.id] = SearchHit(hit.reference, hit.image, text_part, hit.match)
    ranked = sorted(merged.values(), key=lambda hit: -hit.score)
    return SearchResult(
        ranked[:k], MatchKind.clip_and_words, clip.min_score, clip.below, clip.best_below
    )
