"""Servers for the job-control tests.

`server`: one embedded server for the package; jobs run one at a time, and its providers are
steered through a control file (slow, failing) while it runs. `control`, `client`, `account` and
`room_input` are a test's usual start on it: providers reset, a client, a new account, a room
with one input.
`redis_deployment`: the scaled deployment (PostgreSQL, Redis) whose API replicas and workers a
test starts, kills and restarts itself; the same control file steers every one of them."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REDIS_TEST_URL, Database
from tests.helpers import Account, signup
from tests.integration.deployment import Deployment
from tests.jobcontrol.common import (
    SIGNUP_CREDITS,
    TUNABLE_IMAGES,
    TUNABLE_STORY,
    room_with_input,
    steer,
)
from tests.live import LiveServer, server_env, start_server


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


@pytest.fixture
def control(server: tuple[LiveServer, Path]) -> Path:
    """The embedded server's control file, its providers back to normal (no pause, no failure)."""
    _, control_file = server
    steer(control_file)
    return control_file


@pytest.fixture
async def client(server: tuple[LiveServer, Path]) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP to the embedded server (here, not the in-process app of tests/conftest.py)."""
    live, _ = server
    async with live.client() as http:
        yield http


@pytest.fixture
async def account(client: httpx.AsyncClient) -> Account:
    return await signup(client)


@pytest.fixture
async def room_input(client: httpx.AsyncClient, account: Account) -> tuple[str, str]:
    """The account's room and one uploaded input: (room id, image id)."""
    return await room_with_input(client, account)


class RedisDeployment(Deployment):
    """API replicas and `layerminder worker` processes sharing one database, Redis prefix,
    token secret and control file (`control`: what every process's providers do)."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        super().__init__(root, env)
        self.control = root / "control.json"
        steer(self.control)


@pytest.fixture
def redis_deployment(
    tmp_path: Path, postgres: Database, redis_prefix: str
) -> Iterator[RedisDeployment]:
    env = server_env(
        tmp_path / "data",
        postgres.url,
        redis_url=REDIS_TEST_URL,
        redis_prefix=redis_prefix,
        signup_credits="20",
        # Every process signs and checks the same tokens and stream tickets.
        jwt_secret=secrets.token_urlsafe(48),
        image_provider=TUNABLE_IMAGES,
        test_control_file=str(tmp_path / "control.json"),
    )
    deployment = RedisDeployment(tmp_path, env)
    yield deployment
    deployment.stop()
    # pytest shows a test's captured output only when it failed: the logs then explain it.
    print(deployment.tail())
