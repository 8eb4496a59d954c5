"""`layerminder doctor`: every dependency checked, with what is wrong in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text

from layerminder.config import Settings

Status = Literal["ok", "warn", "fail"]


@dataclass
class CheckResult:
    name: str
    status: Status
    message: str


async def run_checks(settings: Settings) -> list[CheckResult]:
    results = [await _check_database(settings), await _check_storage(settings)]
    results.extend(await _check_services(settings))
    return results


async def _check_database(settings: Settings) -> CheckResult:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from layerminder.db.migrate import alembic_config
    from layerminder.db.session import create_engine

    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            current = await conn.run_sync(
                lambda c: MigrationContext.configure(c).get_current_revision()
            )
    except Exception as exc:
        return CheckResult(
            "database",
            "fail",
            f"cannot connect to {engine.url.render_as_string(hide_password=True)}: {exc}. "
            "Check LAYERMINDER_DATABASE_URL and that the server is running.",
        )
    finally:
        await engine.dispose()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current != head:
        return CheckResult(
            "database",
            "fail",
            f"schema is at {current or 'nothing'}, code expects {head}: run `layerminder migrate`",
        )
    return CheckResult("database", "ok", f"{engine.dialect.name}, schema at {head}")


async def _check_storage(settings: Settings) -> CheckResult:
    from layerminder.storage.factory import build_storage

    try:
        storage = build_storage(settings)
        await storage.check()
    except Exception as exc:
        return CheckResult("storage", "fail", f"{exc}")
    return CheckResult("storage", "ok", f"{storage.name} storage is writable")


async def _check_services(settings: Settings) -> list[CheckResult]:
    results: list[CheckResult] = []
    if settings.redis_url:
        try:
            import redis.asyncio as redis

            client = redis.from_url(settings.redis_url)
            await client.ping()
            await client.aclose()
            results.append(CheckResult("redis", "ok", "queue and events reachable"))
        except Exception as exc:
            results.append(
                CheckResult("redis", "fail", f"cannot reach {settings.redis_url}: {exc}")
            )
    else:
        results.append(CheckResult("queue", "ok", "in-process jobs and events (no Redis set)"))
    return results
