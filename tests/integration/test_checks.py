"""`layerminder doctor` and `/readyz` on real PostgreSQL, Redis and S3 (moto): what they report."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from layerminder.app import create_app
from tests.conftest import REDIS_TEST_URL, Database, make_settings
from tests.helpers import create_room, make_image, signup, upload_image
from tests.integration.workers import start_worker
from tests.live import CLI, REPO_ROOT, server_env
from tests.storage.moto_server import MotoS3, running_moto_s3

pytestmark = [pytest.mark.slow, pytest.mark.redis]


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoS3]:
    with running_moto_s3() as server:
        yield server


def _doctor(env: dict[str, str]) -> tuple[int, dict[str, tuple[str, str]], str]:
    result = subprocess.run(
        [CLI, "doctor"],
        env={**env, "COLUMNS": "500", "PYTHONIOENCODING": "utf-8"},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    rows: dict[str, tuple[str, str]] = {}
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) == 3 and cells[1] in ("ok", "warn", "fail"):
            rows[cells[0]] = (cells[1], cells[2])
    return result.returncode, rows, result.stdout + result.stderr


@pytest.mark.postgres
def test_doctor_checks_postgres_redis_s3_and_workers(
    tmp_path: Path, postgres: Database, redis_prefix: str, moto: MotoS3
) -> None:
    bucket = moto.create_bucket(f"lm-{uuid.uuid4().hex[:12]}")
    env = server_env(
        tmp_path / "data",
        postgres.url,
        redis_url=REDIS_TEST_URL,
        redis_prefix=redis_prefix,
        database_pool_size=7,
        **moto.settings(bucket, "deploy"),
    )
    code, rows, output = _doctor(env)
    assert rows["database"][0] == "ok" and "postgresql" in rows["database"][1], output
    assert "pool of 7" in rows["database"][1]
    assert rows["storage"] == (
        "ok",
        f"s3 storage is writable (s3://{bucket}/deploy/ at {moto.endpoint_url})",
    ), output
    assert rows["redis"][0] == "ok", output
    assert rows["queue"][0] == "warn" and "start `layerminder worker`" in rows["queue"][1]

    worker = start_worker(env, tmp_path / "worker.log")
    try:
        code, rows, output = _doctor(env)
        assert rows["queue"] == ("ok", "0 waiting, 0 running, 1 worker(s) alive")
    finally:
        assert worker.stop() == 0, worker.log()
    code, rows, output = _doctor(env)
    assert rows["queue"][1].endswith(
        "0 worker(s) alive: start `layerminder worker` (generations wait until one runs)"
    )

    broken = {
        **env,
        "LAYERMINDER_STORAGE_URL": "s3://no-such-bucket/x",
        "LAYERMINDER_REDIS_URL": "redis://:hunter2@127.0.0.1:1/0",
    }
    code, rows, output = _doctor(broken)
    assert code == 1
    assert rows["storage"][0] == "fail" and "bucket does not exist" in rows["storage"][1]
    assert rows["redis"][0] == "fail" and "LAYERMINDER_REDIS_URL" in rows["redis"][1]
    assert "hunter2" not in output


def test_worker_needs_redis(tmp_path: Path) -> None:
    env = server_env(tmp_path / "data", f"sqlite+aiosqlite:///{tmp_path / 'lm.db'}")
    result = subprocess.run(
        [CLI, "worker"], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "needs LAYERMINDER_REDIS_URL" in " ".join(result.stderr.split())


@pytest.fixture
async def s3_app_client(
    tmp_path: Path, sqlite_template: Path, redis_prefix: str, moto: MotoS3, request: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    path = tmp_path / "lm.db"
    shutil.copy(sqlite_template, path)
    bucket = moto.create_bucket(f"lm-{uuid.uuid4().hex[:12]}")
    settings = make_settings(
        tmp_path,
        Database("sqlite", f"sqlite+aiosqlite:///{path}"),
        redis_url=REDIS_TEST_URL,
        redis_prefix=redis_prefix,
        presigned_image_urls=True,
        **moto.settings(bucket, "app"),
    )
    async with LifespanManager(create_app(settings)) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client, bucket


async def test_readyz_reports_s3_and_redis(
    s3_app_client: tuple[httpx.AsyncClient, str], moto: MotoS3
) -> None:
    client, bucket = s3_app_client
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "database": "ok",
        "storage": "ok",
        "events": "ok",
        "queue": "ok",
    }
    # The bucket disappears: readiness says so in plain words.
    s3 = moto.client()
    s3.delete_bucket(Bucket=bucket)
    not_ready = await client.get("/readyz")
    assert not_ready.status_code == 503
    assert "bucket does not exist" in not_ready.json()["checks"]["storage"]


async def test_images_redirect_to_presigned_s3_urls(
    s3_app_client: tuple[httpx.AsyncClient, str], moto: MotoS3
) -> None:
    client, bucket = s3_app_client
    account = await signup(client)
    room_id = await create_room(client, account)
    data = make_image()
    image = await upload_image(client, account, room_id, data)
    stored = moto.client().list_objects_v2(Bucket=bucket, Prefix="app/")["Contents"]
    assert [o["Key"] for o in stored] == [f"app/uploaded/{account.id}/{image['id']}.jpg"]

    response = await client.get(f"/api/v1/images/{image['id']}", headers=account.headers)
    assert response.status_code == 307
    location = response.headers["location"]
    assert location.startswith(f"{moto.endpoint_url}/{bucket}/app/uploaded/")
    async with httpx.AsyncClient() as outside:
        fetched = await outside.get(location)
    assert fetched.status_code == 200 and fetched.content.startswith(b"\xff\xd8")
    # Ownership is checked before any URL is handed out.
    stranger = await signup(client)
    denied = await client.get(f"/api/v1/images/{image['id']}", headers=stranger.headers)
    assert denied.status_code == 404
