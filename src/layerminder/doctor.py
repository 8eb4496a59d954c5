"""`layerminder doctor`: every dependency checked, with what is wrong in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
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
    results.extend(await _check_providers(settings))
    results.append(_check_embedder(settings))
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
    pool = (
        ""
        if settings.is_sqlite
        else f"; pool of {settings.database_pool_size} (+{settings.database_max_overflow} "
        "overflow) connections per process"
    )
    return CheckResult("database", "ok", f"{engine.dialect.name}, schema at {head}{pool}")


async def _check_storage(settings: Settings) -> CheckResult:
    from layerminder.storage.factory import build_storage

    try:
        storage = build_storage(settings)
        await storage.check()
    except Exception as exc:
        return CheckResult("storage", "fail", f"{exc}")
    location = getattr(storage, "location", None)
    where = f" ({location})" if location else ""
    if settings.presigned_image_urls and storage.name != "s3":
        return CheckResult(
            "storage",
            "warn",
            f"{storage.name} storage is writable{where}, but LAYERMINDER_PRESIGNED_IMAGE_URLS "
            "needs S3 storage: images are served by the API instead",
        )
    return CheckResult("storage", "ok", f"{storage.name} storage is writable{where}")


def _safe_redis_url(url: str) -> str:
    """The URL without its password (doctor output gets pasted into issues)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


async def _check_services(settings: Settings) -> list[CheckResult]:
    if not settings.redis_url:
        return [CheckResult("queue", "ok", "in-process jobs and events (no Redis set)")]
    import redis.asyncio as redis

    from layerminder.jobs.redis_queue import queue_status

    where = _safe_redis_url(settings.redis_url)
    try:
        client = redis.from_url(settings.redis_url, socket_connect_timeout=5)
        try:
            await client.ping()
        finally:
            await client.aclose()
    except Exception as exc:
        return [
            CheckResult(
                "redis",
                "fail",
                f"cannot reach {where}: {exc}. Check LAYERMINDER_REDIS_URL and that Redis runs "
                "(or unset it to run jobs and events in-process)",
            )
        ]
    results = [CheckResult("redis", "ok", f"{where} answers (queue and progress events)")]
    try:
        status = await queue_status(settings)
    except Exception as exc:
        results.append(CheckResult("queue", "fail", f"cannot read the job stream: {exc}"))
        return results
    summary = (
        f"{status['queued']} waiting, {status['running']} running, "
        f"{status['workers']} worker(s) alive"
    )
    if status["workers"] == 0:
        results.append(
            CheckResult(
                "queue",
                "warn",
                f"{summary}: start `layerminder worker` (generations wait until one runs)",
            )
        )
    else:
        results.append(CheckResult("queue", "ok", summary))
    return results


# --------------------------------------------------------------------------------------------
# Providers and models
# --------------------------------------------------------------------------------------------

# Doctor should answer in seconds, not wait out the generation job's retry budget.
DOCTOR_OPENAI_TIMEOUT_SECONDS = 15.0
DOCTOR_OPENAI_MAX_ATTEMPTS = 2
DOCTOR_OPENAI_MAX_RETRY_SECONDS = 2.0


def _describe_provider(choice: str, model: str) -> str:
    if choice == "openai":
        return f"openai ({model})"
    if choice == "local":
        return "local (offline, no API calls)"
    return f"plugin {choice}"


def _check_plugin(kind: str, choice: str) -> CheckResult | None:
    """A `package.module:Class` provider must at least import; None for local/openai."""
    if choice in ("local", "openai"):
        return None
    import importlib

    module_name, _, class_name = choice.partition(":")
    setting = f"LAYERMINDER_{kind.upper()}_PROVIDER"
    if not class_name:
        return CheckResult(
            f"{kind} provider",
            "fail",
            f"{setting}={choice!r} is not a provider: use 'local', 'openai' or "
            "'package.module:Class'",
        )
    try:
        getattr(importlib.import_module(module_name), class_name)
    except Exception as exc:
        return CheckResult(
            f"{kind} provider", "fail", f"{setting}={choice!r} cannot be loaded: {exc}"
        )
    return CheckResult(f"{kind} provider", "ok", f"{choice} imports")


async def _check_providers(settings: Settings) -> list[CheckResult]:
    """Which providers run; for OpenAI: the key, and each configured model via GET /v1/models."""
    results = [
        CheckResult(
            "providers",
            "ok",
            f"images: {_describe_provider(settings.image_provider, settings.image_model)}; "
            f"story: {_describe_provider(settings.story_provider, settings.story_model)}",
        )
    ]
    for kind, choice in (("image", settings.image_provider), ("story", settings.story_provider)):
        plugin = _check_plugin(kind, choice)
        if plugin is not None:
            results.append(plugin)

    models: dict[str, list[str]] = {}
    if settings.image_provider == "openai":
        models.setdefault(settings.image_model, []).append("image")
        models.setdefault(settings.edit_model, []).append("edit")
        results.append(_check_image_quality(settings))
    if settings.story_provider == "openai":
        models.setdefault(settings.story_model, []).append("story")
    if not models:
        return results
    results.extend(_check_deprecations(models))

    key_check = _check_openai_key(settings)
    results.append(key_check)
    if key_check.status == "fail":
        # Without a key every model check would fail with the same words.
        return results
    results.extend(await _check_openai_models(settings, models))
    return results


def _check_image_quality(settings: Settings) -> CheckResult:
    """The configured quality against the image model: a wrong one would fail every generation."""
    from layerminder.providers.base import ProviderError
    from layerminder.providers.openai import check_image_quality

    chosen = list(dict.fromkeys([settings.image_model, settings.edit_model]))
    try:
        for model in chosen:
            check_image_quality(model, settings.image_quality)
    except ProviderError as error:
        return CheckResult("image quality", "fail", error.message)
    return CheckResult(
        "image quality",
        "ok",
        f"{settings.image_quality} is a quality {' and '.join(chosen)} "
        + ("take" if len(chosen) > 1 else "takes"),
    )


_MODEL_SETTINGS = {
    "image": "LAYERMINDER_IMAGE_MODEL",
    "edit": "LAYERMINDER_EDIT_MODEL",
    "story": "LAYERMINDER_STORY_MODEL",
}


def _model_setting(uses: list[str]) -> str:
    return " / ".join(_MODEL_SETTINGS[use] for use in uses if use in _MODEL_SETTINGS)


def _check_deprecations(
    models: dict[str, list[str]], today: date | None = None
) -> list[CheckResult]:
    """OpenAI's announced deprecations, from our table: known without a call, so an operator
    hears of them even when the API cannot be reached."""
    from layerminder.providers.openai import deprecation_of

    today = today or datetime.now(UTC).date()
    results: list[CheckResult] = []
    for model, uses in models.items():
        deprecation = deprecation_of(model)
        if deprecation is None:
            continue
        name = f"{' and '.join(uses)} model deprecation"
        setting = _model_setting(uses)
        if deprecation.shutdown <= today:
            results.append(
                CheckResult(
                    name,
                    "fail",
                    f"{model} was shut down on {deprecation.shutdown.isoformat()}: set "
                    f"{setting}={deprecation.replacement}",
                )
            )
            continue
        since = f" since {deprecation.deprecated.isoformat()}" if deprecation.deprecated else ""
        results.append(
            CheckResult(
                name,
                "warn",
                f"{model} is deprecated{since} and shuts down on "
                f"{deprecation.shutdown.isoformat()}: set {setting}={deprecation.replacement}",
            )
        )
    return results


def _openai_endpoint(settings: Settings) -> str:
    return settings.openai_base_url or "https://api.openai.com/v1"


def _check_openai_key(settings: Settings) -> CheckResult:
    key = settings.openai_api_key.get_secret_value().strip() if settings.openai_api_key else ""
    endpoint = _openai_endpoint(settings)
    if key:
        return CheckResult("openai key", "ok", f"OPENAI_API_KEY is set; endpoint {endpoint}")
    if settings.openai_base_url:
        return CheckResult(
            "openai key",
            "warn",
            f"OPENAI_API_KEY is not set: sending a placeholder key to {endpoint} (fine for "
            "OpenAI-compatible servers that ignore keys; set OPENAI_API_KEY if yours needs one)",
        )
    return CheckResult(
        "openai key",
        "fail",
        "OPENAI_API_KEY is not set, but a provider is 'openai': set OPENAI_API_KEY (or "
        "LAYERMINDER_OPENAI_API_KEY), or set LAYERMINDER_IMAGE_PROVIDER=local and "
        "LAYERMINDER_STORY_PROVIDER=local to run offline",
    )


async def _check_openai_models(
    settings: Settings, models: dict[str, list[str]]
) -> list[CheckResult]:
    from layerminder.providers.openai import check_models

    quick = settings.model_copy(
        update={
            "openai_timeout_seconds": min(
                settings.openai_timeout_seconds, DOCTOR_OPENAI_TIMEOUT_SECONDS
            ),
            "openai_max_attempts": min(settings.openai_max_attempts, DOCTOR_OPENAI_MAX_ATTEMPTS),
            "openai_max_retry_seconds": min(
                settings.openai_max_retry_seconds, DOCTOR_OPENAI_MAX_RETRY_SECONDS
            ),
        }
    )
    checks = await check_models(quick, list(models))
    results: list[CheckResult] = []
    for check in checks:
        uses = " and ".join(models.get(check.model, []))
        setting = _model_setting(models.get(check.model, [])) or "the model setting"
        status: Status = "fail" if not check.ok else "warn" if check.warning else "ok"
        message = check.message
        if status != "ok":
            message = f"{message} (set {setting})"
        results.append(CheckResult(f"{uses} model", status, message))
    return results


# --------------------------------------------------------------------------------------------
# Embedder
# --------------------------------------------------------------------------------------------


def _check_embedder(settings: Settings) -> CheckResult:
    """The embedder recommendations use: CLIP, or the basic descriptor when no model is set."""
    from layerminder.errors import LayerminderError
    from layerminder.recommender.basic import BasicDescriptorEmbedder
    from layerminder.recommender.factory import build_embedder

    try:
        embedder = build_embedder(settings)
    except LayerminderError as exc:
        return CheckResult("embedder", "fail", exc.message)
    except Exception as exc:
        return CheckResult("embedder", "fail", f"the embedder cannot be set up: {exc}")
    if isinstance(embedder, BasicDescriptorEmbedder):
        if settings.embedder == "basic":
            hint = "chosen by LAYERMINDER_EMBEDDER=basic"
        else:
            hint = (
                f"no exported CLIP model in {settings.resolved_clip_model_dir}: `make clip` "
                "(or `layerminder models export-clip`) puts one there, or set "
                "LAYERMINDER_CLIP_MODEL_DIR, for CLIP recommendations and text search"
            )
        return CheckResult(
            "embedder",
            "ok",
            f"{embedder.model_id}: basic descriptor (not CLIP), no text search; {hint}",
        )
    return CheckResult(
        "embedder",
        "ok",
        f"{embedder.model_id}: CLIP on ONNX Runtime from {settings.resolved_clip_model_dir}",
    )
