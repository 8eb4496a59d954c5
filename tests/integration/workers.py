"""A real `layerminder worker` process, started through the CLI entry point like a server."""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.live import CLI, REPO_ROOT


@dataclass
class LiveWorker:
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, *, kill: bool = False, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_worker(
    env: dict[str, str],
    log_path: Path,
    *,
    concurrency: int = 2,
    shutdown_timeout: float = 5,
    timeout: float = 180,
) -> LiveWorker:
    """Start a worker and wait until it listens on the queue."""
    log = log_path.open("ab")
    process = subprocess.Popen(
        [
            CLI,
            "worker",
            "--concurrency",
            str(concurrency),
            "--shutdown-timeout",
            str(shutdown_timeout),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO_ROOT,
    )
    worker = LiveWorker(process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited with {process.returncode}:\n{worker.log()}")
        if log_path.exists() and "listening on" in worker.log():
            return worker
        time.sleep(0.1)
    worker.stop(kill=True)
    raise RuntimeError(f"worker did not start listening in {timeout}s:\n{worker.log()}")
