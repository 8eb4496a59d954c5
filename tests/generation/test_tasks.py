"""The generation job run directly: safe to run twice, and twice at once."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from layerminder.auth import service as auth
from layerminder.credits.repository import CreditRepository
from layerminder.db.migrate import upgrade_to_head
from layerminder.db.session import unit_of_work
from layerminder.generation import service as generation
from layerminder.generation.job import run_generation
from layerminder.generation.repository import JobRepository
from layerminder.generation.schemas import GenerateIn
from layerminder.images import service as images
from layerminder.jobs.queue import DirectQueue
from layerminder.library.importing import NewReference, import_references
from layerminder.models.record import Stage, StageStatus
from layerminder.records.repository import RecordRepository
from layerminder.rooms import service as rooms
from layerminder.runtime import Runtime, open_runtime
from tests.conftest import Database, make_settings
from tests.helpers import make_image


async def _record(runtime: Runtime) -> tuple[uuid.UUID, uuid.UUID]:
    async with unit_of_work(runtime.sessionmaker) as session:
        user = await auth.create_user(session, runtime.settings, "twice@example.com", "password1")
        room = await rooms.create(session, user, "twice", "", False)
        image = await images.upload(
            session,
            runtime.storage,
            runtime.settings,
            owner=user,
            room_id=room.id,
            data=make_image(),
        )
        record = await generation.start_generation(
            session,
            DirectQueue(),
            user,
            GenerateIn(session_id=room.id, input_image_ids=[image.id], keyword="oak"),
            storage=runtime.storage,
            cost=1,
        )
    return record.id, user.id


async def test_a_job_run_twice_and_twice_at_once_changes_nothing(
    tmp_path: Path, database: Database
) -> None:
    settings = make_settings(tmp_path, database)
    async with open_runtime(settings) as runtime:
        await upgrade_to_head(runtime.engine)
        await import_references(runtime, [NewReference(data=make_image(color=(9, 90, 9)))])
        record_id, user_id = await _record(runtime)

        await asyncio.gather(run_generation(runtime, record_id), run_generation(runtime, record_id))
        async with runtime.sessionmaker() as session:
            repository = RecordRepository(session)
            record = await repository.get(record_id)
            assert record is not None and record.done
            assert record.image_status == record.recommendation_status == "ready"
            version = record.version
            designs = [i.id for i in (await repository.designs([record_id]))[record_id]]
        assert len(designs) == 4

        await run_generation(runtime, record_id)
        async with runtime.sessionmaker() as session:
            repository = RecordRepository(session)
            again = await repository.get(record_id)
            assert again is not None and again.version == version
            assert [i.id for i in (await repository.designs([record_id]))[record_id]] == designs
            credits = CreditRepository(session)
            assert await credits.balance(user_id) == await credits.ledger_sum(user_id) == 49
        stored = await runtime.storage.list_keys("generated/")
        # Each design once, with its design model beside it (issue 29): nothing written twice.
        models = [key for key in stored if key.endswith(".model.json")]
        assert len(stored) - len(models) == 4 and len(models) == 4, stored


async def test_a_failure_of_an_older_attempt_leaves_the_retry_s_stages_alone(
    tmp_path: Path, database: Database
) -> None:
    # A job whose provider call fails after a cancel and retry moved the record to its next
    # attempt must not mark the retry's fresh stages as failed.
    settings = make_settings(tmp_path, database)
    async with open_runtime(settings) as runtime:
        await upgrade_to_head(runtime.engine)
        record_id, _ = await _record(runtime)
        ends: dict[Stage, tuple[StageStatus, str | None]] = {
            stage: (StageStatus.error, "provider failed") for stage in Stage
        }
        async with unit_of_work(runtime.sessionmaker) as session:
            repository = RecordRepository(session)
            record = await repository.get(record_id)
            assert record is not None
            stale = record.attempt - 1
            assert not await JobRepository(session).end_open_stages(record_id, ends, attempt=stale)
        async with runtime.sessionmaker() as session:
            untouched = await RecordRepository(session).get(record_id)
            assert untouched is not None and untouched.image_status == StageStatus.pending
            assert untouched.image_error is None

        async with unit_of_work(runtime.sessionmaker) as session:
            ended = await JobRepository(session).end_open_stages(
                record_id, ends, attempt=untouched.attempt
            )
        assert ended
        async with runtime.sessionmaker() as session:
            failed = await RecordRepository(session).get(record_id)
            assert failed is not None and failed.image_status == StageStatus.error
