"""Work a process does once it has its runtime: nothing left stuck, library ready."""

from __future__ import annotations

import logging

from layerminder.runtime import Runtime

logger = logging.getLogger(__name__)


async def on_startup(runtime: Runtime) -> None:
    logger.info(
        "LayerMinder ready: database=%s storage=%s queue=%s events=%s",
        runtime.engine.dialect.name,
        runtime.storage.name,
        runtime.queue.name,
        runtime.events.name,
    )
