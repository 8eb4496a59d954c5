"""One server for the job-control tests: jobs run one at a time, and its providers are steered
through a control file (slow, failing) while it runs."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REDIS_TEST_URL, require_service
from tests.jobcontrol.common import SIGNUP_CREDITS, TUNABLE_IMAGES, TUNABLE_STORY, steer
from tests.jobs.redis_keys import delete_prefixed
from tests.live import LiveServer, server_env, start_server


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A unique Redis key prefix per test; its keys are removed afterwards."""
    require_service("Redis", REDIS_TEST_URL)
    prefix = f"lmtest-{uuid.uuid4().hex[:10]}"
    yield prefix
    asyncio.run(delete_prefixed(prefix))


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    root = tmp_path_factory.mktemp("jobcontrol")
    control_file = root / "control.json"
    steer(control_file)
    env = server_env(
        root / "data",
        f"sqlite+aiosqlite:///{root / 'lm.db'}",
        seed_library="true",
        image_provider=TUNABLE_IMAGES,
        story_provider=TUNABLE_STORY,
        worker_concurrency="1",
        signup_credits=str(SIGNUP_CREDITS),
        test_control_file=str(control_file),
    )
    live = start_server(env, root / "server.log")
    yield live, control_file
    live.stop()
