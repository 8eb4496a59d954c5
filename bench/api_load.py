"""API latency under open-loop load, quiet and while generations render, on the embedded default.

A real `layerminder serve` (SQLite, local folder, in-process jobs, offline providers, the starter
library) is driven from this process over loopback. Requests are sent on a fixed schedule
whether or not earlier ones returned (open loop), and each latency is measured from the moment
its request was due, so a stalled server shows up as the queue it builds.

1. reads: GET /auth/me, /records/{id}, /layerroom, /sessions/{room}/records and /healthz (the
   in-run baseline: no database, no auth) in turn at `--rate` requests/s for `--duration` s,
   quiet and then while `--generations` generations render;
2. drain: how long `--generations` generations take from submit to the last one's end, with no
   other load (records/min);
3. history: a page of 50 records from rooms of 10, 100 and 1,000 records, one request at a time
   (the first, which builds the page's record views, apart);
4. POST /generate at `--post-rate` requests/s.

Each phase prints the machine's load average as it starts: on a shared machine compare the
healthz baseline and the ratios, not absolute numbers. `--src DIR` (repeatable) runs the same
bench against another checkout's `src` (e.g. a `git worktree` of the commit before a change),
with this environment's packages, so before and after are measured in one run.

    uv run python bench/api_load.py [--rate 200] [--duration 10] [--generations 12] \
        [--post-rate 20] [--image-previews N] [--src ../before/src]
"""

from __future__ import annotations

import argparse
import asyncio
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
from collections.abc import Awaitable, Callable
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


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    data: Path
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_server(src: Path | None, root: Path, image_previews: int | None = None) -> Server:
    data = root / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update(
        LAYERMINDER_DATA_DIR=str(data),
        LAYERMINDER_WEB_DIR=str(root / "no-web"),
        # Load, not abuse: the bench is one user sending hundreds of requests a second.
        LAYERMINDER_RATE_LIMITS_ENABLED="false",
        LAYERMINDER_SIGNUP_CREDITS="100000",
    )
    if image_previews is not None:
        env["LAYERMINDER_IMAGE_PREVIEWS"] = str(image_previews)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
    log = root / "server.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from layerminder.cli.main import app; app()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", data, log)
    deadline = time.monotonic() + 600  # the first start renders the starter library
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            import urllib.request

            with urllib.request.urlopen(f"{server.base}/readyz", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError("server did not become ready")


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


async def set_up(studio: Studio, data: Path) -> None:
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
        clone_records(data / "layerminder.db", studio.record, room["id"], size)


def clone_records(db: Path, record_id: str, room_id: str, count: int) -> None:
    """`count` copies of a finished record (designs and recommendations shared) in a room.

    Made in the database: generating 1,000 records through the API would take half an hour."""
    connection = sqlite3.connect(db, timeout=60)
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
        except aiohttp.ClientError:
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


async def bench(src: Path | None, args: argparse.Namespace) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="lm-api-load-") as tmp:
        root = Path(tmp)
        print(f"\n=== server from {src or 'this checkout'} (load {load()}) ===")
        server = start_server(src, root, args.image_previews)
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=120)
        try:
            async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
                studio = Studio(http, server.base)
                await set_up(studio, server.data)
                history = studio.history_rooms[HISTORY_SIZES[0]]
                reads: dict[str, Request] = {
                    "me": lambda: studio.call("GET", "/api/v1/auth/me"),
                    "record": lambda: studio.call("GET", f"/api/v1/records/{studio.record}"),
                    "rooms": lambda: studio.call("GET", "/api/v1/layerroom"),
                    "history": lambda: studio.call("GET", f"/api/v1/sessions/{history}/records"),
                    "healthz": lambda: studio.call("GET", "/healthz"),
                }
                for _ in range(3):  # warm up connections and caches
                    await asyncio.gather(*(request() for request in reads.values()))

                print(f"\nload average {load()}")
                quiet = report(
                    f"reads at {args.rate:g}/s, quiet",
                    await open_loop(reads, args.rate, args.duration),
                )
                figures.update({"quiet p50": quiet["p50"], "quiet p99": quiet["p99"]})

                print(f"\nload average {load()}")
                started = time.monotonic()
                ids = await asyncio.gather(
                    *(studio.generate(f"busy-{i}") for i in range(args.generations))
                )
                busy = report(
                    f"reads at {args.rate:g}/s while {args.generations} generations render",
                    await open_loop(reads, args.rate, args.duration),
                )
                states = [await studio.json("GET", f"/api/v1/records/{i}") for i in ids]
                still = sum(not state["done"] for state in states)
                print(f"  ({still} of {args.generations} still rendering when the reads ended)")
                figures.update({"busy p50": busy["p50"], "busy p99": busy["p99"]})
                await studio.wait_done(ids)
                print(f"  (all done {time.monotonic() - started:.1f} s after submit)")

                print(f"\nload average {load()}")
                started = time.monotonic()
                ids = await asyncio.gather(
                    *(studio.generate(f"drain-{i}") for i in range(args.generations))
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
            server.stop()
            if "Traceback" in server.log.read_text(errors="replace"):
                print(server.log.read_text(errors="replace")[-3000:])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
        print("\nsummary (ms; drain in records/min)")
        names = list(results)
        print(f"  {'figure':<22}" + "".join(f" {n[-24:]:>26}" for n in names))
        for key in results[names[-1]]:
            row = "".join(f" {results[n].get(key, float('nan')):>26.1f}" for n in names)
            print(f"  {key:<22}{row}")


if __name__ == "__main__":
    main()
