"""Scale-out end to end: 2 API replicas and 2 workers on PostgreSQL, Redis and S3 (moto).

Twenty generations from several users go in through both replicas; each record's progress is
read over SSE from the replica that did *not* accept it (so events must cross Redis); a worker
is killed with SIGKILL while it holds a job. Then every record must have ended properly, with
exactly four designs, balances equal to their ledgers, and no object in S3 without its row.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from layerminder.config import Settings
from layerminder.db.session import create_engine
from tests.conftest import REDIS_TEST_URL, Database, require_service
from tests.helpers import STAGES, Account, create_room, make_image, signup, upload_image
from tests.integration.deployment import Deployment
from tests.integration.workers import LiveWorker
from tests.jobs.redis_keys import queue_drained
from tests.live import Event, events_until_end, server_env
from tests.storage.moto_server import MotoS3, running_moto_s3

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

USERS = 4
GENERATIONS = 20
S3_PREFIX = "lm"


@pytest.fixture
def moto(tmp_path: Path) -> Iterator[MotoS3]:
    with running_moto_s3(tmp_path / "moto.log") as server:
        yield server


@pytest.fixture
def deployment(
    tmp_path: Path, postgres: Database, redis_prefix: str, moto: MotoS3
) -> Iterator[tuple[Deployment, dict[str, str]]]:
    require_service("Redis", REDIS_TEST_URL)
    bucket = moto.create_bucket(f"lm-{uuid.uuid4().hex[:12]}")
    env = server_env(
        tmp_path / "data",
        postgres.url,
        redis_url=REDIS_TEST_URL,
        redis_prefix=redis_prefix,
        # A short lease, so the killed worker's job is recovered in seconds.
        job_lease_seconds=3,
        recovery_interval_seconds=2,
        worker_concurrency=2,
        # Every process signs and checks the same tokens and image URLs.
        jwt_secret=secrets.token_urlsafe(48),
        image_provider="tests.integration.providers:PacedImageProvider",
        **moto.settings(bucket, S3_PREFIX),
    )
    env["LAYERMINDER_TEST_IMAGE_DELAY"] = "0.5"
    running = Deployment(tmp_path, env)
    try:
        # The first replica seeds the reference library (S3 and PostgreSQL) before the others
        # start, so they never race to seed it; the rest start side by side.
        running.api()
        with ThreadPoolExecutor(3) as pool:
            second = pool.submit(running.api)
            workers = [pool.submit(running.worker, 2, shutdown_timeout=10) for _ in range(2)]
            second.result()
            running.workers = [w.result() for w in workers]  # in a known order
        yield running, {"bucket": bucket, "database_url": postgres.url, "prefix": redis_prefix}
    finally:
        running.stop()


async def _kill_a_worker_holding_a_job(
    engine: AsyncEngine, workers: list[LiveWorker]
) -> tuple[LiveWorker, uuid.UUID]:
    """Wait until a record is mid-stage in one of our workers; SIGKILL that worker."""
    by_pid = {worker.pid: worker for worker in workers}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT id, lease_owner FROM records "
                    "WHERE image_status = 'processing' AND lease_owner IS NOT NULL"
                )
            )
            for record_id, owner in rows:
                pid = int(owner.split(":")[0])
                if pid in by_pid:
                    victim = by_pid[pid]
                    victim.stop(kill=True)
                    return victim, record_id
        await asyncio.sleep(0.05)
    raise AssertionError("no worker was seen holding a job")


async def _read_progress(client: httpx.AsyncClient, record_id: str, token: str) -> list[Event]:
    return await asyncio.wait_for(events_until_end(client, record_id, token), timeout=75)


async def test_two_apis_two_workers_survive_a_killed_worker(
    deployment: tuple[Deployment, dict[str, str]], moto: MotoS3
) -> None:
    running, names = deployment
    engine = create_engine(Settings(_env_file=None, database_url=names["database_url"]))
    try:
        await _scenario(running, names, moto, engine)
    except BaseException:
        print(running.tail())
        raise
    finally:
        await engine.dispose()


async def _scenario(
    running: Deployment, names: dict[str, str], moto: MotoS3, engine: AsyncEngine
) -> None:
    api_1, api_2 = running.apis
    async with api_1.client() as one, api_2.client() as two:
        clients = (one, two)
        users: list[tuple[Account, str, list[str]]] = []
        for n in range(USERS):
            client = clients[n % 2]
            account = await signup(client)
            room_id = await create_room(client, account)
            colours = [(200 - 30 * n, 60, 40 + 30 * n), (40, 90 + 20 * n, 160)]
            image_ids = [
                (await upload_image(client, account, room_id, make_image(color=c)))["id"]
                for c in colours
            ]
            users.append((account, room_id, image_ids))

        async def _generate(n: int) -> tuple[str, int, Account]:
            account, room_id, image_ids = users[n % USERS]
            accepted_by = (n + n // USERS) % 2  # every user goes through both replicas
            response = await clients[accepted_by].post(
                "/api/v1/generate",
                json={
                    "session_id": room_id,
                    "input_image_ids": image_ids[: 1 + n % 2],
                    "keyword": ["oak", "steel", "velvet", "rattan"][n % 4],
                },
                headers=account.headers,
            )
            assert response.status_code == 202, response.text
            return response.json()["record_id"], accepted_by, account

        submitted = await asyncio.gather(*(_generate(n) for n in range(GENERATIONS)))
        # Progress from the other replica: the job runs in a worker, the events cross Redis.
        readers = [
            asyncio.create_task(_read_progress(clients[1 - accepted_by], record_id, a.token))
            for record_id, accepted_by, a in submitted
        ]
        victim, held_record = await _kill_a_worker_holding_a_job(engine, running.workers)
        streams = await asyncio.gather(*readers)
        assert victim.process.returncode == -9

        for (record_id, _, account), events in zip(submitted, streams, strict=True):
            assert events[-1].event == "end", (record_id, [e.event for e in events])
            ids = [int(e.id) for e in events[:-1]]
            assert ids == sorted(ids), ids
            # An id is the record's version: only a moved queue place is resent under the same one.
            for before, after in pairwise(events[:-1]):
                if after.id == before.id:
                    assert before.data is not None and after.data is not None
                    assert after.data["queue_position"] != before.data["queue_position"], ids
            final = events[-2].data
            assert final is not None and final["done"] is True
            record = (
                await clients[0].get(f"/api/v1/records/{record_id}", headers=account.headers)
            ).json()
            assert record == final or record["version"] >= final["version"]
            if record["image_status"] == "error":
                assert record["refunded"] is True and record["designs"] == [], record
            else:
                assert all(record[s] == "ready" for s in STAGES), record
                assert [d["position"] for d in record["designs"]] == [0, 1, 2, 3]
                assert len({d["image_id"] for d in record["designs"]}) == 4
                assert len(record["keywords"]) == 12

        killed = next(r for r, _, _ in submitted if r == str(held_record))
        held_events = streams[[r for r, _, _ in submitted].index(killed)]
        assert held_events[-2].data is not None
        assert held_events[-2].data["image_status"] == "ready", held_events[-2].data

    await _assert_database_consistent(engine, len(submitted))
    await _assert_no_orphan_objects(engine, moto, names["bucket"])
    # Every job message ends acknowledged (duplicates from the recovery sweep included).
    assert await queue_drained(names["prefix"])

    # The surviving worker stops cleanly on SIGTERM.
    survivor = next(w for w in running.workers if w is not victim)
    assert survivor.stop() == 0, survivor.log()[-3000:]


async def _assert_database_consistent(engine: AsyncEngine, generations: int) -> None:
    # A job releases its lease just after publishing the last event: give it a moment.
    for _ in range(50):
        async with engine.connect() as conn:
            held = await conn.scalar(
                text("SELECT count(*) FROM records WHERE lease_owner IS NOT NULL")
            )
        if held == 0:
            break
        await asyncio.sleep(0.2)
    assert held == 0
    async with engine.connect() as conn:
        records = (
            await conn.execute(
                text(
                    "SELECT r.id, r.image_status, r.lease_owner, count(ri.image_id) "
                    "FROM records r LEFT JOIN record_images ri ON ri.record_id = r.id "
                    "GROUP BY r.id"
                )
            )
        ).all()
        assert len(records) == generations
        ready = [r for r in records if r.image_status == "ready"]
        assert all(r[3] == 4 for r in ready), records
        assert all(r[3] == 0 for r in records if r.image_status == "error"), records
        generated = await conn.scalar(text("SELECT count(*) FROM images WHERE kind = 'generated'"))
        assert generated == 4 * len(ready)

        balances = (
            await conn.execute(
                text(
                    "SELECT a.user_id, a.balance, coalesce(sum(t.delta), 0) "
                    "FROM credit_accounts a "
                    "LEFT JOIN credit_transactions t ON t.user_id = a.user_id "
                    "GROUP BY a.user_id, a.balance"
                )
            )
        ).all()
        assert balances and all(balance == ledger for _, balance, ledger in balances), balances
        debits = await conn.scalar(
            text("SELECT count(*) FROM credit_transactions WHERE reason = 'generation'")
        )
        refunds = await conn.scalar(
            text("SELECT count(*) FROM credit_transactions WHERE reason = 'refund'")
        )
        assert debits == generations
        assert refunds == len(records) - len(ready)


async def _assert_no_orphan_objects(engine: AsyncEngine, moto: MotoS3, bucket: str) -> None:
    client = moto.client()
    keys: set[str] = set()
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=f"{S3_PREFIX}/"
    ):
        keys.update(item["Key"].removeprefix(f"{S3_PREFIX}/") for item in page.get("Contents", ()))
    async with engine.connect() as conn:
        rows = set((await conn.scalars(text("SELECT storage_key FROM images"))).all())
    library = {k for k in keys if k.startswith("library/")}
    # The library index is not an image: exactly the manifest and the index it names.
    manifest: dict[str, Any] = json.loads(
        client.get_object(Bucket=bucket, Key=f"{S3_PREFIX}/library/manifest.json")["Body"].read()
    )
    assert library == {"library/manifest.json", manifest["key"]}, library
    # Each offline design keeps its model beside its image (objects.service.model_key).
    models = {k for k in keys if k.endswith(".model.json")}
    assert {k.removesuffix(".model.json") for k in models} <= {k.rsplit(".", 1)[0] for k in rows}
    images = keys - library - models
    assert images == rows, (sorted(images - rows), sorted(rows - images))
