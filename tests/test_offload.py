"""CPU-bound work runs in worker processes (never on the API's GIL), at a lower priority."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from layerminder import offload
from layerminder.providers.local.designs import render_designs
from tests.helpers import make_image


@pytest.fixture
def workers() -> Iterator[None]:
    yield
    offload.configure(None)


async def test_work_runs_in_a_lower_priority_process(workers: None) -> None:
    offload.configure(None)
    assert await offload.run(os.getpid) != os.getpid()
    assert await offload.run(os.nice, 0) >= min(19, os.nice(0) + offload.WORKER_NICENESS)
    # A real render crosses the process boundary: arguments and results are pickled.
    designs = await offload.run(render_designs, [make_image()], "oak", 1)
    assert len(designs) == 1 and designs[0][:2] == b"\xff\xd8"


async def test_zero_workers_keeps_it_in_threads(workers: None) -> None:
    offload.configure(0)
    assert await offload.run(os.getpid) == os.getpid()


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_workers_end_with_a_killed_parent() -> None:
    """A server killed outright (OOM killer, SIGKILL) leaves no worker waiting forever."""
    script = (
        "import asyncio, os, sys, time\n"
        "from layerminder import offload\n"
        "print(asyncio.run(offload.run(os.getpid)), flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    assert worker != parent.pid and _alive(worker)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


_WARM_UP = """
import asyncio, os, sys, time
from pathlib import Path
from layerminder import offload
from tests.offload_probe import loaded

def children():  # worker processes (not the resource tracker, also a child)
    pids = [
        pid
        for task in Path(f"/proc/{os.getpid()}/task").iterdir()
        for pid in Path(task, "children").read_text().split()
    ]
    return sum(b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in pids)

offload.configure(2)
warm = sys.argv[1] == "warm"
if warm:
    offload.warm_up(["layerminder.providers.local"])
# A process just started may not show in /proc as a worker yet: look for a while (a cold pool
# must still have none after its shorter wait).
deadline = time.monotonic() + (30 if warm else 2)
while children() < 2 and time.monotonic() < deadline:
    time.sleep(0.05)
print(children(), flush=True)

async def main():
    return [await offload.run(loaded, "layerminder.providers.local") for _ in range(4)]

print(asyncio.run(main()), flush=True)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="counts child processes in /proc")
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_warm_up_starts_every_worker_with_its_modules(mode: str) -> None:
    """A warmed-up pool has all its workers before any work, each with the renderer loaded;
    a cold one starts them as work arrives, with nothing loaded."""
    out = subprocess.run(
        [sys.executable, "-c", _WARM_UP, mode],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    if mode == "warm":
        assert out == ["2", str([True] * 4)]
    else:
        assert out == ["0", str([False] * 4)]
