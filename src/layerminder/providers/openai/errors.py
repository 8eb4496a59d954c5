"""SDK failures as ProviderErrors: which are transient, and what the user is told."""

from __future__ import annotations

import openai

from layerminder.providers.base import ProviderError

# Statuses worth another attempt. 408/409 are what the SDK's own retry logic treats as transient.
_TRANSIENT_STATUSES = frozenset({408, 409, 429})
# A 429 with these codes is a billing state, not a rate limit: waiting will not help.
_NON_TRANSIENT_429_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached"})


def api_message(error: openai.APIStatusError) -> str:
    """The API's own message (`{"error": {"message": ...}}`), not the SDK's repr of the body."""
    body = error.body
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message.strip():
            return message.strip()
    return error.message


def is_transient(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError):
        if error.status_code == 429 and error.code in _NON_TRANSIENT_429_CODES:
            return False
        return error.status_code in _TRANSIENT_STATUSES or error.status_code >= 500
    return False


def describe(error: BaseException) -> str:
    if isinstance(error, openai.APITimeoutError):
        return "the request timed out"
    if isinstance(error, openai.APIConnectionError):
        return f"could not connect ({error.message})"
    if isinstance(error, openai.APIStatusError):
        code = f" {error.code}" if error.code else ""
        return f"HTTP {error.status_code}{code}: {api_message(error)}"
    return str(error) or type(error).__name__


def as_provider_error(error: BaseException, what: str, attempts: int) -> ProviderError:
    if is_transient(error):
        tries = "attempt" if attempts == 1 else "attempts"
        return ProviderError(
            f"OpenAI {what} failed after {attempts} {tries}: {describe(error)}", retryable=True
        )
    if isinstance(error, openai.APIStatusError):
        # The API's message is what the user needs to see (e.g. a content-policy rejection).
        return ProviderError(api_message(error), retryable=False)
    return ProviderError(f"OpenAI {what} failed: {describe(error)}", retryable=False)


def retry_after_seconds(error: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), if it said so."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None
