"""Typed errors for every expected failure, and the one handler that renders them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException


class ErrorBody(BaseModel):
    error: str
    detail: str


class LayerminderError(Exception):
    """An expected failure: rendered as {"error": <class name>, "detail": message}."""

    status_code: ClassVar[int] = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def code(self) -> str:
        return type(self).__name__

    @property
    def headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"} if self.status_code == 401 else None


class NotAuthenticated(LayerminderError):
    status_code = 401


class InvalidCredentials(LayerminderError):
    status_code = 401


class InsufficientCredits(LayerminderError):
    status_code = 402


class AdminRequired(LayerminderError):
    status_code = 403


class WrongPassword(LayerminderError):
    """The account's current password, asked again before a sensitive change, did not match.

    403, not 401: the session itself is fine and must not be ended by a typo."""

    status_code = 403


class InsufficientScope(LayerminderError):
    """An API key used for something its scopes do not cover (a `read` key writing)."""

    status_code = 403


class LoginRequired(LayerminderError):
    """Account management (password, sessions, deletion, API keys, webhooks) takes a login
    token: a leaked API key must not be able to mint more keys or take the account over."""

    status_code = 403


class SignupClosed(LayerminderError):
    status_code = 403


class InviteRequired(LayerminderError):
    """Invite-only sign-up without a code, or with one that is unknown, used up or expired."""

    status_code = 403


class NotFound(LayerminderError):
    status_code = 404


class Conflict(LayerminderError):
    status_code = 409


class EmailTaken(Conflict):
    pass


class AlreadyFinished(Conflict):
    """A cancel of a record that had already ended (ready or failed)."""


class NothingToRetry(Conflict):
    """A retry of a record with no failed or cancelled stage (or one still running)."""


class ImageTooLarge(LayerminderError):
    status_code = 413


class InvalidImage(LayerminderError):
    status_code = 422


class InvalidRequest(LayerminderError):
    status_code = 422


class InvalidMask(LayerminderError):
    """A region-edit mask that is not a PNG the image's size, or marks no pixel."""

    status_code = 422


class InvalidMarkup(LayerminderError):
    """A markup that is not a transparent PNG the image's size, or holds no stroke."""

    status_code = 422


class AddressNotAllowed(InvalidRequest):
    """A webhook URL whose host is (or resolves to) a private, loopback or link-local address."""


class RateLimited(LayerminderError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}


class ServiceUnavailable(LayerminderError):
    status_code = 503


class ValidationError(LayerminderError):
    """Input that does not fit the route's schema (FastAPI's validation, an unparsable body)."""

    status_code = 422


class MethodNotAllowed(LayerminderError):
    status_code = 405

    def __init__(self, message: str, allow: list[str]) -> None:
        super().__init__(message)
        self.allow = allow

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Allow": ", ".join(self.allow)}


_Call = TypeVar("_Call", bound=Callable[..., Any])
_RAISES = "__layerminder_raises__"
_OPTIONAL_AUTH = "__layerminder_optional_auth__"


def raises(
    *errors: type[LayerminderError], auth_optional: bool = False
) -> Callable[[_Call], _Call]:
    """Mark a route dependency with the errors it can answer, so every route using it
    documents them (layerminder.contract reads the marks); `auth_optional`: it reads a
    bearer token when one is sent and lets anonymous requests through."""

    def mark(call: _Call) -> _Call:
        setattr(call, _RAISES, errors)
        setattr(call, _OPTIONAL_AUTH, auth_optional)
        return call

    return mark


def declared_errors(call: Callable[..., Any]) -> tuple[type[LayerminderError], ...]:
    found: tuple[type[LayerminderError], ...] = getattr(call, _RAISES, ())
    return found


def optional_auth(call: Callable[..., Any]) -> bool:
    return bool(getattr(call, _OPTIONAL_AUTH, False))


def responses(*errors: type[LayerminderError]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route, so the OpenAPI spec (and the TS client) know its errors."""
    by_status: dict[int | str, list[str]] = {}
    for error in errors:
        by_status.setdefault(error.status_code, []).append(error.__name__)
    return {
        status: {"model": ErrorBody, "description": " | ".join(names)}
        for status, names in by_status.items()
    }


def _body(code: str, detail: str) -> dict[str, str]:
    return {"error": code, "detail": detail}


def _format_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        location = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",))
        parts.append(f"{location}: {err.get('msg', 'invalid')}" if location else err.get("msg", ""))
    # FastAPI reports a bad path parameter once per dependency that reads it: say it once.
    return "; ".join(dict.fromkeys(parts)) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LayerminderError)
    async def _layerminder_error(_: Request, exc: LayerminderError) -> JSONResponse:
        return JSONResponse(_body(exc.code, exc.message), exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_body("ValidationError", _format_validation(exc)), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's "There was an error parsing the body" (a JSON document nested past
            # Python's recursion limit, a broken multipart body): input that does not parse,
            # which is the 422 every route documents.
            return JSONResponse(
                _body("ValidationError", f"the request body could not be parsed: {exc.detail}"),
                422,
            )
        codes = {404: "NotFound", 405: "MethodNotAllowed", 401: "NotAuthenticated"}
        code = codes.get(exc.status_code, "HTTPError")
        return JSONResponse(
            _body(code, str(exc.detail)), exc.status_code, headers=getattr(exc, "headers", None)
        )
