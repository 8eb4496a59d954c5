"""The ledger's rule, under a fault: a run whose designs were stored keeps its credit whatever
fails after, even when the fault came before the images stage was marked ready."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from layerminder.config import Settings
from layerminder.db.session import unit_of_work
from layerminder.generation import lifecycle
from layerminder.models import Record, Stage, StageStatus
from layerminder.records import service as records
from layerminder.runtime import Runtime
from tests.conftest import Database, make_settings
from tests.finished_records import wait_done
from tests.helpers import signup, start_generation


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return make_settings(tmp_path, database, seed_library=True)


async def test_a_failure_after_the_designs_were_stored_refunds_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await signup(client)
    _, started = await start_generation(client, account, (120, 80, 50))
    record_id = uuid.UUID(started)
    await wait_done(client, account, started)

    # As a job that had stored the 4 designs when the fault came: every stage still open.
    runtime: Runtime = app.state.runtime
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            update(Record)
            .where(Record.id == record_id)
            .values(
                {
                    **{stage.status_field: StageStatus.processing for stage in Stage},
                    "finished_at": None,
                }
            )
        )
    async with unit_of_work(runtime.sessionmaker) as session:
        record = await records.get(session, record_id)
    assert record is not None
    await lifecycle.fail_from(runtime, record, Stage.images, "the store went away")

    after = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
    assert after["image_status"] == "error" and after["done"] is True
    assert after["refunded"] is False and len(after["designs"]) == 4
    ledger = (await client.get("/api/v1/credits", headers=account.headers)).json()
    assert [t["reason"] for t in ledger["transactions"]] == ["generation", "signup"]
