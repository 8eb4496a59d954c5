"""Library rules with a real runtime: one embedder per library, re-indexing, index versions."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from layerminder.db.migrate import upgrade_to_head
from layerminder.library import importing, search, service
from layerminder.recommender.index import IndexModelMismatch
from layerminder.runtime import open_runtime
from tests.conftest import Database, make_settings
from tests.helpers import make_image

TINY_CLIP = Path(__file__).resolve().parents[1] / "fixtures" / "tiny_clip"


def _refs(*colours: tuple[int, int, int]) -> list[importing.NewReference]:
    return [importing.NewReference(data=make_image(color=c), title=str(c)) for c in colours]


@pytest.mark.skipif(not (TINY_CLIP / "manifest.json").exists(), reason="tiny CLIP fixture missing")
async def test_switching_embedder_needs_a_reindex(tmp_path: Path, database: Database) -> None:
    basic = make_settings(tmp_path, database)
    async with open_runtime(basic) as runtime:
        await upgrade_to_head(runtime.engine)
        report = await importing.import_references(runtime, _refs((200, 0, 0), (0, 200, 0)))
        assert report.added == 2
        before = await service.stats(runtime)
        assert before.embedder == "basic-descriptor-v1" and before.index_size == 2

    clip = make_settings(tmp_path, database, clip_model_dir=TINY_CLIP)
    async with open_runtime(clip) as runtime:
        # The published index was built by another embedder: searching it is refused.
        with pytest.raises(IndexModelMismatch, match="re-index"):
            await search.search_by_image(runtime, make_image(color=(190, 10, 10)), 2)
        with pytest.raises(IndexModelMismatch):
            await importing.import_references(runtime, _refs((0, 0, 200)))
        done, model = await importing.reindex(runtime)
        assert done == 2 and "clip" in model
        after = await service.stats(runtime)
        assert after.by_model == {model: 2}
        assert after.index_version != before.index_version
        assert (await importing.import_references(runtime, _refs((0, 0, 200)))).added == 1
        hits = await search.search_by_image(runtime, make_image(color=(0, 0, 210)), 3, -1.0)
        assert len(hits.hits) == 3


async def test_another_process_sees_a_newer_index_version(
    tmp_path: Path, database: Database
) -> None:
    settings = make_settings(tmp_path, database)
    async with open_runtime(settings) as first, open_runtime(settings) as second:
        await upgrade_to_head(first.engine)
        await importing.import_references(first, _refs((200, 0, 0)))
        assert (
            len((await search.search_by_image(second, make_image(color=(200, 0, 0)), 5, -1.0)).hits)
            == 1
        )
        await importing.import_references(first, _refs((0, 200, 0), (0, 0, 200)))
        # `second` cached version 1; it reloads because the manifest names a newer one.
        assert (
            len((await search.search_by_image(second, make_image(color=(200, 0, 0)), 5, -1.0)).hits)
            == 3
        )


async def test_replicas_starting_together_seed_the_library_once(
    tmp_path: Path, database: Database
) -> None:
    settings = make_settings(tmp_path, database, seed_library=True)
    async with open_runtime(settings) as first, open_runtime(settings) as second:
        await upgrade_to_head(first.engine)
        added = await asyncio.gather(
            importing.seed_starter_library(first), importing.seed_starter_library(second)
        )
        stats = await service.stats(first)
    assert sorted(added)[0] == 0
    assert stats.references == max(added) > 0


def _distinct(count: int) -> list[importing.NewReference]:
    """`count` different small images (colour steps), titled by their number."""
    return [
        importing.NewReference(
            data=make_image(size=(64, 48), color=(i * 3 % 256, i * 7 % 256, 90)), title=str(i)
        )
        for i in range(count)
    ]


async def test_import_spans_batches_dedupes_across_them_and_reports_progress(
    tmp_path: Path, database: Database
) -> None:
    items = _distinct(70)
    # A copy of item 1 in the third batch, and a broken file in the second.
    items.insert(66, importing.NewReference(data=items[1].data, title="copy of 1"))
    items.insert(40, importing.NewReference(data=b"not an image", title="broken"))
    # A truncated JPEG passes the header checks; its pixels fail when the embedder decodes them.
    cut = items[5].data[: len(items[5].data) // 2]
    items.insert(20, importing.NewReference(data=cut, title="truncated"))
    assert len(items) > 2 * importing.EMBED_BATCH
    progress: list[int] = []
    async with open_runtime(make_settings(tmp_path, database)) as runtime:
        await upgrade_to_head(runtime.engine)
        report = await importing.import_references(runtime, items, progress.append)
        stats = await service.stats(runtime)
        stored = await runtime.storage.list_keys("reference/")
    assert (report.added, report.duplicates) == (70, 1)
    assert sorted(f.split(":")[0] for f in report.failed) == ["broken", "truncated"]
    assert "truncated" in next(f for f in report.failed if f.startswith("truncated: "))
    assert sum(progress) == len(items) and len(progress) == 3
    assert stats.references == stats.index_size == 70
    assert len(stored) == 70


class _FailingStorage:
    """Storage whose writes fail after `allowed` of them: a disk filling up mid-import."""

    def __init__(self, inner: object, allowed: int) -> None:
        self.inner, self.allowed = inner, allowed

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        if self.allowed == 0:
            raise OSError("No space left on device")
        self.allowed -= 1
        await self.inner.put(key, data, content_type)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


async def test_a_failing_batch_keeps_earlier_batches_and_leaves_nothing_half_written(
    tmp_path: Path, database: Database
) -> None:
    batch = importing.EMBED_BATCH
    async with open_runtime(make_settings(tmp_path, database)) as runtime:
        await upgrade_to_head(runtime.engine)
        real = runtime.storage
        runtime.storage = _FailingStorage(real, allowed=batch + 5)  # type: ignore[assignment]
        with pytest.raises(OSError, match="No space"):
            await importing.import_references(runtime, _distinct(3 * batch))
        runtime.storage = real
        stats = await service.stats(runtime)
        stored = await real.list_keys("reference/")
        # Run again: the first batch is known, the rest goes in.
        again = await importing.import_references(runtime, _distinct(3 * batch))
    assert stats.references == batch and len(stored) == batch
    assert (again.added, again.duplicates) == (2 * batch, batch)


async def test_imported_images_are_stored_upright_whatever_their_format(
    tmp_path: Path, database: Database
) -> None:
    from PIL import Image

    from layerminder.library.repository import ReferenceRepository

    rotated = Image.Exif()
    rotated[0x0112] = 6  # shown turned 90° clockwise
    items = [
        importing.NewReference(data=make_image(fmt, size=(400, 100), exif=rotated), title=fmt)
        for fmt in ("JPEG", "PNG", "WEBP")
    ]
    async with open_runtime(make_settings(tmp_path, database)) as runtime:
        await upgrade_to_head(runtime.engine)
        report = await importing.import_references(runtime, items)
        async with runtime.sessionmaker() as session:
            rows, _ = await ReferenceRepository(session).page(10, 0)
        stored = {ref.title: await runtime.storage.get(image.storage_key) for ref, image in rows}
        sizes = {ref.title: (image.width, image.height) for ref, image in rows}
    assert report.added == 3 and not report.failed
    assert sizes == dict.fromkeys(("JPEG", "PNG", "WEBP"), (100, 400))
    for data in stored.values():
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (100, 400)
            assert image.getexif().get(0x0112, 1) == 1
