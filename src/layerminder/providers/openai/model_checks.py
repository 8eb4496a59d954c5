"""Doctor checks: is each configured model listed by the API, and when does it shut down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from layerminder.config import Settings
from layerminder.providers.base import ProviderError
from layerminder.providers.openai.client import call_with_retries, make_client

SHUTDOWN_WARNING_DAYS = 30


@dataclass(frozen=True)
class ModelCheck:
    """One configured model as `GET /v1/models` sees it. `warning` marks a shutdown soon."""

    model: str
    ok: bool
    message: str
    warning: bool = False
    shutdown_date: date | None = None


def _parse_shutdown(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC).date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


async def check_models(
    settings: Settings, models: Sequence[str] | None = None, *, today: date | None = None
) -> list[ModelCheck]:
    """Is each configured model listed by the API, and is its `shutdown_date` past or near?"""
    wanted = list(dict.fromkeys(models or [settings.image_model, settings.story_model]))
    today = today or datetime.now(UTC).date()
    try:
        client = make_client(settings)
    except ProviderError as error:
        return [ModelCheck(model, False, error.message) for model in wanted]
    try:

        async def list_models() -> dict[str, object]:
            listed: dict[str, object] = {}
            async for entry in client.models.list():
                # `shutdown_date` is optional: absent on older APIs and compatible servers.
                extra = entry.model_extra or {}
                listed[entry.id] = getattr(entry, "shutdown_date", None) or extra.get(
                    "shutdown_date"
                )
            return listed

        available = await call_with_retries(settings, "model listing", list_models)
    except ProviderError as error:
        return [
            ModelCheck(model, False, f"could not list models: {error.message}") for model in wanted
        ]
    finally:
        await client.close()

    checks: list[ModelCheck] = []
    for model in wanted:
        if model not in available:
            checks.append(
                ModelCheck(model, False, f"{model} is not available to this API key/endpoint")
            )
            continue
        shutdown = _parse_shutdown(available[model])
        if shutdown is None:
            checks.append(ModelCheck(model, True, f"{model} is available"))
        elif shutdown <= today:
            checks.append(
                ModelCheck(
                    model,
                    False,
                    f"{model} was shut down on {shutdown.isoformat()}: choose a current model",
                    shutdown_date=shutdown,
                )
            )
        elif shutdown - today <= timedelta(days=SHUTDOWN_WARNING_DAYS):
            days = (shutdown - today).days
            checks.append(
                ModelCheck(
                    model,
                    True,
                    f"{model} shuts down on {shutdown.isoformat()} (in {days} days): "
                    "move to its replacement",
                    warning=True,
                    shutdown_date=shutdown,
                )
            )
        else:
            checks.append(
                ModelCheck(
                    model,
                    True,
                    f"{model} is available (shutdown announced for {shutdown.isoformat()})",
                    shutdown_date=shutdown,
                )
            )
    return checks
