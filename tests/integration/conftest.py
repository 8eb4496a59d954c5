"""A unique Redis key prefix per test, so runs never collide; its keys are removed afterwards."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest

from tests.conftest import REDIS_TEST_URL, require_service
from tests.jobs.redis_keys import delete_prefixed


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    require_service("Redis", REDIS_TEST_URL)
    prefix = f"lmtest-{uuid.uuid4().hex[:10]}"
    yield prefix
    asyncio.run(delete_prefixed(prefix))
