"""A real LayerMinder server process on a free port, started through the CLI entry point."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import aconnect_sse

REPO_ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "layerminder")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(data_dir: Path, database_url: str, **settings: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update(
        {
            "LAYERMINDER_DATA_DIR": str(data_dir),
            "LAYERMINDER_DATABASE_URL": database_url,
            "LAYERMINDER_WEB_DIR": str(data_dir / "no-web"),
            "LAYERMINDER_SEED_LIBRARY": "false",
            "LAYERMINDER_SSE_HEARTBEAT_SECONDS": "1",
            # Tests sign up many accounts from one address; the limit tests turn limits on.
            "LAYERMINDER_RATE_LIMITS_ENABLED": "false",
            # One CPU worker process rather than one per CPU: the work still crosses a process
            # (tests/test_offload.py tests the pool itself), and each server start spawns, and
            # imports the renderers and embedder into, one interpreter less.
            "LAYERMINDER_CPU_WORKERS": "1",
            # So a server can load test providers given as module:Class.
            "PYTHONPATH": str(REPO_ROOT),
        }
    )
    env.update({f"LAYERMINDER_{k.upper()}": str(v) for k, v in settings.items()})
    return env


@dataclass
class LiveServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base_url, timeout=60, **kwargs)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, *, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(env: dict[str, str], log_path: Path, timeout: float = 180) -> LiveServer:
    port = free_port()
    log = log_path.open("ab")
    process = subprocess.Popen(
        [CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO_ROOT,
    )
    server = LiveServer(process, f"http://127.0.0.1:{port}", log_path, env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop(kill=True)
    raise RuntimeError(f"server did not become ready in {timeout}s:\n{server.log()}")


@dataclass
class Event:
    id: str
    event: str
    data: dict[str, Any] | None


async def read_stream(
    client: httpx.AsyncClient,
    record_id: str,
    token: str,
    *,
    use_header: bool = False,
    until_closed: bool = False,
) -> AsyncIterator[Event]:
    """A real SSE client: yields every event until `end`.

    By default it connects as the studio's EventSource does, with a stream ticket in the URL;
    `use_header` sends the bearer token instead. `until_closed` reads on after `end` until the
    server closes the response (so a stream left open after `end` never returns).
    """
    url = f"/api/v1/records/{record_id}/stream"
    if use_header:
        kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {token}"}}
    else:
        issued = await client.post(f"{url}-ticket", headers={"Authorization": f"Bearer {token}"})
        issued.raise_for_status()
        kwargs = {"params": {"ticket": issued.json()["ticket"]}}
    async with aconnect_sse(client, "GET", url, **kwargs) as source:
        source.response.raise_for_status()
        async for sse in source.aiter_sse():
            if not sse.data and sse.event in ("", "message"):
                # A heartbeat comment: httpx-sse reports one as an empty event once an id was seen.
                continue
            yield Event(sse.id, sse.event, json.loads(sse.data) if sse.data else None)
            if sse.event == "end" and not until_closed:
                return


async def events_until_end(
    client: httpx.AsyncClient, record_id: str, token: str, **kwargs: Any
) -> list[Event]:
    return [event async for event in read_stream(client, record_id, token, **kwargs)]
