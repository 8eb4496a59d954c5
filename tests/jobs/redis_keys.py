"""Removing a test run's Redis keys (everything under its prefix)."""

from __future__ import annotations

import redis.asyncio as redis

from tests.conftest import REDIS_TEST_URL


async def delete_prefixed(prefix: str) -> None:
    client = redis.from_url(REDIS_TEST_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
