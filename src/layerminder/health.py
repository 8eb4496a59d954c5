"""Liveness and readiness: is the process up, and can it reach what it needs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from layerminder.deps import RuntimeDep
from layerminder.errors import ErrorBody
from layerminder.runtime import Runtime

router = APIRouter(tags=["health"])


async def readiness(runtime: Runtime) -> dict[str, str]:
    """Each dependency → "ok" or what is wrong, in plain words."""
    checks: dict[str, str] = {}

    async def _database() -> None:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    probes: dict[str, Any] = {
        "database": _database,
        "storage": runtime.storage.check,
        "events": runtime.events.check,
        "queue": runtime.queue.check,
    }
    for name, probe in probes.items():
        try:
            await probe()
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"{type(exc).__name__}: {exc}"[:300]
    return checks


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={503: {"model": ErrorBody, "description": "NotReady (with `checks`)"}},
)
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    checks = await readiness(runtime)
    failing = [name for name, result in checks.items() if result != "ok"]
    if failing:
        detail = "; ".join(f"{name}: {checks[name]}" for name in failing)
        return JSONResponse(
            {"error": "NotReady", "detail": detail, "checks": checks}, status_code=503
        )
    return JSONResponse({"status": "ready", "checks": checks})
