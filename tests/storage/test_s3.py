"""S3Storage against a real S3 HTTP endpoint (moto in server mode)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest

from layerminder.config import Settings
from layerminder.storage.base import ObjectMissing
from layerminder.storage.factory import build_storage
from layerminder.storage.s3 import S3Storage, parse_s3_url
from tests.storage.moto_server import ACCESS_KEY, REGION, SECRET_KEY, MotoS3, running_moto_s3


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoS3]:
    with running_moto_s3() as server:
        yield server


@pytest.fixture
def bucket(moto: MotoS3) -> str:
    return moto.create_bucket(f"lm-{uuid.uuid4().hex[:12]}")


def _storage(moto: MotoS3, bucket: str, prefix: str = "tenant/a") -> S3Storage:
    settings = Settings(_env_file=None, **moto.settings(bucket, prefix))
    storage = build_storage(settings)
    assert isinstance(storage, S3Storage)
    return storage


def test_urls_give_bucket_and_prefix() -> None:
    assert parse_s3_url("s3://images") == ("images", "")
    assert parse_s3_url("s3://images/") == ("images", "")
    assert parse_s3_url("s3://images/prod/lm/") == ("images", "prod/lm/")
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        parse_s3_url("s3:///no-bucket")


async def test_put_get_exists_delete_under_the_prefix(moto: MotoS3, bucket: str) -> None:
    storage = _storage(moto, bucket)
    await storage.put("generated/u/1.jpg", b"\xff\xd8jpeg", "image/jpeg")
    assert await storage.get("generated/u/1.jpg") == b"\xff\xd8jpeg"
    assert await storage.exists("generated/u/1.jpg")
    assert not await storage.exists("generated/u/2.jpg")
    head = moto.client().head_object(Bucket=bucket, Key="tenant/a/generated/u/1.jpg")
    assert head["ContentType"] == "image/jpeg"

    await storage.delete("generated/u/1.jpg")
    await storage.delete("generated/u/1.jpg")  # twice is fine, as for the other backends
    assert not await storage.exists("generated/u/1.jpg")
    with pytest.raises(ObjectMissing):
        await storage.get("generated/u/1.jpg")


async def test_list_keys_pages_past_1000_and_stays_inside_the_prefix(
    moto: MotoS3, bucket: str
) -> None:
    storage = _storage(moto, bucket)
    neighbour = _storage(moto, bucket, prefix="tenant/b")
    keys = [f"uploaded/u/{i:05d}.jpg" for i in range(1100)]
    slots = asyncio.Semaphore(32)

    async def _put(key: str) -> None:
        async with slots:
            await storage.put(key, b"x", "image/jpeg")

    await asyncio.gather(*(_put(k) for k in keys))
    await storage.put("generated/u/0.jpg", b"x", "image/jpeg")
    await neighbour.put("uploaded/u/99999.jpg", b"x", "image/jpeg")

    assert await storage.list_keys("uploaded/") == keys
    assert len(await storage.list_keys()) == 1101
    assert await storage.list_keys("generated/") == ["generated/u/0.jpg"]
    assert await neighbour.list_keys() == ["uploaded/u/99999.jpg"]


async def test_presigned_url_serves_the_object(moto: MotoS3, bucket: str) -> None:
    storage = _storage(moto, bucket)
    await storage.put("generated/u/p.jpg", b"signed bytes", "image/jpeg")
    url = await storage.presigned_url("generated/u/p.jpg", 60)
    assert url is not None and "Signature" in url and "Expires=" in url
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200 and response.content == b"signed bytes"


async def test_presigned_urls_use_the_public_endpoint(moto: MotoS3, bucket: str) -> None:
    # The servers reach the store at 127.0.0.1; browsers are told another name for it.
    public = moto.endpoint_url.replace("127.0.0.1", "localhost")
    settings = Settings(
        _env_file=None, **moto.settings(bucket, "tenant/a"), s3_public_endpoint_url=public
    )
    storage = build_storage(settings)
    await storage.put("generated/u/q.jpg", b"public bytes", "image/jpeg")
    url = await storage.presigned_url("generated/u/q.jpg", 60)
    assert url is not None and url.startswith(f"{public}/{bucket}/tenant/a/generated/u/q.jpg?")
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200 and response.content == b"public bytes"


async def test_check_passes_and_leaves_nothing_behind(moto: MotoS3, bucket: str) -> None:
    storage = _storage(moto, bucket)
    await storage.check()
    assert await storage.list_keys() == []


async def test_check_says_what_is_wrong(moto: MotoS3, bucket: str) -> None:
    with pytest.raises(RuntimeError, match="bucket does not exist"):
        await _storage(moto, "no-such-bucket").check()

    unreachable = S3Storage(
        bucket,
        endpoint_url="http://127.0.0.1:1",
        region=REGION,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
    )
    with pytest.raises(RuntimeError, match="cannot reach the S3 endpoint"):
        await unreachable.check()
