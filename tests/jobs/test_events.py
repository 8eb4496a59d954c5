"""RedisEventBus on a real Redis: what one process publishes, another process's subscriber gets."""

from __future__ import annotations

import asyncio

import pytest

from layerminder.jobs.events import RedisEventBus
from tests.conftest import REDIS_TEST_URL

pytestmark = pytest.mark.redis


async def test_events_cross_bus_instances_on_their_channel_only(redis_prefix: str) -> None:
    api, worker = (
        RedisEventBus(REDIS_TEST_URL, redis_prefix),
        RedisEventBus(REDIS_TEST_URL, redis_prefix),
    )
    other_run = RedisEventBus(REDIS_TEST_URL, f"{redis_prefix}-other")
    try:
        for bus in (api, worker, other_run):
            await bus.start()
            await bus.check()
        async with (
            api.subscribe("record:a") as subscription,
            api.subscribe("record:b") as elsewhere,
        ):
            await other_run.publish("record:a", {"event": "images", "version": 0})
            for version in (1, 2, 3):
                await worker.publish("record:a", {"event": "images", "version": version})
            received = [await subscription.get(timeout=2) for _ in range(3)]
            assert [e and e["version"] for e in received] == [1, 2, 3]
            assert received[0] == {"event": "images", "version": 1}
            # Nothing for another channel, nor from a bus with another prefix.
            assert await elsewhere.get(timeout=0.3) is None
            assert await subscription.get(timeout=0.3) is None
    finally:
        for bus in (api, worker, other_run):
            await bus.stop()


async def test_many_subscribers_each_get_every_event(redis_prefix: str) -> None:
    publisher = RedisEventBus(REDIS_TEST_URL, redis_prefix)
    readers = [RedisEventBus(REDIS_TEST_URL, redis_prefix) for _ in range(3)]
    try:

        async def _read(bus: RedisEventBus, ready: asyncio.Event) -> list[int]:
            async with bus.subscribe("record:x") as subscription:
                ready.set()
                events = [await subscription.get(timeout=3) for _ in range(5)]
            return [e["version"] for e in events if e]

        ready = [asyncio.Event() for _ in readers]
        tasks = [asyncio.create_task(_read(b, r)) for b, r in zip(readers, ready, strict=True)]
        await asyncio.gather(*(r.wait() for r in ready))
        for version in range(5):
            await publisher.publish("record:x", {"version": version})
        assert await asyncio.gather(*tasks) == [list(range(5))] * 3
    finally:
        for bus in (publisher, *readers):
            await bus.stop()


async def test_check_fails_when_redis_is_unreachable() -> None:
    bus = RedisEventBus("redis://127.0.0.1:1/0", "unused")
    with pytest.raises(Exception, match=r"(?i)connect"):
        await bus.check()
    await bus.stop()
