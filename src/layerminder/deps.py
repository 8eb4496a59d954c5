"""FastAPI dependencies as Annotated aliases: the request's session, runtime and user."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.apikeys.repository import ApiKeyRepository
from layerminder.auth.repository import UserRepository
from layerminder.config import Settings
from layerminder.db.base import utcnow
from layerminder.db.session import reading, unit_of_work
from layerminder.errors import (
    AdminRequired,
    InsufficientScope,
    LoginRequired,
    NotAuthenticated,
    RateLimited,
    raises,
)
from layerminder.models import User, UserRole
from layerminder.runtime import Runtime
from layerminder.security.addresses import client_address
from layerminder.security.apikeys import Scope, is_api_key, parse_key, secret_matches
from layerminder.security.crypto import read_access_token, read_stream_ticket


# Dependencies are `async def` even where they await nothing: FastAPI runs a plain `def` one in
# its thread pool, a thread hop (and a GIL handover) per dependency per request.
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(runtime: RuntimeDep, request: Request) -> AsyncIterator[AsyncSession]:
    # scope="function" below: commit before the response is sent, so a 2xx means "saved".
    # GET and HEAD only read: their transactions take no write lock (db.session.reading).
    reads = request.method in _READ_METHODS
    async with unit_of_work(runtime.sessionmaker, read_only=reads) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

_bearer = HTTPBearer(
    auto_error=False,
    description="A login token (POST /api/v1/auth/login) or an API key `lm_…` "
    "(POST /api/v1/api-keys). A key with only the `read` scope may only read (GET); writing "
    "(uploads, generation, any change) needs `generate` (403 InsufficientScope). Account "
    "management (password, sessions, deletion, API keys, webhooks) needs a login token "
    "(403 LoginRequired).",
)

# The methods a `read` key may use.
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# last_used_at is written at most this often per key, not on every request.
_KEY_USE_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, and the scopes of the API key used (None: a login token)."""

    user: User
    scopes: frozenset[Scope] | None

    @property
    def is_api_key(self) -> bool:
        return self.scopes is not None


async def _authenticate(
    token: str | None, runtime: Runtime, reader: AsyncSession | None = None
) -> Principal:
    if not token:
        raise NotAuthenticated(
            "missing bearer token: log in and send Authorization: Bearer <token>"
        )
    if is_api_key(token):
        return await _load_key(token, runtime)
    claims = read_access_token(token, runtime.secret)
    if claims is None:
        raise NotAuthenticated("the access token is invalid or has expired: log in again")
    return Principal(await _load_user(*claims, runtime, reader), None)


async def _load_user(
    user_id: uuid.UUID, version: int, runtime: Runtime, reader: AsyncSession | None = None
) -> User:
    if reader is not None:
        user = await UserRepository(reader).get(user_id)
    else:
        # A short session of its own: a route that never touches SessionDep (one that runs
        # runtime-level services opening their own units of work) then holds no transaction,
        # which SQLite's single writer would otherwise make those units of work wait on.
        async with reading(runtime.sessionmaker) as session:
            user = await UserRepository(session).get(user_id)
    if user is None:
        raise NotAuthenticated("the account for this token no longer exists")
    if user.token_version != version:
        raise NotAuthenticated("this session was ended (password change or log out): log in again")
    return user


async def _load_key(token: str, runtime: Runtime) -> Principal:
    parsed = parse_key(token)
    if parsed is None:
        raise NotAuthenticated("this API key is malformed: copy the whole `lm_…` key")
    async with reading(runtime.sessionmaker) as session:
        key = await ApiKeyRepository(session).get(parsed.key_id)
        if key is None or not secret_matches(parsed.secret, key.secret_hash):
            raise NotAuthenticated("this API key is unknown or has been revoked")
        # The key row cascades away with its user, so a found key has a live user.
        user = await UserRepository(session).get(key.user_id)
    if user is None:
        raise NotAuthenticated("the account for this API key no longer exists")
    now = utcnow()
    # The write lock only when the stamp is stale: most requests with a key just read it.
    if key.last_used_at is None or now - key.last_used_at >= _KEY_USE_RESOLUTION:
        async with unit_of_work(runtime.sessionmaker) as session:
            await ApiKeyRepository(session).mark_used(key.id, now)
    scopes = frozenset(Scope(s) for s in key.scopes if s in Scope.__members__)
    return Principal(user, scopes)


def writes(route: APIRoute) -> bool:
    """Whether a `read` API key is refused on this route (for /openapi.json)."""
    if not route.methods or route.methods <= _READ_METHODS:
        return False

    def _uses(dependant: Dependant) -> bool:
        return dependant.call is get_current_user or any(map(_uses, dependant.dependencies))

    return _uses(route.dependant)


def _check_scopes(principal: Principal, method: str) -> User:
    if principal.scopes is None or Scope.generate in principal.scopes:
        return principal.user
    if method in _READ_METHODS and Scope.read in principal.scopes:
        return principal.user
    raise InsufficientScope(
        "this API key may only read: writing (uploads, generation, any change) needs a key "
        "with the `generate` scope"
    )


@raises(NotAuthenticated)
async def get_principal(
    runtime: RuntimeDep,
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # A GET looks its caller up in the route's own reading session (the same one SessionDep
    # gives the route): one session per request instead of two, a third of a plain GET's CPU
    # on SQLite. Anything else keeps a short session of its own (see _load_user); its unused
    # SessionDep costs nothing, as a session takes a connection only when first used.
    reader = session if request.method in _READ_METHODS else None
    return await _authenticate(credentials.credentials if credentials else None, runtime, reader)


async def get_current_user(
    request: Request, principal: Annotated[Principal, Depends(get_principal)]
) -> User:
    # Scopes follow the HTTP method, so every route (present and future) is covered: a
    # `read` key can never spend credits or change anything.
    return _check_scopes(principal, request.method)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_reading_user(principal: Annotated[Principal, Depends(get_principal)]) -> User:
    return _check_scopes(principal, "GET")


# For a POST that only reads (a search by image, a stream ticket): `read` keys may use it.
ReadingUser = Annotated[User, Depends(get_reading_user)]


@raises(LoginRequired)
async def get_session_user(principal: Annotated[Principal, Depends(get_principal)]) -> User:
    if principal.is_api_key:
        raise LoginRequired(
            "managing the account (password, sessions, deletion, API keys, webhooks) needs a "
            "login token, not an API key"
        )
    return principal.user


# A user logged in with a login token (API keys refused): for account management.
SessionUser = Annotated[User, Depends(get_session_user)]


@raises(NotAuthenticated)
async def get_stream_user(
    record_id: uuid.UUID,
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ticket: Annotated[
        str | None,
        Query(
            max_length=2000,
            description="From POST /records/{record_id}/stream-ticket, for EventSource "
            "(which cannot send headers); valid for this record only, for seconds",
        ),
    ] = None,
) -> User:
    if credentials is not None:
        return _check_scopes(await _authenticate(credentials.credentials, runtime), "GET")
    if "access_token" in request.query_params:
        # A login token in a URL ends up in access logs, proxies and browser history.
        raise NotAuthenticated(
            "login tokens are not accepted in URLs: send Authorization: Bearer, or get a "
            f"ticket from POST /api/v1/records/{record_id}/stream-ticket and pass ?ticket="
        )
    if not ticket:
        raise NotAuthenticated(
            "missing credentials: send Authorization: Bearer <token> or ?ticket=<stream ticket>"
        )
    claims = read_stream_ticket(ticket, record_id, runtime.secret)
    if claims is None:
        raise NotAuthenticated("the stream ticket is invalid, expired or for another record")
    return await _load_user(*claims, runtime)


StreamUser = Annotated[User, Depends(get_stream_user)]


@raises(NotAuthenticated, auth_optional=True)
async def get_optional_user(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    if credentials is None:
        return None
    return _check_scopes(await _authenticate(credentials.credentials, runtime), request.method)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


@raises(AdminRequired)
async def get_admin_user(user: CurrentUser) -> User:
    if user.role != UserRole.admin:
        raise AdminRequired("this action needs an admin account")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]


async def get_client_address(request: Request, runtime: RuntimeDep) -> str:
    return client_address(request, runtime.settings.trusted_proxy_networks)


ClientAddress = Annotated[str, Depends(get_client_address)]


# Rate limits as route dependencies: they run before the handler, so a refused request
# (429 RateLimited with Retry-After) has written nothing.
@raises(RateLimited)
async def limit_signup(runtime: RuntimeDep, address: ClientAddress) -> None:
    await runtime.limiter.hit("signup", address, runtime.settings.limits_for("signup"))


@raises(RateLimited)
async def limit_login_address(runtime: RuntimeDep, address: ClientAddress) -> None:
    await runtime.limiter.hit("login", address, runtime.settings.limits_for("login_address"))


@raises(RateLimited)
async def limit_generate(runtime: RuntimeDep, user: CurrentUser) -> None:
    await runtime.limiter.hit("generate", str(user.id), runtime.settings.limits_for("generate"))


@raises(RateLimited)
async def limit_upload(runtime: RuntimeDep, user: CurrentUser) -> None:
    await runtime.limiter.hit("upload", str(user.id), runtime.settings.limits_for("upload"))


MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True)
class Page:
    """limit/offset query parameters shared by every listing."""

    limit: int
    offset: int


async def get_page(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    # Bounded by the database's 32-bit integers: a larger offset is a 422, not a 500.
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(get_page)]
