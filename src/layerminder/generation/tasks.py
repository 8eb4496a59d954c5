"""The generation domain's background work, as the queue knows it: a name and its handler."""

from __future__ import annotations

from functools import partial

from layerminder.generation.job import GENERATE_DESIGNS, recover_unfinished, run_generation
from layerminder.jobs.queue import JobHandler
from layerminder.runtime import Runtime

__all__ = ["GENERATE_DESIGNS", "job_handlers", "recover_unfinished", "run_generation"]


def job_handlers(runtime: Runtime) -> dict[str, JobHandler]:
    """The tasks a process that runs jobs binds to its queue (the app in-process, a worker)."""
    return {GENERATE_DESIGNS: partial(run_generation, runtime)}
