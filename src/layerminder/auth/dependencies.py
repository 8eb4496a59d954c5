"""Who may call a route: one `Authenticator`, and an Annotated alias for each kind of route.

Which alias a route takes:

- `CurrentUser`: the default. A login token, or an API key by its scope: a `read` key may use
  GET, HEAD and OPTIONS only (403 InsufficientScope), a `generate` key anything.
- `ReadingUser`: a POST that only reads (a search by image, a stream ticket): `read` keys too.
- `SessionUser`: account management (password, sessions, deletion, API keys, webhooks): a login
  token only, never an API key (403 LoginRequired).
- `AdminUser`: as `CurrentUser`, from an admin account (403 AdminRequired).
- `OptionalUser`: a resource anonymous callers may get too (None without a bearer token) and a
  signed-in caller may get more of; a token sent is checked as for `CurrentUser`.
- `StreamUser`: an event stream under a `{record_id}`: as `ReadingUser`, or `?ticket=` from
  POST /records/{record_id}/stream-ticket, for EventSource (which cannot send headers).

A new kind of route is a new `Authenticator(...)`, not a new function. The caller is looked up
once per request, however many aliases a route takes (FastAPI caches `get_principal`); an API
key's last-use stamp is written after the response (`auth.key_use`).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from enum import Enum
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from layerminder.auth.principals import (
    READ_KEY_METHODS,
    Principal,
    authenticate,
    check_scopes,
    load_user,
    stamp_key_use,
)
from layerminder.deps import READ_ONLY_METHODS, RuntimeDep, SessionDep
from layerminder.errors import AdminRequired, LoginRequired, NotAuthenticated, raises
from layerminder.models import User, UserRole
from layerminder.security.crypto import read_stream_ticket

_bearer = HTTPBearer(
    auto_error=False,
    description="A login token (POST /api/v1/auth/login) or an API key `lm_…` "
    "(POST /api/v1/api-keys). A key with only the `read` scope may only read (GET); writing "
    "(uploads, generation, any change) needs `generate` (403 InsufficientScope). Account "
    "management (password, sessions, deletion, API keys, webhooks) needs a login token "
    "(403 LoginRequired).",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


@raises(NotAuthenticated)
async def get_principal(
    runtime: RuntimeDep, request: Request, session: SessionDep, credentials: BearerDep
) -> Principal:
    # A GET looks its caller up in the route's own reading session (the same one SessionDep
    # gives the route): one session per request instead of two, a third of a plain GET's CPU
    # on SQLite. Anything else keeps a short session of its own (see principals.load_user); its
    # unused SessionDep costs nothing, as a session takes a connection only when first used.
    reader = session if request.method in READ_ONLY_METHODS else None
    return await authenticate(credentials.credentials if credentials else None, runtime, reader)


async def _stamped_principal(
    principal: Annotated[Principal, Depends(get_principal)], runtime: RuntimeDep
) -> AsyncIterator[Principal]:
    # A `yield` dependency of request scope: the code after it runs once the response is sent
    # (before an error response), so a key's stamp keeps the caller waiting for nothing.
    try:
        yield principal
    finally:
        await stamp_key_use(principal, runtime)


class KeyAccess(Enum):
    """What API keys may do on a route (login tokens may do anything but what it refuses)."""

    by_method = "by_method"  # `read` keys on GET, HEAD, OPTIONS; `generate` keys everywhere
    read = "read"  # `read` keys too, whatever the method: a POST that only reads
    refused = "refused"  # login tokens only


class Authenticator:
    """A route dependency: the callers one kind of route admits.

    Used itself (`Depends(Authenticator())`), it takes the bearer token (401 without one);
    `.optional` admits anonymous callers too, `.stream` a stream ticket instead of a token."""

    def __init__(self, keys: KeyAccess = KeyAccess.by_method, *, admin: bool = False) -> None:
        self.keys = keys
        self.admin = admin
        # Its errors, for the contract to document on every route taking it (beside
        # NotAuthenticated from get_principal; InsufficientScope is listed by app.py).
        refused = (LoginRequired,) if keys is KeyAccess.refused else ()
        raises(*refused, *((AdminRequired,) if admin else ()))(self)

    def admit(self, principal: Principal, method: str) -> User:
        if self.keys is KeyAccess.refused and principal.is_api_key:
            raise LoginRequired(
                "managing the account (password, sessions, deletion, API keys, webhooks) needs "
                "a login token, not an API key"
            )
        # Scopes follow the HTTP method, so every route (present and future) is covered: a
        # `read` key can never spend credits or change anything.
        user = check_scopes(principal, "GET" if self.keys is KeyAccess.read else method)
        if self.admin and user.role != UserRole.admin:
            raise AdminRequired("this action needs an admin account")
        return user

    async def __call__(
        self, request: Request, principal: Annotated[Principal, Depends(_stamped_principal)]
    ) -> User:
        return self.admit(principal, request.method)

    @raises(NotAuthenticated, auth_optional=True)
    async def optional(
        self, request: Request, runtime: RuntimeDep, credentials: BearerDep
    ) -> AsyncIterator[User | None]:
        if credentials is None:
            yield None
            return
        principal = await authenticate(credentials.credentials, runtime)
        try:
            yield self.admit(principal, request.method)
        finally:
            await stamp_key_use(principal, runtime)

    @raises(NotAuthenticated)
    async def stream(
        self,
        record_id: uuid.UUID,
        request: Request,
        runtime: RuntimeDep,
        credentials: BearerDep,
        ticket: Annotated[
            str | None,
            Query(
                max_length=2000,
                description="From POST /records/{record_id}/stream-ticket, for EventSource "
                "(which cannot send headers); valid for this record only, for seconds",
            ),
        ] = None,
    ) -> AsyncIterator[User]:
        if credentials is not None:
            principal = await authenticate(credentials.credentials, runtime)
            try:
                yield self.admit(principal, request.method)
            finally:
                await stamp_key_use(principal, runtime)
            return
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
        yield await load_user(*claims, runtime)


CurrentUser = Annotated[User, Depends(Authenticator())]
ReadingUser = Annotated[User, Depends(Authenticator(KeyAccess.read))]
SessionUser = Annotated[User, Depends(Authenticator(KeyAccess.refused))]
AdminUser = Annotated[User, Depends(Authenticator(admin=True))]
OptionalUser = Annotated[User | None, Depends(Authenticator().optional)]
StreamUser = Annotated[User, Depends(Authenticator(KeyAccess.read).stream)]


def writes(route: APIRoute) -> bool:
    """Whether a `read` API key is refused on this route (for /openapi.json)."""
    if not route.methods or route.methods <= READ_KEY_METHODS:
        return False

    def _uses(dependant: Dependant) -> bool:
        call = dependant.call
        by_method = isinstance(call, Authenticator) and call.keys is KeyAccess.by_method
        return by_method or any(map(_uses, dependant.dependencies))

    return _uses(route.dependant)
