"""Scale-out throughput: records/minute for 1, 2 and 4 worker processes; API latency under load.

Real processes, as deployed: one `layerminder serve` and N `layerminder worker` (each running
`--concurrency` jobs) on PostgreSQL and Redis on this machine, local providers, one storage
folder shared by every process. A fresh database and Redis prefix per run, removed at the end.

1. Throughput: `--records` generations are submitted at once; the clock runs from the first
   submit until every record has ended. Repeated for 1, 2 and 4 worker processes.
2. Latency: with no worker running (so the figures are the API's own, not the API fighting the
   renderers for CPU), `--clients` concurrent clients each send `--requests` POST /generate and
   GET /records/{id} on loopback; p50 and p99 of each.

    uv run python bench/throughput.py [--records 24] [--clients 50] [--requests 10]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import redis.asyncio as redis
from PIL import Image
from sqlalchemy import text
from sqlalchemy.engine import make_url

from layerminder.config import Settings
from layerminder.db.session import create_engine

CLI = str(Path(sys.executable).parent / "layerminder")
POSTGRES_URL = os.environ.get(
    "LAYERMINDER_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("LAYERMINDER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DONE = "('ready', 'error')"
User = tuple[dict[str, str], str, list[str]]  # auth headers, room id, uploaded image ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def jpeg(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (320, 240), colour)
    for x in range(0, 320, 16):
        image.paste((255, 255, 255), (x, 0, x + 4, 240))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Processes:
    """The processes this run started; all stopped at the end, whatever happens."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.started: list[subprocess.Popen[bytes]] = []

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("ab")
        process = subprocess.Popen([CLI, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.started.append(process)
        return process

    def api(self) -> str:
        port = free_port()
        process = self._spawn(
            "api", ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the API exited: see {self.root / 'api.log'}")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("the API did not become ready in 120 s")

    def workers(self, count: int, concurrency: int) -> list[subprocess.Popen[bytes]]:
        started = []
        for n in range(count):
            name = f"worker-{len(self.started)}-{n}"
            started.append(self._spawn(name, ["worker", "--concurrency", str(concurrency)]))
            log = self.root / f"{name}.log"
            deadline = time.monotonic() + 120
            while "listening on" not in log.read_text(errors="replace"):
                if time.monotonic() > deadline or started[-1].poll() is not None:
                    raise SystemExit(f"a worker did not start: see {log}")
                time.sleep(0.1)
        return started

    @staticmethod
    def stop(processes: list[subprocess.Popen[bytes]]) -> None:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        self.stop(self.started)


async def make_user(
    client: httpx.AsyncClient, images: int = 1
) -> tuple[dict[str, str], str, list[str]]:
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    response = await client.post(
        "/api/v1/auth/signup", json={"email": email, "password": "correct horse"}
    )
    response.raise_for_status()
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    room = await client.post("/api/v1/layerroom", json={"name": "Bench"}, headers=headers)
    room.raise_for_status()
    room_id = room.json()["id"]
    image_ids = []
    for n in range(images):
        upload = await client.post(
            f"/api/v1/layerroom/{room_id}/images",
            files={"file": ("ref.jpg", jpeg((60 + 50 * n, 120, 200 - 40 * n)), "image/jpeg")},
            headers=headers,
        )
        upload.raise_for_status()
        image_ids.append(upload.json()["id"])
    return headers, room_id, image_ids


async def generate(client: httpx.AsyncClient, user: User, keyword: str) -> httpx.Response:
    headers, room_id, image_ids = user
    return await client.post(
        "/api/v1/generate",
        json={"session_id": room_id, "input_image_ids": image_ids, "keyword": keyword},
        headers=headers,
    )


async def throughput(
    base: str, processes: Processes, database_url: str, workers: int, concurrency: int, records: int
) -> float:
    """Records per minute with `workers` worker processes."""
    engine = create_engine(Settings(_env_file=None, database_url=database_url))
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        users = [await make_user(client, images=2) for _ in range(4)]
        started_workers = processes.workers(workers, concurrency)
        try:
            started = time.perf_counter()
            responses = await asyncio.gather(
                *(generate(client, users[n % 4], f"kw{n}") for n in range(records))
            )
            ids = [r.json()["record_id"] for r in responses]
            in_list = ", ".join(f"'{i}'" for i in ids)
            while True:
                async with engine.connect() as conn:
                    done = await conn.scalar(
                        text(
                            f"SELECT count(*) FROM records WHERE id IN ({in_list}) "
                            f"AND image_status IN {DONE} AND story_status IN {DONE} "
                            f"AND keywords_status IN {DONE} "
                            f"AND recommendation_status IN {DONE}"
                        )
                    )
                if done == records:
                    break
                await asyncio.sleep(0.1)
            elapsed = time.perf_counter() - started
        finally:
            processes.stop(started_workers)
            await engine.dispose()
    return records / elapsed * 60


async def latency(base: str, clients: int, requests: int) -> dict[str, list[float]]:
    """Seconds per POST /generate and GET /records/{id}, `clients` at once."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timings: dict[str, list[float]] = {"POST /generate": [], "GET /records/{id}": []}
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        users = await asyncio.gather(*(make_user(client) for _ in range(clients)))

        async def _client(user: User) -> None:
            for n in range(requests):
                started = time.perf_counter()
                response = await generate(client, user, f"load{n}")
                timings["POST /generate"].append(time.perf_counter() - started)
                assert response.status_code == 202, response.text
                record_id = response.json()["record_id"]
                started = time.perf_counter()
                record = await client.get(f"/api/v1/records/{record_id}", headers=user[0])
                timings["GET /records/{id}"].append(time.perf_counter() - started)
                assert record.status_code == 200, record.text

        await asyncio.gather(*(_client(user) for user in users))
    return timings


async def _admin(sql: str) -> None:
    engine = create_engine(Settings(_env_file=None, database_url=POSTGRES_URL))
    async with engine.connect() as conn:
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text(sql))
    await engine.dispose()


async def _forget_prefix(prefix: str) -> None:
    client = redis.from_url(REDIS_URL)
    keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=24, help="generations per worker count")
    parser.add_argument("--workers", default="1,2,4", help="worker process counts to try")
    parser.add_argument("--concurrency", type=int, default=2, help="jobs per worker process")
    parser.add_argument("--clients", type=int, default=50, help="concurrent API clients")
    parser.add_argument("--requests", type=int, default=10, help="requests of each kind per client")
    args = parser.parse_args()

    name = f"layerminder_bench_{uuid.uuid4().hex[:8]}"
    database_url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    prefix = f"lmbench-{uuid.uuid4().hex[:8]}"
    root = Path(tempfile.mkdtemp(prefix="lm-throughput-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update(
        {
            "LAYERMINDER_DATA_DIR": str(root / "data"),
            "LAYERMINDER_DATABASE_URL": database_url,
            "LAYERMINDER_REDIS_URL": REDIS_URL,
            "LAYERMINDER_REDIS_PREFIX": prefix,
            "LAYERMINDER_JWT_SECRET": secrets.token_urlsafe(48),
            "LAYERMINDER_WEB_DIR": str(root / "no-web"),
            "LAYERMINDER_SEED_LIBRARY": "true",
            # Load, not abuse: the bench signs up many users and sends bursts from one address.
            "LAYERMINDER_RATE_LIMITS_ENABLED": "false",
            "LAYERMINDER_SIGNUP_CREDITS": "100000",
        }
    )
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"CPUs available: {cpus} (os.cpu_count() = {os.cpu_count()})")
    print(f"PostgreSQL {make_url(POSTGRES_URL).host}, Redis {REDIS_URL}, logs in {root}")

    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    processes = Processes(root, env)
    rates: list[tuple[int, float]] = []
    try:
        base = processes.api()  # migrates and seeds the reference library
        for count in (int(c) for c in args.workers.split(",")):
            rate = asyncio.run(
                throughput(base, processes, database_url, count, args.concurrency, args.records)
            )
            rates.append((count, rate))
            print(f"  {count} worker(s): {rate:6.1f} records/min")
        timings = asyncio.run(latency(base, args.clients, args.requests))
    finally:
        processes.stop_all()
        asyncio.run(_forget_prefix(prefix))
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    print()
    print(
        f"Throughput: {args.records} records per run, local providers, "
        f"{args.concurrency} jobs per worker process, {cpus} CPUs"
    )
    print(f"  {'workers':>8}  {'records/min':>12}  {'vs 1 worker':>12}")
    for count, rate in rates:
        print(f"  {count:>8}  {rate:>12.1f}  {rate / rates[0][1]:>11.2f}x")
    print()
    total = args.clients * args.requests
    print(
        f"API latency: {args.clients} concurrent clients, {total} requests of each kind, "
        "one API process, no worker running"
    )
    print(f"  {'request':<20}  {'p50 ms':>8}  {'p99 ms':>8}  {'mean ms':>8}")
    for label, values in timings.items():
        ms = [v * 1000 for v in values]
        print(
            f"  {label:<20}  {percentile(ms, 0.5):>8.1f}  {percentile(ms, 0.99):>8.1f}  "
            f"{statistics.fmean(ms):>8.1f}"
        )


if __name__ == "__main__":
    main()
