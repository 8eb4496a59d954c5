"""The SDK client and the retry policy every OpenAI call goes through."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

import openai
from openai import AsyncOpenAI
from pydantic import BaseModel
from tenacity import AsyncRetrying, RetryCallState, RetryError, retry_if_exception

from layerminder.config import Settings
from layerminder.providers.base import ProviderError
from layerminder.providers.openai.errors import (
    as_provider_error,
    describe,
    is_transient,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PROVIDER_NAME = "openai"


class _Backoff:
    """Exponential backoff with full jitter, honouring Retry-After, within a total sleep budget.

    The budget (`openai_max_retry_seconds`) bounds time spent *waiting*; each request is bounded
    separately by `openai_timeout_seconds`, so a slow image call does not eat the retry budget.
    """

    def __init__(self, budget_seconds: float) -> None:
        self.budget = max(0.0, budget_seconds)
        # First waits around 0.5 s in production; tiny when tests set a tiny budget.
        self.initial = min(0.5, self.budget / 8) if self.budget else 0.0
        self.cap = min(30.0, self.budget / 2)

    def __call__(self, state: RetryCallState) -> float:
        remaining = max(0.0, self.budget - state.idle_for)
        exponential = min(self.cap, self.initial * 2 ** (state.attempt_number - 1))
        wait = random.uniform(exponential / 2, exponential)
        outcome = state.outcome
        hinted = retry_after_seconds(outcome.exception() if outcome else None)
        if hinted is not None:
            wait = max(wait, hinted)
        return min(wait, remaining)

    def exhausted(self, state: RetryCallState) -> bool:
        return state.idle_for >= self.budget


async def call_with_retries(settings: Settings, what: str, call: Callable[[], Awaitable[T]]) -> T:
    """Run one API call, retrying transient failures; map every failure to ProviderError."""
    backoff = _Backoff(settings.openai_max_retry_seconds)
    max_attempts = max(1, settings.openai_max_attempts)

    def stop(state: RetryCallState) -> bool:
        return state.attempt_number >= max_attempts or backoff.exhausted(state)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "openai %s attempt %d failed, retrying: %s",
            what,
            state.attempt_number,
            describe(error) if error else "unknown error",
        )

    retrying = AsyncRetrying(
        stop=stop,
        wait=backoff,
        retry=retry_if_exception(is_transient),
        before_sleep=before_sleep,
        reraise=False,
    )

    async def attempt() -> T:
        # A coroutine function, so tenacity awaits it (a plain lambda's coroutine it would not).
        return await call()

    try:
        return await retrying(attempt)
    except RetryError as exhausted:
        last = exhausted.last_attempt
        error = last.exception()
        assert error is not None
        raise as_provider_error(error, what, last.attempt_number) from error
    except openai.OpenAIError as error:
        attempts = retrying.statistics.get("attempt_number", 1)
        raise as_provider_error(error, what, attempts) from error


def make_client(settings: Settings) -> AsyncOpenAI:
    """One SDK client; its own retries are off because tenacity owns the retry policy."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    if not key:
        if not settings.openai_base_url:
            raise ProviderError(
                "OPENAI_API_KEY is not set: set it (or LAYERMINDER_OPENAI_API_KEY), or use the "
                "local providers",
                retryable=False,
            )
        # Many OpenAI-compatible servers ignore the key, but the SDK insists on one.
        key = "not-needed"
    return AsyncOpenAI(
        api_key=key,
        base_url=settings.openai_base_url or None,
        timeout=settings.openai_timeout_seconds,
        max_retries=0,
    )


def add_usage(total: dict[str, int], usage: object) -> None:
    """Flatten the SDK's usage object (and its *_details) into int counters."""
    if usage is None:
        return
    raw = usage.model_dump() if isinstance(usage, BaseModel) else usage
    if not isinstance(raw, dict):
        return
    for key, value in raw.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, dict):
            prefix = key.removesuffix("_details").removesuffix("_tokens")
            for sub_key, sub_value in value.items():
                if isinstance(sub_value, int) and not isinstance(sub_value, bool):
                    name = f"{prefix}_{sub_key}"
                    total[name] = total.get(name, 0) + sub_value


class OpenAIProvider:
    """What both OpenAI providers share: the settings, their model and one SDK client."""

    name = PROVIDER_NAME

    def __init__(self, settings: Settings, model: str, client: AsyncOpenAI | None) -> None:
        self.settings = settings
        self.model = model
        self._client = client or make_client(settings)

    async def aclose(self) -> None:
        await self._client.close()
