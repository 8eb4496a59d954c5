"""The ASGI application: create_app() and its lifespan (the process's runtime)."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from layerminder import __version__, offload
from layerminder.api import DOMAIN_ROUTERS, router
from layerminder.auth.dependencies import writes
from layerminder.config import Settings
from layerminder.contract import install_contract
from layerminder.errors import install_error_handlers
from layerminder.logs import redact_access_log
from layerminder.runtime import open_runtime
from layerminder.security.headers import SecurityHeaders, StudioFiles, StudioPolicy
from layerminder.startup import background_duties
from layerminder.tasks import CPU_WORK_MODULES, job_handlers

logger = logging.getLogger(__name__)


def _document_key_scopes(app: FastAPI) -> None:
    """List 403 InsufficientScope on every route a `read` API key may not use.

    The scope check follows the HTTP method (auth.dependencies.Authenticator), so it is
    documented here in one place rather than in each route's `responses=`."""
    build = app.openapi
    scoped = {
        (route.path_format, method.lower())
        for domain_router in DOMAIN_ROUTERS
        for route in domain_router.routes
        if isinstance(route, APIRoute) and writes(route)
        for method in route.methods or ()
    }

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = build()
        for path, method in scoped:
            answers = spec["paths"][path][method]["responses"]
            refused = answers.get("403", {})
            described = refused.get("description", "")
            answers["403"] = {
                **refused,
                "description": " | ".join(filter(None, [described, "InsufficientScope"])),
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
                },
            }
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


# How many collections of the middle generation between full ones (Python's default: 10).
FULL_COLLECTION_THRESHOLD = 100


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    redact_access_log()
    studio_policy = StudioPolicy()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            # Jobs run in this process only with the in-process queue; binding is harmless (and
            # unused) when `layerminder worker` processes run them from Redis.
            runtime.queue.bind(job_handlers(runtime))
            if runtime.queue.runs_jobs_here:
                offload.warm_up(CPU_WORK_MODULES)
            app.state.runtime = runtime
            if settings.presigned_image_urls:
                # Designs then load from the bucket's origin: find it by signing a URL.
                probe = await runtime.storage.presigned_url("csp-probe", 60)
                if probe:
                    studio_policy.allow_images_from(probe)
            # What start-up made (modules, mappers, the app: ~200k objects) lives as long as
            # the process: out of the collector's sight, a full collection no longer scans it.
            # Each one stalled every request for ~160 ms under load; now ~10 ms. Collected
            # first, so that no garbage (say, an earlier app's in the same process) is frozen.
            gc.collect()
            gc.freeze()
            # A full collection still scans what was made since (caches, reused record views:
            # ~50k objects under load), 20-45 ms each, every few seconds under the default
            # thresholds, stalling every request in flight. A tenth as often: young cycles are
            # still collected by the first two generations as they were.
            young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
            async with background_duties(runtime):
                yield

    app = FastAPI(
        title="LayerMinder",
        version=__version__,
        description="An AI studio for furniture designers.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(router)
    # After every API route, before the studio's catch-all mount: the spec's shared errors and
    # JSON 404/405 under /api/; the key scopes' 403 is added on top of that spec.
    install_contract(app)
    _document_key_scopes(app)
    web_dir = settings.web_dir
    if (web_dir / "index.html").is_file():
        # The web studio's static export; API routes above take precedence.
        app.mount("/", StudioFiles(directory=web_dir, policy=studio_policy), name="web")
    else:
        logger.info("no web build at %s: serving the API only", web_dir)
    if settings.cors_origins:
        # Bearer tokens, never cookies: no credentials mode is needed or allowed.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    # Outermost, so every response (errors and CORS preflights included) carries the headers.
    app.add_middleware(SecurityHeaders, hsts_max_age=settings.hsts_seconds)
    return app
