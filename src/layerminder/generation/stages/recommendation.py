"""The recommendation stage: the 4 designs embedded and averaged, the library's nearest
references attached, and how close each design came to its inputs and to the library."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import numpy as np

from layerminder import offload
from layerminder.db.base import utcnow
from layerminder.db.session import reading, unit_of_work
from layerminder.generation.errors import StageFailed
from layerminder.generation.inputs import load_designs, load_inputs
from layerminder.generation.lifecycle import finish_stage
from layerminder.generation.previews import design_id
from layerminder.generation.repository import JobRepository
from layerminder.generation.stages.base import StageWork
from layerminder.library import service as library
from layerminder.models import Record, Stage
from layerminder.recommender.base import Embedder, Vectors, l2_normalise, mean_direction
from layerminder.recommender.basic import BasicDescriptorEmbedder
from layerminder.records.events import publish
from layerminder.runtime import Runtime
from layerminder.studio import service as studio


async def recommend(runtime: Runtime, record: Record) -> None:
    designs = await load_designs(runtime, record)
    index = await runtime.library_index.current()
    if index is None or len(index) == 0:
        raise StageFailed(
            "the reference library is empty: import references with "
            "`layerminder library import DIR` to get recommendations"
        )
    embedder = runtime.embedder
    design_vectors, input_vectors = await _embed(runtime, record, designs)
    query = mean_direction(design_vectors)
    k = runtime.settings.recommendation_top_k
    scores, ids = await asyncio.to_thread(index.search, query, k, model_id=embedder.model_id)
    # The closest library entry to each design on its own: a near-copy warning when very high.
    nearest, _ = await asyncio.to_thread(
        index.search, l2_normalise(design_vectors), 1, model_id=embedder.model_id
    )
    floor = runtime.settings.library_min_score
    hits = [
        (int(vid), float(score))
        for vid, score in zip(ids[0], scores[0], strict=True)
        if vid >= 0 and (floor is None or score >= floor)
    ]
    threshold = runtime.settings.near_copy_threshold
    async with unit_of_work(runtime.sessionmaker) as session:
        references = await library.by_vector_ids(session, [vid for vid, _ in hits])
        ranked = [(references[vid].id, score) for vid, score in hits if vid in references]
        await JobRepository(session).replace_recommendations(record.id, ranked)
        # Kept for "more like this" across the user's designs (no re-embedding later).
        await studio.store_design_vectors(
            session,
            record,
            [design_id(record.id, position) for position in range(len(designs))],
            l2_normalise(design_vectors),
            embedder.model_id,
        )
        await finish_stage(
            session,
            record.id,
            Stage.recommendation,
            embedder_model=embedder.model_id,
            analysis=_analysis(design_vectors, input_vectors, nearest[:, 0], threshold),
            finished_at=utcnow(),
        )
    await publish(runtime, record.id, Stage.recommendation)


async def _embed(runtime: Runtime, record: Record, designs: list[bytes]) -> tuple[Vectors, Vectors]:
    """The designs' vectors and the inputs', in the brief's order."""
    embedder = runtime.embedder
    inputs = await load_inputs(runtime, record)
    input_ids = [uuid.UUID(i) for i in record.input_image_ids]
    # A design refined again comes back as an input: its vector was stored when it was made.
    async with reading(runtime.sessionmaker) as session:
        known = await studio.stored_design_vectors(session, input_ids, embedder.model_id)
    fresh = [position for position, image_id in enumerate(input_ids) if image_id not in known]
    # Designs and the inputs not seen before in one batch: one model call.
    vectors = await _embed_images(embedder, designs + [inputs[p].data for p in fresh])
    embedded = dict(zip(fresh, vectors[len(designs) :], strict=True))
    rows = [
        embedded[position] if position in embedded else known[image_id]
        for position, image_id in enumerate(input_ids)
    ]
    input_vectors = np.stack(rows) if rows else np.zeros((0, embedder.dim), dtype=np.float32)
    return vectors[: len(designs)], input_vectors


async def _embed_images(embedder: Embedder, images: list[bytes]) -> Vectors:
    if isinstance(embedder, BasicDescriptorEmbedder):
        # Plain numpy and Pillow under the GIL, and stateless: in a worker process. CLIP's ONNX
        # sessions release the GIL while they run, and cannot be pickled: a thread.
        return await offload.run(embedder.embed_images, images)
    return await asyncio.to_thread(embedder.embed_images, images)


def _analysis(
    design_vectors: Vectors, input_vectors: Vectors, nearest: Vectors, threshold: float
) -> dict[str, Any]:
    """Each design against each input, and against its nearest library entry."""
    return {
        "design_input_similarity": [
            [round(float(x), 4) for x in row]
            for row in l2_normalise(design_vectors) @ l2_normalise(input_vectors).T
        ],
        "design_library_max_similarity": [round(float(s), 4) for s in nearest],
        "near_copy_threshold": threshold,
        "near_copy": [bool(s >= threshold) for s in nearest],
    }


WORK = StageWork(Stage.recommendation, recommend)
