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
import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# How much a worker process yields to the API process when both want a core (nice 10: about
# a tenth of the CPU share of a nice-0 process).
WORKER_NICENESS = 10

_PR_SET_PDEATHSIG = 1  # prctl(2)
_workers: int | None = None  # None: one per CPU
_preload: tuple[str, ...] = ()  # modules each worker imports as it starts (see warm_up)
_pool: Executor | None = None


def configure(workers: int | None) -> None:
    """How many worker processes (None: one per CPU; 0: threads in this process)."""
    global _workers
    _workers = workers


def _start_worker(preload: tuple[str, ...] = ()) -> None:
    if sys.platform == "linux":
        # End with the API process, even when it is killed outright: an orphaned worker would
        # otherwise wait for work forever.
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() == 1:  # the parent died before the line above ran
                os._exit(1)
    for name in preload:
        # A module that fails here fails again, with its traceback, in the call that needs it;
        # an initializer that raised would instead break the whole pool.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    # Only then the low priority: a second of imports at nice 10 on cores kept busy by other
    # processes took tens of seconds, and the first uploads and renders waited for it.
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


def _nothing() -> None:
    """A task that only makes the pool start a worker process."""


def _worker_count() -> int:
    return _workers if _workers is not None else (os.cpu_count() or 1)


def _executor() -> Executor | None:
    global _pool
    workers = _worker_count()
    if workers <= 0:
        return None
    if _pool is None:
        # One pool for the process's life (concurrent.futures joins it at exit), shared by
        # every runtime and event loop in it. spawn: workers start from a clean interpreter, not
        # a fork of one running an event loop and database threads, and (unlike forkserver's)
        # they are this process's children, so the death signal above reaches them.
        _pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(_preload,),
        )
    return _pool


def warm_up(modules: Sequence[str] = ()) -> None:
    """Start every worker process now, each importing `modules` as it starts.

    The pool otherwise starts a worker only when work finds none idle, so the first burst of
    jobs after a start waited for a process to spawn and import the renderer (seconds at the
    workers' low priority on a busy machine: a third of a 12-record drain). Returns at once;
    the workers start in the background. Call before any `run` (the pool is made once)."""
    global _preload
    _preload = tuple(modules)
    executor = _executor()
    if executor is None:
        return
    # A pool spawns a process per submit while none is idle, up to its size.
    for _ in range(_worker_count()):
        executor.submit(_nothing)


async def run(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in a worker process (or a thread when configured with 0 workers)."""
    executor = _executor()
    if executor is None:
        return await asyncio.to_thread(fn, *args)
    return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
