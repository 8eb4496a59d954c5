"""The generation job: images → story & keywords → recommendation, one record id at a time.

Safe to run twice: a stage that is already `ready` is skipped, designs have deterministic ids
and storage keys, the refund has an idempotency key, and a lease keeps two jobs off one record.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from functools import partial
from typing import Any, cast

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder import offload
from layerminder.credits import service as credits
from layerminder.db.base import utcnow
from layerminder.db.session import reading, unit_of_work
from layerminder.errors import LayerminderError
from layerminder.generation import previews
from layerminder.generation.errors import JobCancelled, StageFailed
from layerminder.generation.previews import design_id
from layerminder.images import service as images
from layerminder.images.repository import ImageRepository
from layerminder.jobs.queue import JobHandler, RunAgain
from layerminder.library.repository import ReferenceRepository
from layerminder.models import OPEN_STATUSES, ImageKind, Record, Stage, StageStatus
from layerminder.providers.base import (
    DESIGN_COUNT,
    Brief,
    BriefInput,
    DesignBatch,
    InputImage,
    InputRole,
    Language,
    ProviderError,
    edit_parts,
)
from layerminder.providers.masks import keep_outside
from layerminder.recommender.base import l2_normalise, mean_direction
from layerminder.recommender.basic import BasicDescriptorEmbedder
from layerminder.records.events import publish
from layerminder.records.repository import RecordRepository
from layerminder.runtime import Runtime
from layerminder.styles import catalogue as styles
from layerminder.webhooks import service as webhooks

logger = logging.getLogger(__name__)

# The queue's name for this job (`runtime.queue.enqueue(GENERATE_DESIGNS, record_id)`).
GENERATE_DESIGNS = "generate_designs"

ERROR_LIMIT = 500


async def begin_stage(runtime: Runtime, record_id: uuid.UUID, stage: Stage, **values: Any) -> None:
    """Mark `stage` processing (with `values`), unless the owner cancelled it first
    (JobCancelled)."""
    async with unit_of_work(runtime.sessionmaker) as session:
        started = await RecordRepository(session).set_stage_if(
            record_id, stage, StageStatus.processing, when=OPEN_STATUSES, **values
        )
    if not started:
        raise JobCancelled
    await publish(runtime, record_id, stage)


async def finish_stage(
    session: AsyncSession, record_id: uuid.UUID, stage: Stage, **fields: Any
) -> None:
    """Mark `stage` ready with its results, in the caller's transaction; JobCancelled (which
    rolls that transaction back) if the owner cancelled the stage meanwhile."""
    finished = await RecordRepository(session).set_stage_if(
        record_id,
        stage,
        StageStatus.ready,
        when=(StageStatus.processing,),
        **{stage.error_field: None},
        **fields,
    )
    if not finished:
        raise JobCancelled


async def _current(runtime: Runtime, record_id: uuid.UUID) -> Record | None:
    # The job's reads use reading sessions: on SQLite a plain session's first query takes the
    # one write lock (BEGIN IMMEDIATE), and the cancel poll runs twice a second per running job.
    async with reading(runtime.sessionmaker) as session:
        return await RecordRepository(session).get(record_id)


async def _stopped(runtime: Runtime, record: Record) -> bool:
    """Cancelled, gone, or retried: a cancel followed at once by a retry puts the stages back
    to pending under a new attempt before this job may have seen them cancelled."""
    current = await _current(runtime, record.id)
    return current is None or current.cancelled or current.attempt != record.attempt


async def _superseded(runtime: Runtime, record: Record) -> bool:
    """A newer attempt (a retry) of the record is waiting to run."""
    current = await _current(runtime, record.id)
    return current is not None and current.attempt != record.attempt and not current.done


async def until_cancelled(runtime: Runtime, record: Record, work: Awaitable[None]) -> None:
    """Run `work`, looking for a cancel every `job_cancel_poll_seconds` (the cancel is in the
    database, so any API replica can make it); on one the work's task is cancelled, which
    abandons a provider request in flight, and JobCancelled is raised. A retry that took the
    record over from this run stops it the same way."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=runtime.settings.job_cancel_poll_seconds)
            if done:
                return task.result()
            if await _stopped(runtime, record):
                raise JobCancelled
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


@contextlib.asynccontextmanager
async def hold_lease(runtime: Runtime, record_id: uuid.UUID) -> AsyncIterator[bool]:
    """Claim the record for this job and keep renewing it; yields False if another job has it."""
    owner = f"{os.getpid()}:{uuid.uuid4().hex[:8]}"
    seconds = runtime.settings.job_lease_seconds

    async def _claim() -> bool:
        now = utcnow()
        async with unit_of_work(runtime.sessionmaker) as session:
            return await RecordRepository(session).claim(
                record_id, owner, now, now + timedelta(seconds=seconds)
            )

    if not await _claim():
        yield False
        return

    async def _renew() -> None:
        while True:
            await asyncio.sleep(seconds / 3)
            try:
                if not await _claim():
                    logger.warning("lost the record's lease", extra={"record_id": str(record_id)})
            except Exception:
                # A missed renewal is retried next time; the lease outlives two of them.
                logger.warning("could not renew the lease", exc_info=True)

    renewer = asyncio.create_task(_renew())
    try:
        yield True
    finally:
        renewer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewer
        with contextlib.suppress(Exception):
            async with unit_of_work(runtime.sessionmaker) as session:
                await RecordRepository(session).release(record_id, owner)


async def run_generation(runtime: Runtime, record_id: uuid.UUID) -> None:
    log = {"record_id": str(record_id)}
    async with hold_lease(runtime, record_id) as held:
        if not held:
            logger.info("record is held by another job; leaving it", extra=log)
            return
        async with reading(runtime.sessionmaker) as session:
            record = await RecordRepository(session).get(record_id)
        if record is None:
            logger.warning("generation job for a record that does not exist", extra=log)
            return
        if record.done:
            # Cancelled while it waited (or a duplicate message for a finished run): not run.
            logger.info("record already ended; nothing to run", extra=log)
            return
        async with unit_of_work(runtime.sessionmaker) as session:
            await RecordRepository(session).set_times(record_id, started_at=utcnow())
        try:
            completed = await _run_stages(runtime, record)
        except JobCancelled:
            superseded = await _superseded(runtime, record)
            if not superseded:
                logger.info("generation cancelled by its owner", extra=log)
                return
            completed = False
        else:
            superseded = False
        finally:
            await _discard_previews(runtime, record_id)
    if superseded:
        # The retry's own job found this one holding the record (its queue message absorbed by
        # this one's, or its lease claim refused): once the lease is released above, the queue
        # runs this job again, for the new attempt.
        logger.info("generation cancelled and retried; running the retry", extra=log)
        raise RunAgain
    logger.info("generation finished" if completed else "generation ended with an error", extra=log)
    await _notify_ended(runtime, record_id)


async def _discard_previews(runtime: Runtime, record_id: uuid.UUID) -> None:
    """The job's last word on previews: whatever is left once the record has ended goes (the
    stage or the cancel normally took them already). An unfinished record keeps them for the
    job that picks it up again."""
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            record = await RecordRepository(session).get(record_id)
            if record is not None and record.done:
                await previews.discard(session, runtime.storage, record)
    except Exception:
        logger.warning(
            "could not discard previews", exc_info=True, extra={"record_id": str(record_id)}
        )


async def _notify_ended(runtime: Runtime, record_id: uuid.UUID) -> None:
    # Webhooks only queue rows and jobs here; a failure to do so must not fail the record.
    try:
        await webhooks.record_ended(runtime, record_id)
    except Exception:
        logger.exception("could not queue webhook deliveries", extra={"record_id": str(record_id)})


async def _run_stages(runtime: Runtime, record: Record) -> bool:
    """Run the stages that are not ready yet; False if one failed (the rest were ended)."""
    stages = (
        (Stage.images, record.image_status, _stage_images),
        (Stage.story, record.story_status, _stage_story),
        (Stage.recommendation, record.recommendation_status, _stage_recommendation),
    )
    for stage, status, run_stage in stages:
        if status == StageStatus.ready:
            continue
        if status in (StageStatus.error, StageStatus.cancelled):
            break
        # Every design starts waiting, so the page shows 4 cards filling one by one.
        slots = {"design_slots": previews.fresh_slots()} if stage is Stage.images else {}
        await begin_stage(runtime, record.id, stage, **slots)
        if stage is Stage.story:
            await begin_stage(runtime, record.id, Stage.keywords)
        try:
            await until_cancelled(runtime, record, run_stage(runtime, record))
        except JobCancelled:
            raise
        except Exception as exc:
            reason = _reason(exc)
            logger.warning(
                "stage %s failed: %s",
                stage,
                reason,
                extra={"record_id": str(record.id), "stage": stage},
            )
            await _fail_from(runtime, record, stage, reason)
            return False
    async with unit_of_work(runtime.sessionmaker) as session:
        await RecordRepository(session).set_times(record.id, finished_at=utcnow())
    return True


def _reason(exc: BaseException) -> str:
    if isinstance(exc, StageFailed | ProviderError):
        text = str(exc)
    elif isinstance(exc, LayerminderError):
        # Expected failures with their own advice: an index built by another embedder or
        # precision (re-index), a CLIP model that is missing or broken.
        text = exc.message
    else:
        text = f"unexpected error ({type(exc).__name__}: {exc})"
    return text[:ERROR_LIMIT] or type(exc).__name__


async def _fail_from(runtime: Runtime, record: Record, stage: Stage, reason: str) -> None:
    """Mark the failed stage, end the ones after it, and refund if no design was delivered.

    Stages that ended meanwhile (a cancel) keep their status; the refund is once per run."""
    order = list(Stage)
    ends: dict[Stage, tuple[StageStatus, str | None]] = {}
    for later in order[order.index(stage) :]:
        ends[later] = (
            StageStatus.error,
            reason
            if later is stage or (stage is Stage.story and later is Stage.keywords)
            else f"not run: the {stage} stage failed",
        )
    async with unit_of_work(runtime.sessionmaker) as session:
        repository = RecordRepository(session)
        # Only this run's attempt: a retry that started meanwhile keeps its fresh stages.
        ended = await repository.end_open_stages(
            record.id, ends, attempt=record.attempt, finished_at=utcnow()
        )
        current = await repository.get(record.id)
        if ended and current is not None:
            # Gone before the stream's `end`: the record has ended.
            await previews.discard(session, runtime.storage, current)
        if ended and stage is Stage.images:
            await credits.refund_generation(
                session,
                record.owner_id,
                record.id,
                runtime.settings.generation_cost,
                note=f"refund: {reason}",
                attempt=record.attempt,
            )
    await publish(runtime, record.id, "state")


async def _load_inputs(runtime: Runtime, record: Record) -> list[InputImage]:
    async with reading(runtime.sessionmaker) as session:
        found = await ImageRepository(session).get_many(
            [uuid.UUID(i) for i in record.input_image_ids]
        )
    inputs = []
    for position, image_id in enumerate(record.input_image_ids):
        image = found.get(uuid.UUID(image_id))
        if image is None:
            raise StageFailed(f"input image {image_id} no longer exists")
        data = await runtime.storage.get(image.storage_key)
        extension = image.storage_key.rsplit(".", 1)[-1]
        inputs.append(InputImage(data, image.content_type, f"reference-{position + 1}.{extension}"))
    return inputs


async def load_brief(runtime: Runtime, record: Record) -> Brief:
    """The brief the record was started with: its references (roles, strengths), keyword, style."""
    images = await _load_inputs(runtime, record)
    roles = record.brief_inputs
    style = styles.STYLES_BY_ID.get(record.style) if record.style else None
    mask, edit_prompt = await _load_edit(runtime, record)
    return Brief(
        inputs=tuple(
            BriefInput(image, role=cast(InputRole, role), strength=strength)
            for image, (_, role, strength) in zip(images, roles, strict=True)
        ),
        keyword=record.keyword,
        style=style.cue if style else None,
        mask=mask,
        edit_prompt=edit_prompt,
    )


async def _load_edit(runtime: Runtime, record: Record) -> tuple[InputImage | None, str | None]:
    """A region edit's mask and prompt; (None, None) for a record that is not an edit."""
    if not record.edit:
        return None, None
    async with reading(runtime.sessionmaker) as session:
        mask_image = await ImageRepository(session).get(uuid.UUID(record.edit["mask_image_id"]))
    if mask_image is None:
        raise StageFailed("the edit's mask image no longer exists")
    data = await runtime.storage.get(mask_image.storage_key)
    return InputImage(data, mask_image.content_type, "mask.png"), str(record.edit["prompt"])


async def _stage_images(runtime: Runtime, record: Record) -> None:
    provider = runtime.image_provider
    brief = await load_brief(runtime, record)
    live = previews.LivePreviews(runtime, record)
    if brief.is_edit:
        batch = await _edit_region(runtime, brief)
    else:
        progress = live if runtime.settings.image_previews else None
        batch = await provider.generate_designs(brief, DESIGN_COUNT, progress=progress)
    if len(batch.images) != DESIGN_COUNT:
        raise StageFailed(f"the image provider returned {len(batch.images)} designs, not 4")
    checked = {
        position: await previews.check_design(runtime, data)
        for position, data in enumerate(batch.images)
        if position not in live.stored
    }
    async with unit_of_work(runtime.sessionmaker) as session:
        design_ids = []
        for position in range(DESIGN_COUNT):
            if position in live.stored:
                design_ids.append(live.stored[position])
                continue
            image = await images.store_image(
                session,
                runtime.storage,
                valid=checked[position],
                owner_id=record.owner_id,
                kind=ImageKind.generated,
                room_id=record.room_id,
                image_id=design_id(record.id, position),
            )
            design_ids.append(image.id)
        repository = RecordRepository(session)
        await repository.add_designs(record.id, design_ids)
        usage = dict(record.usage or {})
        usage["images"] = batch.usage
        await finish_stage(
            session,
            record.id,
            Stage.images,
            image_provider=batch.provider,
            image_model=batch.model,
            usage=usage,
            # The 4 designs are the record's now; their progress and previews are over.
            design_slots=None,
        )
        current = await repository.get(record.id)
        assert current is not None
        await previews.discard(session, runtime.storage, current)
    await publish(runtime, record.id, Stage.images)


async def _edit_region(runtime: Runtime, brief: Brief) -> DesignBatch:
    """The provider repaints; then, whatever it did elsewhere, every pixel outside the mask is
    put back from the original, so an edit never drifts the rest of the piece."""
    image, mask = edit_parts(brief)
    batch = await runtime.image_provider.edit_region(brief, DESIGN_COUNT)
    batch.images = [
        await offload.run(keep_outside, image.data, edited, mask.data) for edited in batch.images
    ]
    return batch


async def _designs(runtime: Runtime, record: Record) -> list[bytes]:
    async with reading(runtime.sessionmaker) as session:
        designs = (await RecordRepository(session).designs([record.id]))[record.id]
    if len(designs) != DESIGN_COUNT:
        raise StageFailed("the record has no designs to describe")
    return [await runtime.storage.get(image.storage_key) for image in designs]


async def _stage_story(runtime: Runtime, record: Record) -> None:
    designs = await _designs(runtime, record)
    language: Language = "ko" if record.language == "ko" else "en"
    # The story reads the brief too: materials named in the keyword or style are its materials.
    brief = await load_brief(runtime, record)
    result = await runtime.story_provider.write_story(designs[0], brief, language)
    story = result.story
    async with unit_of_work(runtime.sessionmaker) as session:
        current = await RecordRepository(session).get(record.id)
        usage = dict(current.usage or {}) if current else {}
        usage["story"] = result.usage
        await finish_stage(
            session,
            record.id,
            Stage.story,
            name=story.name,
            width_cm=story.dimensions.width_cm,
            depth_cm=story.dimensions.depth_cm,
            height_cm=story.dimensions.height_cm,
            seat_height_cm=story.dimensions.seat_height_cm,
            furniture_type=story.furniture_type,
            material=story.material,
            title=story.title,
            story=story.story,
            story_provider=result.provider,
            story_model=result.model,
            usage=usage,
        )
    await publish(runtime, record.id, Stage.story)
    async with unit_of_work(runtime.sessionmaker) as session:
        await finish_stage(
            session,
            record.id,
            Stage.keywords,
            keywords=list(story.keywords),
            keywords_display=list(story.keywords_display),
        )
    await publish(runtime, record.id, Stage.keywords)


async def _stage_recommendation(runtime: Runtime, record: Record) -> None:
    designs = await _designs(runtime, record)
    index = await runtime.library_index.current()
    if index is None or len(index) == 0:
        raise StageFailed(
            "the reference library is empty: import references with "
            "`layerminder library import DIR` to get recommendations"
        )
    embedder = runtime.embedder
    inputs = await _load_inputs(runtime, record)
    input_ids = [uuid.UUID(i) for i in record.input_image_ids]
    # A design refined again comes back as an input: its vector was stored when it was made.
    async with reading(runtime.sessionmaker) as session:
        known = await RecordRepository(session).stored_design_vectors(input_ids, embedder.model_id)
    fresh = [position for position, image_id in enumerate(input_ids) if image_id not in known]
    # Designs and the inputs not seen before in one batch: one model call.
    images = designs + [inputs[position].data for position in fresh]
    if isinstance(embedder, BasicDescriptorEmbedder):
        # Plain numpy and Pillow under the GIL, and stateless: in a worker process. CLIP's ONNX
        # sessions release the GIL while they run, and cannot be pickled: a thread.
        vectors = await offload.run(embedder.embed_images, images)
    else:
        vectors = await asyncio.to_thread(embedder.embed_images, images)
    design_vectors = vectors[: len(designs)]
    embedded = dict(zip(fresh, vectors[len(designs) :], strict=True))
    rows = [
        embedded[position] if position in embedded else known[image_id]
        for position, image_id in enumerate(input_ids)
    ]
    input_vectors = np.stack(rows) if rows else np.zeros((0, embedder.dim), dtype=np.float32)
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
    analysis = {
        "design_input_similarity": [
            [round(float(x), 4) for x in row]
            for row in l2_normalise(design_vectors) @ l2_normalise(input_vectors).T
        ],
        "design_library_max_similarity": [round(float(s), 4) for s in nearest[:, 0]],
        "near_copy_threshold": runtime.settings.near_copy_threshold,
        "near_copy": [bool(s >= runtime.settings.near_copy_threshold) for s in nearest[:, 0]],
    }
    async with unit_of_work(runtime.sessionmaker) as session:
        references = await ReferenceRepository(session).by_vector_ids([vid for vid, _ in hits])
        ranked = [(references[vid].id, score) for vid, score in hits if vid in references]
        repository = RecordRepository(session)
        await repository.replace_recommendations(record.id, ranked)
        # Kept for "more like this" across the user's designs (no re-embedding later).
        await repository.store_design_vectors(
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
            analysis=analysis,
            finished_at=utcnow(),
        )
    await publish(runtime, record.id, Stage.recommendation)


async def recover_unfinished(runtime: Runtime, *, at_startup: bool = False) -> int:
    """Hand records left unfinished by a dead process back to the queue.

    At start-up every unclaimed record is orphaned (this process's in-process queue is empty);
    later sweeps only take records untouched for a whole lease period.
    """
    now = utcnow()
    stale_before = (
        now if at_startup else now - timedelta(seconds=runtime.settings.job_lease_seconds)
    )
    async with reading(runtime.sessionmaker) as session:
        record_ids = await RecordRepository(session).unfinished(now, stale_before)
    for record_id in record_ids:
        await runtime.queue.enqueue(GENERATE_DESIGNS, record_id)
    if record_ids:
        logger.info("re-queued %d unfinished records", len(record_ids))
    return len(record_ids)


def job_handlers(runtime: Runtime) -> dict[str, JobHandler]:
    """The tasks a process that runs jobs binds to its queue (the app in-process, a worker)."""
    return {GENERATE_DESIGNS: partial(run_generation, runtime)}
