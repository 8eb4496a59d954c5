"""Infrastructure faults while records generate: does any record fail, any worker exit?

The bench starts a scaled deployment of its own and breaks one part of it at a time:

- a temporary PostgreSQL cluster (`initdb` into a temporary folder, a free port; as root the
  cluster runs as the `postgres` user), a `redis-server` on a free port without persistence,
  moto S3 behind a proxy that can answer 503 `SlowDown`;
- one `layerminder serve` and one `layerminder worker` (offline providers), the worker under a
  supervisor that restarts it when it exits (and counts the exits it did not cause).

For each fault: a new account submits `--generations` generations of 2 inputs, the fault starts
0.7 s later, and the bench waits for every record to end. The faults:

| fault    | what the bench does                                                     |
|----------|-------------------------------------------------------------------------|
| none     | nothing: the baseline, how long the records take on this machine now    |
| redis    | SIGKILL redis-server, start it again empty 3 s later                    |
| postgres | `pg_ctl restart -m immediate` (the cluster down for the restart)        |
| s3       | the proxy answers 503 SlowDown to every request for 8 s                 |
| worker   | SIGKILL the worker, start a new one 2 s later                           |
| api      | SIGKILL the API, start it again                                         |

It prints, per fault: records failed (a stage `error`), worker exits (not counting the kill),
seconds from the fault's end until all records ended, records refunded although they delivered
designs (the ledger rule says never), and whether the balance equals the ledger. Targets: 0
failed, 0 exits, all ended within 20 s of the fault's end, 0 wrong refunds, balance = ledger.
On a loaded machine the 8 records take longer than that to draw with no fault at all: the
`none` row, measured in the same run, is the baseline, and `delay over no fault` (submit to
the last end, against the baseline's) is what the fault itself cost. The logs of every process
are kept when a record failed or stuck, a worker exited, or the ledger's rule broke.

    uv run python bench/faults.py [--generations 8] [--faults redis,postgres,s3,worker,api]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.api_load import Process, free_port, jpeg, load, spawn
from tests.storage.failing_proxy import FailingProxy, failing_proxy
from tests.storage.moto_server import MotoS3, running_moto_s3

FAULTS = ("none", "redis", "postgres", "s3", "worker", "api")
STAGES = ("image_status", "story_status", "keywords_status", "recommendation_status")
FAULT_AFTER_SECONDS = 0.7
GIVE_UP_SECONDS = 240.0


def _as_postgres_user() -> list[str]:
    """initdb and postgres refuse to run as root: run them as `postgres` there."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class Postgres:
    """A throw-away PostgreSQL cluster on a free port, trust auth, in its own folder."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "pg"
        self.port = free_port()
        self.log = root / "logs" / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*_as_postgres_user(), *command], check=True, stdout=subprocess.DEVNULL, timeout=120
        )

    def start(self) -> None:
        self.dir.mkdir()
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.log, "postgres")
        self._run("initdb", "-D", str(self.dir), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self._pg_ctl("start")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "-D", str(self.dir), "-l", str(self.log), "-o", options, "-w", action, *extra
        )

    def restart_immediately(self) -> None:
        """As a crash would: no checkpoint, every connection cut, then crash recovery."""
        self._pg_ctl("restart", "-m", "immediate")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._pg_ctl("stop", "-m", "fast")


class RedisServer:
    """redis-server on a free port, without persistence: a restart comes back empty."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.log = root / "logs" / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
            ).stdout.strip()
            != b"PONG"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@dataclass
class Deployment:
    """One API and one supervised worker on the services above."""

    root: Path
    env: dict[str, str]
    port: int
    api: Process | None = None
    worker: Process | None = None
    # Exits the bench did not cause, counted by the supervisor.
    worker_exits: int = 0
    _killing: bool = False

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_api(self) -> None:
        command = ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        log = self.root / "logs" / f"api-{time.monotonic_ns()}.log"
        self.api = spawn([*command, "--log-level", "warning"], self.env, log)

    def start_worker(self) -> None:
        log = self.root / "logs" / f"worker-{time.monotonic_ns()}.log"
        self.worker = spawn(["worker"], dict(self.env, LAYERMINDER_SEED_LIBRARY="false"), log)

    def kill_worker(self) -> None:
        self._killing = True
        assert self.worker is not None
        self.worker.process.kill()
        self.worker.process.wait()

    async def supervise(self) -> None:
        """Restart the worker whenever it exits; an exit nobody caused is counted."""
        while True:
            await asyncio.sleep(0.2)
            if self.worker is None or self.worker.process.poll() is None:
                continue
            if self._killing:
                continue  # the worker fault starts the next one itself
            self.worker_exits += 1
            print(f"  worker exited with {self.worker.process.returncode}: restarting")
            await asyncio.sleep(1)
            self.start_worker()

    def revive_worker(self) -> None:
        self._killing = False
        self.start_worker()

    def stop(self) -> None:
        for process in (self.api, self.worker):
            if process is not None:
                process.stop()


async def wait_ready(base: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.3)
    raise RuntimeError(f"{base} did not become ready")


@dataclass
class Designer:
    """An account with a room and two inputs, submitting generations."""

    client: httpx.AsyncClient
    headers: dict[str, str]
    room: str
    inputs: list[str]

    @classmethod
    async def sign_up(cls, client: httpx.AsyncClient) -> Designer:
        email = f"faults-{uuid.uuid4().hex[:8]}@example.com"
        signed = await client.post(
            "/api/v1/auth/signup", json={"email": email, "password": "correct horse"}
        )
        signed.raise_for_status()
        headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        room = await client.post("/api/v1/layerroom", json={"name": "Faults"}, headers=headers)
        room.raise_for_status()
        room_id = room.json()["id"]
        inputs = []
        for seed, colour in enumerate(((180, 120, 60), (60, 90, 150))):
            files = {"file": (f"in{seed}.jpg", jpeg(colour, seed), "image/jpeg")}
            uploaded = await client.post(
                f"/api/v1/layerroom/{room_id}/images", files=files, headers=headers
            )
            uploaded.raise_for_status()
            inputs.append(uploaded.json()["id"])
        return cls(client, headers, room_id, inputs)

    async def generate(self, count: int) -> list[str]:
        records = []
        for _ in range(count):
            created = await self.client.post(
                "/api/v1/generate",
                json={"session_id": self.room, "input_image_ids": self.inputs, "keyword": "oak"},
                headers={**self.headers, "Idempotency-Key": uuid.uuid4().hex},
            )
            created.raise_for_status()
            records.append(str(created.json()["record_id"]))
        return records

    async def _get(self, path: str, **params: Any) -> dict[str, Any]:
        """Asked again until the API answers: the API fault takes it away for a while."""
        while True:
            try:
                response = await self.client.get(path, params=params, headers=self.headers)
                if response.status_code < 500:
                    response.raise_for_status()
                    body: dict[str, Any] = response.json()
                    return body
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.3)

    async def wait_ended(self, records: list[str]) -> list[dict[str, Any]]:
        deadline = time.monotonic() + GIVE_UP_SECONDS
        ended: dict[str, dict[str, Any]] = {}
        while len(ended) < len(records) and time.monotonic() < deadline:
            for record_id in records:
                if record_id not in ended:
                    record = await self._get(f"/api/v1/records/{record_id}")
                    if record["done"]:
                        ended[record_id] = record | {"ended_at": time.monotonic()}
            await asyncio.sleep(0.25)
        return list(ended.values())

    async def balance_is_ledger(self) -> bool:
        body = await self._get("/api/v1/credits", limit=100)
        return bool(body["balance"] == sum(row["delta"] for row in body["transactions"]))


@dataclass
class Outcome:
    fault: str
    failed: int
    unfinished: int
    worker_exits: int
    ended_after: float
    # From the first submit until the last record ended: against the no-fault run's, what the
    # fault cost (on a loaded machine the drain itself takes longer than the target).
    took: float
    wrong_refunds: int
    balanced: bool

    @property
    def lost_nothing(self) -> bool:
        """No record failed or stuck, no worker gave up, the ledger's rule held."""
        return (
            self.failed == 0
            and self.unfinished == 0
            and self.worker_exits == 0
            and self.wrong_refunds == 0
            and self.balanced
        )


async def inject(
    fault: str, deployment: Deployment, postgres: Postgres, redis: RedisServer, proxy: FailingProxy
) -> None:
    """Break one part; returns when the fault has ended (the part is back)."""
    if fault == "none":
        return
    if fault == "redis":
        redis.kill()
        await asyncio.sleep(3)
        redis.start()
    elif fault == "postgres":
        await asyncio.to_thread(postgres.restart_immediately)
    elif fault == "s3":
        proxy.fail_for(8)
        await asyncio.sleep(8)
    elif fault == "worker":
        deployment.kill_worker()
        await asyncio.sleep(2)
        deployment.revive_worker()
    elif fault == "api":
        assert deployment.api is not None
        deployment.api.process.kill()
        deployment.api.process.wait()
        deployment.start_api()
        await wait_ready(deployment.base)
    else:
        raise ValueError(fault)


async def run_fault(
    fault: str,
    generations: int,
    deployment: Deployment,
    injector: Callable[[str], Awaitable[None]],
) -> Outcome:
    async with httpx.AsyncClient(base_url=deployment.base, timeout=30) as client:
        designer = await Designer.sign_up(client)
        exits_before = deployment.worker_exits
        submitted = time.monotonic()
        records = await designer.generate(generations)
        await asyncio.sleep(FAULT_AFTER_SECONDS)
        await injector(fault)
        fault_ended = time.monotonic()
        ended = await designer.wait_ended(records)
        balanced = await designer.balance_is_ledger()
    failed = [r for r in ended if any(r[stage] == "error" for stage in STAGES)]
    return Outcome(
        fault=fault,
        failed=len(failed),
        unfinished=generations - len(ended),
        worker_exits=deployment.worker_exits - exits_before,
        ended_after=max((r["ended_at"] for r in ended), default=fault_ended) - fault_ended,
        took=max((r["ended_at"] for r in ended), default=fault_ended) - submitted,
        wrong_refunds=sum(1 for r in ended if r["refunded"] and r["designs"]),
        balanced=balanced,
    )


def print_table(outcomes: list[Outcome], generations: int) -> None:
    baseline = next((o.took for o in outcomes if o.fault == "none"), None)
    print()
    print(
        f"| fault | records failed | worker exits | all {generations} ended after the fault's "
        "end | delay over no fault | refunds with designs | balance = ledger |"
    )
    print("|---|---|---|---|---|---|---|")
    for o in outcomes:
        delay = "" if baseline is None or o.fault == "none" else f"{o.took - baseline:+.1f} s"
        ended = f"{o.ended_after:.1f} s" + (f" ({o.unfinished} never)" if o.unfinished else "")
        print(
            f"| {o.fault} | {o.failed} of {generations} | {o.worker_exits} | {ended} | {delay} | "
            f"{o.wrong_refunds} | {'yes' if o.balanced else 'NO'} |"
        )


@contextlib.contextmanager
def services(root: Path) -> Iterator[tuple[Postgres, RedisServer, MotoS3]]:
    postgres, redis = Postgres(root), RedisServer(root)
    try:
        postgres.start()
        redis.start()
        with running_moto_s3(root / "logs" / "moto.log") as moto:
            yield postgres, redis, moto
    finally:
        redis.stop()
        postgres.stop()


@contextlib.asynccontextmanager
async def deployed(
    root: Path, postgres: Postgres, redis: RedisServer, proxy: FailingProxy, moto: MotoS3
) -> AsyncIterator[Deployment]:
    bucket = moto.create_bucket(f"lm-faults-{uuid.uuid4().hex[:8]}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update({f"LAYERMINDER_{k.upper()}": str(v) for k, v in moto.settings(bucket).items()})
    env.update(
        LAYERMINDER_S3_ENDPOINT_URL=proxy.url,
        LAYERMINDER_DATABASE_URL=postgres.url,
        LAYERMINDER_REDIS_URL=redis.url,
        LAYERMINDER_DATA_DIR=str(root / "data"),
        LAYERMINDER_WEB_DIR=str(root / "no-web"),
        LAYERMINDER_RATE_LIMITS_ENABLED="false",
        LAYERMINDER_SIGNUP_CREDITS="1000",
        LAYERMINDER_JWT_SECRET=uuid.uuid4().hex * 2,
    )
    deployment = Deployment(root, env, free_port())
    deployment.start_api()
    try:
        await wait_ready(deployment.base)
        deployment.start_worker()
        supervisor = asyncio.create_task(deployment.supervise())
        try:
            yield deployment
        finally:
            supervisor.cancel()
    finally:
        deployment.stop()


async def bench(args: argparse.Namespace) -> list[Outcome]:
    root = Path(tempfile.mkdtemp(prefix="lm-faults-"))
    root.joinpath("logs").mkdir()
    if os.geteuid() == 0:
        os.chmod(root, 0o755)
    print(f"services and logs in {root}")
    outcomes = []
    with services(root) as (postgres, redis, moto):
        async with (
            failing_proxy(moto.endpoint_url) as proxy,
            deployed(root, postgres, redis, proxy, moto) as deployment,
        ):

            async def injector(fault: str) -> None:
                await inject(fault, deployment, postgres, redis, proxy)

            for fault in args.faults:
                print(
                    f"{fault}: {args.generations} generations, the fault after "
                    f"{FAULT_AFTER_SECONDS} s (load {load()})"
                )
                outcome = await run_fault(fault, args.generations, deployment, injector)
                print(f"  {outcome}")
                outcomes.append(outcome)
    if all(o.lost_nothing for o in outcomes):
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"logs kept in {root / 'logs'}")
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generations", type=int, default=8)
    parser.add_argument(
        "--faults",
        type=lambda value: value.split(","),
        default=list(FAULTS),
        help="comma-separated",
    )
    args = parser.parse_args()
    unknown = set(args.faults) - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    outcomes = asyncio.run(bench(args))
    print_table(outcomes, args.generations)


if __name__ == "__main__":
    main()
