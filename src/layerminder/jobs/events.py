"""Progress events: publish on a channel, subscribe per SSE client; in-process or Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from layerminder.config import Settings

logger = logging.getLogger(__name__)

Event = dict[str, Any]


class Subscription(Protocol):
    async def get(self, timeout: float) -> Event | None:
        """The next event, or None after `timeout` seconds without one."""
        ...


class EventBus(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, channel: str, event: Event) -> None: ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...

    async def check(self) -> None: ...


class _QueueSubscription:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1000)

    async def get(self, timeout: float) -> Event | None:
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None


class MemoryEventBus:
    """Broadcast inside one process (the embedded default)."""

    name = "memory"

    def __init__(self) -> None:
        self._subscribers: dict[str, set[_QueueSubscription]] = {}

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._subscribers.clear()

    async def publish(self, channel: str, event: Event) -> None:
        for subscription in list(self._subscribers.get(channel, ())):
            with contextlib.suppress(asyncio.QueueFull):
                # A stalled client drops events; every event carries the full state anyway.
                subscription.queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        subscription = _QueueSubscription()
        self._subscribers.setdefault(channel, set()).add(subscription)
        try:
            yield subscription
        finally:
            subscribers = self._subscribers.get(channel)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[channel]

    async def check(self) -> None:
        return None


class _RedisSubscription:
    def __init__(self, pubsub: Any) -> None:
        self.pubsub = pubsub

    async def get(self, timeout: float) -> Event | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            # get_message returns None early for a control message it skips: wait out the rest.
            message = await self.pubsub.get_message(
                ignore_subscribe_messages=True, timeout=max(0.0, deadline - loop.time())
            )
            if message is not None:
                event: Event = json.loads(message["data"])
                return event
            if loop.time() >= deadline:
                return None


class RedisEventBus:
    """Redis pub/sub, so an SSE client on any API replica sees events from any worker."""

    name = "redis"

    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url)
        self._prefix = prefix

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self._redis.aclose()

    async def publish(self, channel: str, event: Event) -> None:
        await self._redis.publish(f"{self._prefix}:events:{channel}", json.dumps(event))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(f"{self._prefix}:events:{channel}")
        try:
            # Wait for Redis to confirm, so every event published after this returns is seen
            # (the SSE endpoint reads the record's state right after subscribing).
            confirmed = await pubsub.get_message(timeout=5)
            if confirmed is None or confirmed["type"] != "subscribe":
                raise ConnectionError("Redis did not confirm the event subscription")
            yield _RedisSubscription(pubsub)
        finally:
            with contextlib.suppress(Exception):
                await pubsub.unsubscribe()
            await pubsub.aclose()

    async def check(self) -> None:
        await self._redis.ping()


def build_event_bus(settings: Settings) -> EventBus:
    if settings.redis_url:
        return RedisEventBus(settings.redis_url, settings.redis_prefix)
    return MemoryEventBus()
