"""S3Storage rides out a store that answers 503 SlowDown for a while: real moto behind a proxy
that refuses every request during the burst, as S3 does under load."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from botocore.exceptions import ClientError

from layerminder.storage.s3 import S3Storage
from tests.storage.failing_proxy import FailingProxy, failing_proxy
from tests.storage.moto_server import ACCESS_KEY, REGION, SECRET_KEY, MotoS3, running_moto_s3


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoS3]:
    with running_moto_s3() as server:
        yield server


@pytest.fixture
async def proxy(moto: MotoS3) -> AsyncIterator[FailingProxy]:
    async with failing_proxy(moto.endpoint_url) as state:
        yield state


def _storage(bucket: str, proxy: FailingProxy, retry_seconds: float) -> S3Storage:
    return S3Storage(
        bucket,
        "lm/",
        endpoint_url=proxy.url,
        region=REGION,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
        retry_seconds=retry_seconds,
    )


async def test_a_slowdown_burst_delays_writes_and_reads_but_fails_none(
    moto: MotoS3, proxy: FailingProxy
) -> None:
    bucket = moto.create_bucket(f"lm-{uuid.uuid4().hex[:12]}")
    storage = _storage(bucket, proxy, retry_seconds=30)
    await storage.put("before.jpg", b"kept", "image/jpeg")

    proxy.fail_for(3)
    started = time.monotonic()
    await storage.put("during.jpg", b"written once the store answers", "image/jpeg")
    assert time.monotonic() - started >= 2.5  # waited the burst out rather than failing
    assert proxy.refused >= 2

    proxy.fail_for(2)
    assert await storage.get("before.jpg") == b"kept"
    assert await storage.get("during.jpg") == b"written once the store answers"
    assert await storage.list_keys() == ["before.jpg", "during.jpg"]


async def test_a_store_that_stays_down_fails_after_the_window_and_checks_fail_at_once(
    moto: MotoS3, proxy: FailingProxy
) -> None:
    bucket = moto.create_bucket(f"lm-{uuid.uuid4().hex[:12]}")
    storage = _storage(bucket, proxy, retry_seconds=2)
    proxy.fail_for(60)
    started = time.monotonic()
    with pytest.raises(ClientError, match="SlowDown"):
        await storage.put("never.jpg", b"x", "image/jpeg")
    assert 1.5 <= time.monotonic() - started < 15

    # A health check says how the store is now: no waiting.
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="SlowDown"):
        await storage.check()
    assert time.monotonic() - started < 10
