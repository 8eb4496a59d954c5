"""Pipeline throughput and overhead: records/s with local providers, and time spent outside them.

Baseline (same run, same inputs): the provider and embedder calls alone, back to back, with no
database, storage, events, leases or HTTP. The pipeline's overhead per record is its wall time
minus the time spent inside providers and the embedder.

    uv run python bench/pipeline.py [--records 12] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from layerminder.config import Settings
from layerminder.db.migrate import upgrade_to_head
from layerminder.db.session import unit_of_work
from layerminder.generation import service as generation
from layerminder.generation.job import run_generation
from layerminder.generation.schemas import GenerateIn
from layerminder.images import service as images
from layerminder.jobs.queue import DirectQueue
from layerminder.library.importing import seed_starter_library
from layerminder.providers.base import (
    Brief,
    DesignBatch,
    DesignProgress,
    InputImage,
    Language,
    StoryResult,
)
from layerminder.recommender.base import mean_direction
from layerminder.rooms import service as rooms
from layerminder.runtime import Runtime, open_runtime


class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def add(self, started: float) -> None:
        self.seconds += time.perf_counter() - started


class TimedImages:
    def __init__(self, inner: Any, timer: Timer) -> None:
        self.inner, self.timer = inner, timer
        self.name, self.model = inner.name, inner.model

    async def generate_designs(
        self, brief: Brief, count: int = 4, progress: DesignProgress | None = None
    ) -> DesignBatch:
        # With previews on, the time spent storing and publishing them counts as the provider's.
        started = time.perf_counter()
        try:
            batch: DesignBatch = await self.inner.generate_designs(brief, count, progress)
            return batch
        finally:
            self.timer.add(started)

    async def edit_region(self, brief: Brief, count: int = 4) -> DesignBatch:
        started = time.perf_counter()
        try:
            batch: DesignBatch = await self.inner.edit_region(brief, count)
            return batch
        finally:
            self.timer.add(started)


class TimedStory:
    def __init__(self, inner: Any, timer: Timer) -> None:
        self.inner, self.timer = inner, timer
        self.name, self.model = inner.name, inner.model

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult:
        started = time.perf_counter()
        try:
            result: StoryResult = await self.inner.write_story(design, brief, language)
            return result
        finally:
            self.timer.add(started)


class TimedEmbedder:
    def __init__(self, inner: Any, timer: Timer) -> None:
        self.inner, self.timer = inner, timer
        self.model_id, self.dim = inner.model_id, inner.dim
        self.min_image_score = inner.min_image_score

    def embed_images(self, data: Sequence[bytes]) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.embed_images(data)
        finally:
            self.timer.add(started)


def make_inputs(count: int, seed: int) -> list[bytes]:
    rng = np.random.default_rng(seed)
    result = []
    for _ in range(count):
        pixels = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
        pixels[:, :320] = rng.integers(0, 255, 3, dtype=np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, "JPEG", quality=85)
        result.append(buffer.getvalue())
    return result


async def baseline(runtime: Runtime, inputs: list[list[bytes]], keyword: str) -> float:
    """The same provider work with nothing around it."""
    images_p, story_p, embedder = runtime.image_provider, runtime.story_provider, runtime.embedder
    index = await runtime.library_index.current()
    assert index is not None
    started = time.perf_counter()
    for data in inputs:
        wrapped = [InputImage(d, "image/jpeg", f"r{i}.jpg") for i, d in enumerate(data)]
        brief = Brief.from_images(wrapped, keyword)
        batch = await images_p.generate_designs(brief)
        await story_p.write_story(batch.images[0], brief)
        vectors = await asyncio.to_thread(embedder.embed_images, batch.images + data)
        await asyncio.to_thread(
            index.search, mean_direction(vectors[:4]), 3, model_id=embedder.model_id
        )
    return time.perf_counter() - started


async def pipeline(
    runtime: Runtime, inputs: list[list[bytes]], keyword: str, concurrency: int
) -> tuple[float, list[uuid.UUID]]:
    from layerminder.auth import service as auth

    async with unit_of_work(runtime.sessionmaker) as session:
        user = await auth.create_user(
            session, runtime.settings, f"bench-{uuid.uuid4().hex[:6]}@x.io", "benchmark"
        )
        room = await rooms.create(session, user, "bench", "", False)
        record_ids = []
        for data in inputs:
            uploaded = [
                await images.upload(
                    session, runtime.storage, runtime.settings, owner=user, room_id=room.id, data=d
                )
                for d in data
            ]

            record = await generation.start_generation(
                session,
                DirectQueue(),
                user,
                GenerateIn(
                    session_id=room.id, input_image_ids=[u.id for u in uploaded], keyword=keyword
                ),
                storage=runtime.storage,
                cost=1,
            )
            record_ids.append(record.id)
    slots = asyncio.Semaphore(concurrency)

    async def _one(record_id: uuid.UUID) -> None:
        async with slots:
            await run_generation(runtime, record_id)

    started = time.perf_counter()
    await asyncio.gather(*(_one(r) for r in record_ids))
    return time.perf_counter() - started, record_ids


async def main(records: int, concurrency: int) -> None:
    keyword = "minimal"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), seed_library=True)
        async with open_runtime(settings) as runtime:
            await upgrade_to_head(runtime.engine)
            await seed_starter_library(runtime)
            inputs = [make_inputs(2, seed) for seed in range(records)]
            base = await baseline(runtime, inputs, keyword)

            timer = Timer()
            runtime.image_provider = TimedImages(runtime.image_provider, timer)
            runtime.story_provider = TimedStory(runtime.story_provider, timer)
            runtime.embedder = TimedEmbedder(runtime.embedder, timer)
            sequential, _ = await pipeline(runtime, inputs, keyword, 1)
            inside = timer.seconds
            concurrent, _ = await pipeline(runtime, inputs, keyword, concurrency)

    print(f"LayerMinder pipeline benchmark — {records} records, 2 inputs each, local providers")
    print(f"CPU cores: {os.cpu_count()}, database: SQLite (embedded default)\n")
    rows = [
        ("baseline: providers + embedder only", base),
        ("pipeline, 1 at a time", sequential),
        (f"pipeline, {concurrency} at a time", concurrent),
    ]
    print(f"{'':40s} {'total s':>9s} {'records/s':>10s} {'ms/record':>10s} {'vs baseline':>12s}")
    for label, seconds in rows:
        print(
            f"{label:40s} {seconds:9.2f} {records / seconds:10.2f} "
            f"{1000 * seconds / records:10.1f} {seconds / base:11.2f}x"
        )
    overhead = (sequential - inside) / records
    print(
        f"\npipeline overhead (outside providers/embedder): {1000 * overhead:.1f} ms/record "
        f"({100 * (sequential - inside) / sequential:.1f}% of the sequential wall time)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=12)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.records, args.concurrency))
