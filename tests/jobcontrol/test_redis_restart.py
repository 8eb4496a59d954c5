"""The worker rides out Redis going away: killed, and back 2 s later with nothing in it (no
persistence), while a record renders and another waits in the queue. Redis here is a
`redis-server` of the test's own on a free port, so the test can kill it."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Database
from tests.helpers import STAGES, signup
from tests.jobcontrol.common import TUNABLE_IMAGES, generate, get_record, room_with_input, steer
from tests.jobcontrol.conftest import RedisDeployment
from tests.live import server_env

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


class OwnRedis:
    """A redis-server that keeps nothing on disk, which the test may kill and start again."""

    def __init__(self, root: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.root = root
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (CI must run this test)")
        pytest.skip("redis-server is not installed: this test starts and kills its own")
    redis = OwnRedis(tmp_path)
    redis.start()
    yield redis
    if redis.process is not None and redis.process.poll() is None:
        redis.kill()


async def test_the_worker_survives_a_redis_restart_and_finishes_every_job(
    tmp_path: Path, postgres: Database, own_redis: OwnRedis
) -> None:
    env = server_env(
        tmp_path / "data",
        postgres.url,
        redis_url=own_redis.url,
        redis_prefix="lm-restart",
        signup_credits="20",
        jwt_secret=secrets.token_urlsafe(48),
        image_provider=TUNABLE_IMAGES,
        test_control_file=str(tmp_path / "control.json"),
    )
    deployment = RedisDeployment(tmp_path, env)
    try:
        api = deployment.api()
        worker = deployment.worker(concurrency=1)
        steer(deployment.control, image_delay=3)
        async with api.client() as client:
            account = await signup(client)
            room_id, image_id = await room_with_input(client, account)
            running = await generate(client, account, room_id, image_id)
            waiting = await generate(client, account, room_id, image_id)
            deadline = time.monotonic() + 30
            while (await get_record(client, account, running))["image_status"] != "processing":
                assert time.monotonic() < deadline, "the first record never started"
                await _pause()

            # Redis dies with the waiting record's message in it, and comes back empty.
            own_redis.kill()
            await _pause(2)
            own_redis.start()

            deadline = time.monotonic() + 60
            records = {}
            while time.monotonic() < deadline:
                records = {r: await get_record(client, account, r) for r in (running, waiting)}
                if all(record["done"] for record in records.values()):
                    break
                await _pause()
            assert worker.process.poll() is None, "the worker exited:\n" + deployment.tail()
            for record in records.values():
                assert [record[s] for s in STAGES] == ["ready"] * 4, (record, deployment.tail())
                assert record["refunded"] is False and len(record["designs"]) == 4
            ledger = (await client.get("/api/v1/credits", headers=account.headers)).json()
            # Two debits, no refund, nothing twice; the balance is the ledger's sum.
            assert [t["reason"] for t in ledger["transactions"]] == [
                "generation",
                "generation",
                "signup",
            ]
            assert ledger["balance"] == 18 == sum(t["delta"] for t in ledger["transactions"])
    except BaseException:
        print(deployment.tail())
        raise
    finally:
        deployment.stop()


async def _pause(seconds: float = 0.2) -> None:
    await asyncio.sleep(seconds)
