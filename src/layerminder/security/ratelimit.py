"""Rate limits (the `limits` library): moving windows in Redis when configured, else in memory."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from layerminder.config import Settings
from layerminder.errors import RateLimited

logger = logging.getLogger(__name__)


class RateLimiter:
    """Counts attempts per (scope, key) against tiers such as 5/minute;20/hour.

    A moving window, so a burst at a window's edge cannot double the limit, and a refused
    attempt is not counted in any tier: waiting out the Retry-After always works. Later tiers
    are longer, so each tier reached makes the next wait longer (the growing delay for
    password guessing).
    """

    def __init__(self, storage: Storage, *, enabled: bool = True) -> None:
        self.storage = storage
        self.enabled = enabled
        self._strategy = MovingWindowRateLimiter(storage)

    async def hit(self, scope: str, key: str, tiers: Sequence[RateLimitItem]) -> None:
        """Count one attempt; raise RateLimited (with the wait) when a tier is used up."""
        if not self.enabled or not tiers:
            return
        try:
            # Test every tier before counting in any: a refused attempt must not use up a
            # longer tier, or waiting out the short one would run into the long one.
            refused = [tier for tier in tiers if not await self._strategy.test(tier, scope, key)]
            if not refused:
                # Requests that passed the test together race here; each hit is atomic and
                # decides. Shortest window first, stopping at a refusal: a burst then costs
                # a short wait, not a day's tier consumed by attempts that were refused.
                for tier in sorted(tiers, key=lambda t: t.get_expiry()):
                    if not await self._strategy.hit(tier, scope, key):
                        refused = [tier]
                        break
            if not refused:
                return
            waits = [
                (await self._strategy.get_window_stats(tier, scope, key)).reset_time - time.time()
                for tier in refused
            ]
        except Exception:
            # A limiter that cannot count must not take the product down with it.
            logger.exception("rate limit storage unavailable: %s not limited", scope)
            return
        retry_after = max(1, math.ceil(max(waits)))
        raise RateLimited(
            f"too many {scope} attempts: try again in {retry_after} s", retry_after=retry_after
        )

    async def clear(self, scope: str, key: str, tiers: Sequence[RateLimitItem]) -> None:
        """Forget the attempts counted for `key` (a successful login ends the guessing count)."""
        if not self.enabled:
            return
        try:
            for tier in tiers:
                await self._strategy.clear(tier, scope, key)
        except Exception:
            logger.exception("rate limit storage unavailable: %s not cleared", scope)

    async def aclose(self) -> None:
        bridge = getattr(self.storage, "bridge", None)
        client = getattr(bridge, "storage", None)
        close = getattr(client, "aclose", None)
        if close is not None:
            await close()


def build_rate_limiter(settings: Settings) -> RateLimiter:
    if settings.redis_url:
        storage: Storage = RedisStorage(
            f"async+{settings.redis_url}",
            implementation="redispy",
            key_prefix=f"{settings.redis_prefix}:ratelimit",
        )
    else:
        storage = MemoryStorage()
    return RateLimiter(storage, enabled=settings.rate_limits_enabled)
