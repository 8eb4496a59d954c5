"""CPU-bound work (rendering, decoding, validating, embedding) in worker processes.

A thread still holds the API process's GIL for most of a render or an image decode, so while
designs rendered the event loop waited its turn and every read queued behind it (p99 3 s at
50 req/s). In a process of its own the work never touches the API's GIL, and the workers run at
a lower priority, so when the cores are contended the event loop is scheduled first.

`run(fn, *args)` needs a module-level function and picklable arguments (bytes, dataclasses).
`configure(0)` (LAYERMINDER_CPU_WORKERS=0) keeps the work in threads instead, e.g. where
processes cannot be started.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# How much a worker process yields to the API process when both want a core (nice 10: about
# a tenth of the CPU share of a nice-0 process).
WORKER_NICENESS = 10

_workers: int | None = None  # None: one per CPU
_pool: Executor | None = None


def configure(workers: int | None) -> None:
    """How many worker processes (None: one per CPU; 0: threads in this process)."""
    global _workers
    _workers = workers


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


def _executor() -> Executor | None:
    global _pool
    workers = _workers if _workers is not None else (os.cpu_count() or 1)
    if workers <= 0:
        return None
    if _pool is None:
        # One pool for the process's life (concurrent.futures joins it at exit), shared by
        # every runtime and event loop in it. forkserver: workers start from a clean process,
        # not a fork of one running an event loop and database threads.
        _pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_lower_priority,
        )
    return _pool


async def run(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in a worker process (or a thread when configured with 0 workers)."""
    executor = _executor()
    if executor is None:
        return await asyncio.to_thread(fn, *args)
    return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
