"""A scaled deployment for the tests that run one: API replicas and `layerminder worker`
processes, started through the CLI, sharing one environment (database, Redis prefix, token
secret...)."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.integration.workers import LiveWorker, start_worker
from tests.live import LiveServer, start_server


class Deployment:
    """The processes of one deployment, each with its log under `root`; `stop` stops every
    process still running. Processes may be started from several threads at once: each start
    takes its own name (api-1, api-2, worker-1...) and so its own log."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env
        self.apis: list[LiveServer] = []
        self.workers: list[LiveWorker] = []
        self._lock = threading.Lock()
        self._started = {"api": 0, "worker": 0}

    def configure(self, **settings: object) -> None:
        """Settings for the processes started from now on (`job_lease_seconds=3`...)."""
        self.env.update({f"LAYERMINDER_{k.upper()}": str(v) for k, v in settings.items()})

    def api(self) -> LiveServer:
        """Another API replica. Only the first seeds the reference library: start it before
        the others, so they never race to seed it."""
        number = self._next("api")
        seed = "true" if number == 1 else "false"
        server = start_server(
            {**self.env, "LAYERMINDER_SEED_LIBRARY": seed}, self.log(f"api-{number}")
        )
        self.apis.append(server)
        return server

    def worker(self, concurrency: int = 1, shutdown_timeout: float = 5) -> LiveWorker:
        number = self._next("worker")
        worker = start_worker(
            self.env,
            self.log(f"worker-{number}"),
            concurrency=concurrency,
            shutdown_timeout=shutdown_timeout,
        )
        self.workers.append(worker)
        return worker

    def _next(self, kind: str) -> int:
        with self._lock:
            self._started[kind] += 1
            return self._started[kind]

    def log(self, name: str) -> Path:
        return self.root / f"{name}.log"

    def tail(self, lines: int = 40) -> str:
        """The end of every log under `root`, for a failure message."""
        parts = []
        for path in sorted(self.root.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name} ---\n" + "\n".join(text))
        return "\n".join(parts)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop(kill=True)
        for api in self.apis:
            api.stop()
