"""API latency under open-loop load: quiet, and while the room being read renders.

A real `layerminder serve` (offline providers, the starter library) is driven from this process
over loopback: on the embedded default (SQLite, local folder, in-process jobs), or with
`--scaled` on PostgreSQL and Redis with a separate `layerminder worker` (a database of its own
on 127.0.0.1:5432 and a Redis key prefix of its own, both removed afterwards). Requests are sent
on a fixed schedule whether or not earlier ones returned (open loop), each latency measured from
the moment its request was due, so a stalled server shows up as the queue it builds. The reads
go over raw kept-alive sockets with prepared request bytes: an HTTP client library's own CPU
on a 2-core machine would cost as much as the server and distort the figure.

1. reads: GET /auth/me, /records/{id}, /layerroom, a history page (/sessions/{room}/records)
   and /healthz (the in-run baseline: no database, no auth) in turn at `--rate` requests/s for
   `--duration` s: quiet; then while `--generations` generations render in the designer's room,
   reading that **rendering room's** history (the case designers live in) and then a quiet
   room's, side by side;
2. the rendering room's history page one request at a time while its records render, and again
   once they have ended (the ratio is the figure: target <= 1.2);
3. drain: how long `--generations` generations take from submit to the last one's end, with no
   other load (records/min);
4. history: a page of 50 records from rooms of 10, 100 and 1,000 records, one request at a time
   (the first, which builds the page's record views, apart);
5. POST /generate at `--post-rate` requests/s.

Each phase prints the machine's load average as it starts: on a shared machine compare the
healthz baseline and the ratios, not absolute numbers. `--src DIR` (repeatable) runs the same
bench against another checkout's `src` (e.g. a `git worktree` of the commit before a change),
with this environment's packages, so before and after are measured in one run.

    uv run python bench/api_load.py [--scaled] [--rate 200] [--duration 10] [--generations 12] \
        [--post-rate 20] [--image-previews N] [--src ../before/src]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import functools
import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from PIL import Image, ImageDraw

HISTORY_SIZES = (10, 100, 1000)
READS = ("me", "record", "rooms", "history", "healthz")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def jpeg(colour: tuple[int, int, int], seed: int) -> bytes:
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = (seed * 37 + i * 53) % 600
        draw.rectangle([x, 40 + i * 30, x + 40, 60 + i * 30], fill=(i * 20, 90, 200 - i * 10))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class Process:
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def tracebacks(self) -> str:
        text = self.log.read_text(errors="replace")
        return text[-3000:] if "Traceback" in text else ""


def spawn(command: list[str], env: dict[str, str], log: Path) -> Process:
    process = subprocess.Popen(
        [sys.executable, "-c", "from layerminder.cli.main import app; app()", *command],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return Process(process, log)


@dataclass
class Server:
    """The API (and, scaled, one worker) with what they run on."""

    api: Process
    base: str
    port: int
    data: Path
    database: str  # a SQLite file, or a PostgreSQL URL for asyncpg
    worker: Process | None = None
    redis_prefix: str | None = None

    def stop(self) -> None:
        for process in (self.api, self.worker):
            if process is not None:
                process.stop()
                if trace := process.tracebacks():
                    print(trace)
        if self.redis_prefix is not None:
            drop_redis_keys(self.redis_prefix)
        if self.database.startswith("postgresql"):
            blocking(postgres_admin(f'DROP DATABASE IF EXISTS "{self.database.rsplit("/", 1)[1]}"'))


def blocking(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to the end from code that may itself be inside an event loop (the
    bench's set-up steps are plain functions called from async code)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, work).result()


async def postgres_admin(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def drop_redis_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def start_server(
    src: Path | None, root: Path, image_previews: int | None = None, *, scaled: bool = False
) -> Server:
    data = root / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update(
        LAYERMINDER_DATA_DIR=str(data),
        LAYERMINDER_WEB_DIR=str(root / "no-web"),
        # Load, not abuse: the bench is one user sending hundreds of requests a second.
        LAYERMINDER_RATE_LIMITS_ENABLED="false",
        LAYERMINDER_SIGNUP_CREDITS="100000",
        # Every process signs and checks the same tokens and image URLs.
        LAYERMINDER_JWT_SECRET=uuid.uuid4().hex * 2,
    )
    database = str(data / "layerminder.db")
    prefix = None
    if scaled:
        name = f"lm_bench_{uuid.uuid4().hex[:10]}"
        blocking(postgres_admin(f'CREATE DATABASE "{name}"'))
        database = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        prefix = f"lm-bench-{uuid.uuid4().hex[:8]}"
        env.update(
            LAYERMINDER_DATABASE_URL=database.replace("postgresql://", "postgresql+asyncpg://"),
            LAYERMINDER_REDIS_URL=REDIS_URL,
            LAYERMINDER_REDIS_PREFIX=prefix,
        )
    if image_previews is not None:
        env["LAYERMINDER_IMAGE_PREVIEWS"] = str(image_previews)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
    root.joinpath("logs").mkdir(exist_ok=True)
    api = spawn(
        ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env,
        root / "logs" / "api.log",
    )
    server = Server(api, f"http://127.0.0.1:{port}", port, data, database, None, prefix)
    try:
        wait_ready(server)
        if scaled:
            # Started once the API has migrated and seeded the library; one worker, the default
            # two slots, as the scaled deployment runs.
            worker_env = dict(env, LAYERMINDER_SEED_LIBRARY="false")
            server.worker = spawn(["worker"], worker_env, root / "logs" / "worker.log")
    except BaseException:
        server.stop()
        raise
    return server


def wait_ready(server: Server) -> None:
    import urllib.request

    deadline = time.monotonic() + 600  # the first start renders the starter library
    while time.monotonic() < deadline:
        if server.api.process.poll() is not None:
            raise RuntimeError(f"server exited:\n{server.api.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.base}/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("server did not become ready")


class RawClient:
    """HTTP/1.1 GETs over kept-alive sockets, with the request bytes prepared once: the load
    generator must cost far less CPU than the server it measures (aiohttp's client cost about
    as much per request as the server's reply on 2 cores)."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    @staticmethod
    def prepare(path: str, headers: dict[str, str]) -> bytes:
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def send(self, request: bytes) -> tuple[int, bytes]:
        while self._idle:
            # A kept-alive connection the server closed while it was idle fails before a byte
            # of its answer: send again on a fresh one, as an HTTP client library does.
            try:
                return await self._exchange(*self._idle.pop(), request)
            except ConnectionError:
                continue
        return await self._exchange(
            *await asyncio.open_connection("127.0.0.1", self._port), request
        )

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> tuple[int, bytes]:
        try:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            writer.close()
            raise ConnectionError("the server closed or broke the connection") from None
        self._idle.append((reader, writer))
        return status, body

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()


@dataclass
class Studio:
    http: aiohttp.ClientSession
    base: str
    headers: dict[str, str] = field(default_factory=dict)
    room: str = ""
    images: list[str] = field(default_factory=list)
    record: str = ""
    history_rooms: dict[int, str] = field(default_factory=dict)

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        kwargs.setdefault("headers", self.headers)
        for attempt in range(3):
            try:
                async with self.http.request(method, self.base + path, **kwargs) as response:
                    body = await response.read()
                    return response.status, body
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                # A kept-alive connection the server closed as it was reused, or one reset while
                # an overloaded server's accept backlog was full: send it again (a POST carries
                # an Idempotency-Key, so a repeat is safe).
                if attempt == 2:
                    raise
                await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        import json

        status, body = await self.call(method, path, **kwargs)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {body[:300]!r}")
        return json.loads(body) if body else None

    async def generate(self, key: str) -> str:
        body = {"session_id": self.room, "input_image_ids": self.images, "keyword": "oak"}
        created = await self.json(
            "POST",
            "/api/v1/generate",
            json=body,
            headers={**self.headers, "Idempotency-Key": key},
        )
        return str(created["record_id"])

    async def wait_done(self, record_ids: list[str], timeout: float = 900) -> float:
        deadline = time.monotonic() + timeout
        pending = set(record_ids)
        while pending and time.monotonic() < deadline:
            for record_id in list(pending):
                record = await self.json("GET", f"/api/v1/records/{record_id}")
                if record["done"]:
                    pending.discard(record_id)
            if pending:
                await asyncio.sleep(0.25)
        if pending:
            raise RuntimeError(f"{len(pending)} generations did not finish")
        return time.monotonic()


async def set_up(studio: Studio, database: str) -> None:
    signup = await studio.json(
        "POST",
        "/api/v1/auth/signup",
        json={"email": f"bench-{uuid.uuid4().hex[:8]}@studio.io", "password": "bench password"},
    )
    studio.headers = {"Authorization": f"Bearer {signup['access_token']}"}
    studio.room = (await studio.json("POST", "/api/v1/layerroom", json={"name": "bench"}))["id"]
    for i, colour in enumerate([(170, 120, 70), (60, 90, 140)]):
        form = aiohttp.FormData()
        form.add_field("file", jpeg(colour, i), filename=f"ref{i}.jpg", content_type="image/jpeg")
        image = await studio.json("POST", f"/api/v1/layerroom/{studio.room}/images", data=form)
        studio.images.append(image["id"])
    studio.record = await studio.generate("setup")
    await studio.wait_done([studio.record])
    for size in HISTORY_SIZES:
        room = await studio.json("POST", "/api/v1/layerroom", json={"name": f"history {size}"})
        studio.history_rooms[size] = room["id"]
        clone_records(database, studio.record, room["id"], size)


def clone_records(database: str, record_id: str, room_id: str, count: int) -> None:
    """`count` copies of a finished record (designs and recommendations shared) in a room.

    Made in the database: generating 1,000 records through the API would take half an hour."""
    if database.startswith("postgresql"):
        blocking(_clone_postgres(database, record_id, room_id, count))
        return
    connection = sqlite3.connect(database, timeout=60)
    connection.row_factory = sqlite3.Row
    with connection:
        hex_id = uuid.UUID(record_id).hex
        record = connection.execute("SELECT * FROM records WHERE id = ?", (hex_id,)).fetchone()
        links = {
            table: connection.execute(
                f"SELECT * FROM {table} WHERE record_id = ?", (hex_id,)
            ).fetchall()
            for table in ("record_images", "record_recommendations")
        }
        made = datetime.fromisoformat(record["created_at"])
        for i in range(count):
            new_id = uuid.uuid4().hex
            row = dict(record)
            # A minute apart, as a studio's records are: equal timestamps would make the page's
            # ORDER BY (created_at, id) sort the whole room on its tie-breaker.
            created = (made - timedelta(minutes=i + 1)).isoformat(sep=" ")
            row.update(
                id=new_id,
                room_id=uuid.UUID(room_id).hex,
                idempotency_key=None,
                created_at=created,
            )
            _insert(connection, "records", row)
            for table, rows in links.items():
                for link in rows:
                    copy = dict(link, record_id=new_id)
                    if "id" in copy:
                        copy["id"] = uuid.uuid4().hex
                    _insert(connection, table, copy)
    connection.close()


async def _clone_postgres(url: str, record_id: str, room_id: str, count: int) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            source = uuid.UUID(record_id)
            record = dict(await connection.fetchrow("SELECT * FROM records WHERE id = $1", source))
            links = {
                table: [
                    dict(row)
                    for row in await connection.fetch(
                        f"SELECT * FROM {table} WHERE record_id = $1", source
                    )
                ]
                for table in ("record_images", "record_recommendations")
            }
            for i in range(count):
                new_id = uuid.uuid4()
                row = dict(
                    record,
                    id=new_id,
                    room_id=uuid.UUID(room_id),
                    idempotency_key=None,
                    created_at=record["created_at"] - timedelta(minutes=i + 1),
                )
                await _insert_postgres(connection, "records", row)
                for table, rows in links.items():
                    for link in rows:
                        copy = dict(link, record_id=new_id)
                        if "id" in copy:
                            copy["id"] = uuid.uuid4()
                        await _insert_postgres(connection, table, copy)
    finally:
        await connection.close()


async def _insert_postgres(connection: Any, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join(f"${i + 1}" for i in range(len(row)))
    await connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", *row.values())


def _insert(connection: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


Request = Callable[[], Awaitable[tuple[int, Any]]]


async def open_loop(
    requests: dict[str, Request], rate: float, duration: float
) -> dict[str, list[float]]:
    """Send the requests in turn at `rate`/s for `duration` s; latency from when each was due."""
    names = list(requests)
    latencies: dict[str, list[float]] = {name: [] for name in names}
    errors: dict[str, int] = {}
    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter() + 0.05
    total = int(rate * duration)

    async def one(name: str, due: float) -> None:
        try:
            status, _ = await requests[name]()
        except (aiohttp.ClientError, ConnectionError):
            status = 599  # never answered: counted as an error, its wait as a latency
        latencies[name].append((time.perf_counter() - due) * 1000)
        if status >= 400:
            errors[name] = errors.get(name, 0) + 1

    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(names[i % len(names)], due)))
    await asyncio.gather(*tasks)
    if errors:
        print(f"  errors: {errors}")
    return latencies


def report(title: str, latencies: dict[str, list[float]]) -> dict[str, float]:
    print(f"\n{title}")
    print(f"  {'endpoint':<10} {'n':>6} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    everything: list[float] = []
    for name, values in latencies.items():
        everything += values if name != "healthz" else []
        print(
            f"  {name:<10} {len(values):>6} {pct(values, 0.5):>9.1f} {pct(values, 0.99):>9.1f}"
            f" {max(values, default=float('nan')):>9.1f}"
        )
    summary = {"p50": pct(everything, 0.5), "p99": pct(everything, 0.99)}
    print(
        f"  {'mix':<10} {len(everything):>6} {summary['p50']:>9.1f} {summary['p99']:>9.1f}"
        f" {max(everything, default=float('nan')):>9.1f}"
    )
    return summary


def reads_of(raw: RawClient, studio: Studio, history_room: str) -> dict[str, Request]:
    """The read mix a designer's page makes, with `history_room`'s first page as the history."""
    prepared = {
        "me": RawClient.prepare("/api/v1/auth/me", studio.headers),
        "record": RawClient.prepare(f"/api/v1/records/{studio.record}", studio.headers),
        "rooms": RawClient.prepare("/api/v1/layerroom", studio.headers),
        "history": RawClient.prepare(f"/api/v1/sessions/{history_room}/records", studio.headers),
        "healthz": RawClient.prepare("/healthz", {}),
    }
    return {name: functools.partial(raw.send, request) for name, request in prepared.items()}


async def page_times(studio: Studio, rooms: list[str], requests: int) -> list[list[float]]:
    """Each room's first history page (the studio's default), one request at a time, the rooms
    in turn so each sees the same machine, in ms."""
    times: list[list[float]] = [[] for _ in rooms]
    for _ in range(requests):
        for room, own in zip(rooms, times, strict=True):
            t = time.perf_counter()
            status, _ = await studio.call("GET", f"/api/v1/sessions/{room}/records")
            own.append((time.perf_counter() - t) * 1000)
            assert status == 200, status
    return times


class KeepRendering:
    """Keeps `count` of the room's records unfinished: a record is submitted whenever one
    ends, so every figure taken inside is taken while the room renders (12 records of the
    offline designer otherwise end within seconds of each other on a fast machine).

    One read of the room's page every 0.25 s counts them, through the bench's own client."""

    def __init__(self, studio: Studio, count: int, name: str) -> None:
        self.studio, self.count, self.name = studio, count, name
        self.ids: list[str] = []
        self.samples: list[int] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> KeepRendering:
        await self._top_up(0)
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _top_up(self, running: int) -> None:
        made = await asyncio.gather(
            *(
                self.studio.generate(f"{self.name}-{len(self.ids) + i}")
                for i in range(self.count - running)
            )
        )
        self.ids += made

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(0.25)
            page = await self.studio.json(
                "GET", f"/api/v1/sessions/{self.studio.room}/records?limit=50"
            )
            running = sum(not record["done"] for record in page["items"])
            self.samples.append(running)
            if running < self.count:
                await self._top_up(running)

    def rendering(self) -> str:
        samples, self.samples = self.samples, []
        if not samples:
            return "no samples"
        return f"{min(samples)}-{max(samples)} of the room's records rendering"


async def bench(src: Path | None, args: argparse.Namespace) -> dict[str, float]:
    figures: dict[str, float] = {}
    deployment = "scaled: PostgreSQL + Redis + 1 worker" if args.scaled else "embedded default"
    with tempfile.TemporaryDirectory(prefix="lm-api-load-") as tmp:
        root = Path(tmp)
        print(f"\n=== {deployment}, server from {src or 'this checkout'} (load {load()}) ===")
        server = start_server(src, root, args.image_previews, scaled=args.scaled)
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=120)
        raw = RawClient(server.port)
        try:
            async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
                studio = Studio(http, server.base)
                await set_up(studio, server.database)
                quiet_room = studio.history_rooms[HISTORY_SIZES[0]]
                rendering_reads = reads_of(raw, studio, studio.room)
                quiet_reads = reads_of(raw, studio, quiet_room)
                for _ in range(3):  # warm up connections and caches
                    await asyncio.gather(*(request() for request in quiet_reads.values()))
                    await rendering_reads["history"]()

                print(f"\nload average {load()}")
                quiet = report(
                    f"reads at {args.rate:g}/s, quiet (history of a room of 10)",
                    await open_loop(quiet_reads, args.rate, args.duration),
                )
                figures.update({"quiet p50": quiet["p50"], "quiet p99": quiet["p99"]})

                print(f"\nload average {load()}")
                started = time.monotonic()
                async with KeepRendering(studio, args.generations, "busy") as busy_room:
                    # The page one request at a time while the room renders: its records'
                    # views change with every preview, so this is the page its designer reads.
                    await asyncio.sleep(1)
                    rendering_page, quiet_page = await page_times(
                        studio, [studio.room, quiet_room], args.history_requests
                    )
                    print(
                        "\nthe rendering room's page, one request at a time"
                        f" ({busy_room.rendering()}): p50 {pct(rendering_page, 0.5):.1f} ms"
                        f" (a quiet room's, in turn with it: {pct(quiet_page, 0.5):.1f} ms)"
                    )
                    busy = report(
                        f"reads at {args.rate:g}/s while {args.generations} generations render,"
                        " history of the rendering room",
                        await open_loop(rendering_reads, args.rate, args.duration),
                    )
                    print(f"  ({busy_room.rendering()})")
                    aside = report(
                        f"reads at {args.rate:g}/s while they render, history of a quiet room",
                        await open_loop(quiet_reads, args.rate, args.duration),
                    )
                    print(f"  ({busy_room.rendering()})")
                figures.update(
                    {
                        "rendering room p50": busy["p50"],
                        "rendering room p99": busy["p99"],
                        "quiet room p50": aside["p50"],
                        "quiet room p99": aside["p99"],
                    }
                )
                await studio.wait_done(busy_room.ids)
                print(
                    f"  ({len(busy_room.ids)} generations, all done"
                    f" {time.monotonic() - started:.1f} s after the first submit)"
                )
                ended_page, quiet_after = await page_times(
                    studio, [studio.room, quiet_room], args.history_requests
                )
                ratio = pct(rendering_page, 0.5) / pct(ended_page, 0.5)
                # The quiet room's page is the same while the others render and after: its
                # ratio is what the rendering itself costs the machine (2 cores), not the page.
                machine = pct(quiet_page, 0.5) / pct(quiet_after, 0.5)
                print(
                    f"\nthe same page once they ended: p50 {pct(ended_page, 0.5):.1f} ms;"
                    f" while rendering / ended = {ratio:.2f} (target <= 1.2); the quiet room's"
                    f" page {pct(quiet_after, 0.5):.1f} ms, while rendering / after ="
                    f" {machine:.2f} (the machine's share)"
                )
                figures.update(
                    {
                        "page rendering p50": pct(rendering_page, 0.5),
                        "page ended p50": pct(ended_page, 0.5),
                        "page ratio": ratio,
                        "quiet page ratio": machine,
                    }
                )

                print(f"\nload average {load()}")
                started = time.monotonic()
                ids = list(
                    await asyncio.gather(
                        *(studio.generate(f"drain-{i}") for i in range(args.generations))
                    )
                )
                ended = await studio.wait_done(ids)
                per_minute = args.generations / (ended - started) * 60
                print(
                    f"\ndrain: {args.generations} generations in {ended - started:.1f} s"
                    f" = {per_minute:.1f} records/min"
                )
                figures["drain records/min"] = per_minute

                print(f"\nload average {load()}")
                print("\nhistory page of 50 (one request at a time)")
                for size in HISTORY_SIZES:
                    room = studio.history_rooms[size]
                    times = []
                    for _ in range(args.history_requests):
                        t = time.perf_counter()
                        status, _ = await studio.call(
                            "GET", f"/api/v1/sessions/{room}/records?limit=50"
                        )
                        times.append((time.perf_counter() - t) * 1000)
                        assert status == 200, status
                    # The first request builds the page's record views (and pays the server's
                    # first-use costs); the rest reuse them, as a gallery refreshed does.
                    first, times = times[0], times[1:]
                    print(
                        f"  {size:>5} records: p50 {pct(times, 0.5):6.1f} ms"
                        f"  p99 {pct(times, 0.99):6.1f} ms  (first request {first:.1f} ms)"
                    )
                    figures[f"history {size} p50"] = pct(times, 0.5)

                print(f"\nload average {load()}")
                count = iter(range(10**9))
                posts: dict[str, Request] = {
                    "generate": lambda: studio.call(
                        "POST",
                        "/api/v1/generate",
                        json={
                            "session_id": studio.room,
                            "input_image_ids": studio.images,
                            "keyword": "oak",
                        },
                        headers={**studio.headers, "Idempotency-Key": f"post-{next(count)}"},
                    ),
                }
                posted = report(
                    f"POST /generate at {args.post_rate:g}/s",
                    await open_loop(posts, args.post_rate, args.post_duration),
                )
                figures.update({"generate p50": posted["p50"], "generate p99": posted["p99"]})
        finally:
            raw.close()
            server.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scaled",
        action="store_true",
        help="PostgreSQL (127.0.0.1:5432) + Redis (127.0.0.1:6379) + one `layerminder worker`",
    )
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--generations", type=int, default=12)
    parser.add_argument("--post-rate", type=float, default=20)
    parser.add_argument("--post-duration", type=float, default=5)
    parser.add_argument("--history-requests", type=int, default=100)
    parser.add_argument("--src", type=Path, action="append", default=[])
    parser.add_argument(
        "--image-previews",
        type=int,
        default=None,
        help="the server's LAYERMINDER_IMAGE_PREVIEWS (0: no live previews); default: its own",
    )
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    for src in [*args.src, None]:
        results[str(src or "this checkout")] = asyncio.run(bench(src, args))
    if len(results) > 1:
        print("\nsummary (ms; drain in records/min; page ratios: while rendering / ended)")
        names = list(results)
        print(f"  {'figure':<22}" + "".join(f" {n[-24:]:>26}" for n in names))
        for key in results[names[-1]]:
            row = "".join(f" {results[n].get(key, float('nan')):>26.1f}" for n in names)
            print(f"  {key:<22}{row}")


if __name__ == "__main__":
    main()
