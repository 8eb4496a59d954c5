"""An S3 endpoint that answers 503 SlowDown while told to, and forwards to a real store (moto)
otherwise: how S3 behaves under load, for the storage tests and `bench/faults.py`."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import ClientSession, web

SLOW_DOWN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
    b"<Message>Please reduce your request rate.</Message></Error>"
)
# Hop-by-hop and length headers: aiohttp sets its own for the body it sends.
_NOT_FORWARDED = ("content-length", "transfer-encoding", "connection")


@dataclass
class FailingProxy:
    """Forwards to the store, except while `failing_until` is ahead: then 503 SlowDown."""

    url: str = ""
    failing_until: float = 0.0
    refused: int = 0

    def fail_for(self, seconds: float) -> None:
        self.failing_until = time.monotonic() + seconds


@contextlib.asynccontextmanager
async def failing_proxy(upstream_url: str) -> AsyncIterator[FailingProxy]:
    """A proxy on a free loopback port in this event loop, in front of `upstream_url`."""
    state = FailingProxy()
    upstream = ClientSession(auto_decompress=False)

    async def forward(request: web.Request) -> web.StreamResponse:
        if time.monotonic() < state.failing_until:
            state.refused += 1
            return web.Response(status=503, body=SLOW_DOWN, content_type="application/xml")
        async with upstream.request(
            request.method,
            upstream_url + request.path_qs,
            headers=request.headers,
            data=await request.read(),
            allow_redirects=False,
        ) as answer:
            body = await answer.read()
            headers = {k: v for k, v in answer.headers.items() if k.lower() not in _NOT_FORWARDED}
            return web.Response(status=answer.status, body=body, headers=headers)

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield state
    finally:
        await runner.cleanup()
        await upstream.close()
