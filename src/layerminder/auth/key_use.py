"""API keys' last_used_at: written at most once a minute per key, after the response is sent."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from layerminder.apikeys import service as apikeys
from layerminder.db.session import unit_of_work

logger = logging.getLogger(__name__)

# A listing shows when a key was last used to the minute at best: a finer stamp would only
# cost a write lock per request.
KEY_USE_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class KeyUse:
    """A stamp this request is to write once it is answered."""

    key_id: uuid.UUID
    at: datetime


class KeyUseThrottle:
    """When this process last stamped each key.

    The stored value alone lets a burst through: requests that all read the key before the
    first one's stamp commits would each write again. Claiming in memory (no await between the
    check and the claim) lets one request per key and resolution through, in each process."""

    def __init__(self, resolution: timedelta = KEY_USE_RESOLUTION, capacity: int = 4096) -> None:
        self.resolution = resolution
        self.capacity = capacity
        self._stamped: dict[uuid.UUID, datetime] = {}

    def claim(self, key_id: uuid.UUID, stored: datetime | None, now: datetime) -> KeyUse | None:
        """The stamp to write for this use, or None when the key was stamped recently."""
        for last in (stored, self._stamped.get(key_id)):
            if last is not None and now - last < self.resolution:
                return None
        if len(self._stamped) >= self.capacity:
            self._forget_before(now - self.resolution)
        self._stamped[key_id] = now
        return KeyUse(key_id, now)

    async def write(self, use: KeyUse, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        try:
            async with unit_of_work(sessionmaker) as session:
                await apikeys.mark_used(session, use.key_id, use.at)
        except Exception:
            # A lost stamp must not fail the request it follows: the key's next use retries.
            logger.warning(
                "could not stamp an API key's last use",
                extra={"api_key_id": str(use.key_id)},
                exc_info=True,
            )
            if self._stamped.get(use.key_id) == use.at:
                del self._stamped[use.key_id]

    def _forget_before(self, cutoff: datetime) -> None:
        self._stamped = {k: at for k, at in self._stamped.items() if at >= cutoff}
        if len(self._stamped) >= self.capacity:
            # More keys used within a minute than the capacity: the stored values still keep
            # all but concurrent first uses from writing.
            self._stamped.clear()


# One per process, like the keys' ids it holds (unique across databases).
key_uses = KeyUseThrottle()
