"""CPU-bound work runs in worker processes (never on the API's GIL), at a lower priority."""

from __future__ import annotations

import os
from collections.abc import Iterator

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
