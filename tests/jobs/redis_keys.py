"""A test run's Redis keys (everything under its prefix): removing them, reading its queue."""

from __future__ import annotations

import asyncio

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


async def queue_drained(prefix: str, timeout: float = 15) -> bool:
    """Whether every job message on the prefix's stream ends acknowledged (and so deleted)
    within `timeout` seconds: nothing waiting, nothing held by a live or dead worker."""
    client = redis.from_url(REDIS_TEST_URL)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await client.xlen(f"{prefix}:jobs"):
            if loop.time() > deadline:
                return False
            await asyncio.sleep(0.2)
        return True
    finally:
        await client.aclose()
