"""Who is calling: a bearer token (login token or API key) read into a Principal, and its scopes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.apikeys import service as apikeys
from layerminder.auth.key_use import KeyUse, key_uses
from layerminder.auth.repository import UserRepository
from layerminder.db.base import utcnow
from layerminder.db.session import reading
from layerminder.errors import InsufficientScope, NotAuthenticated
from layerminder.models import User
from layerminder.runtime import Runtime
from layerminder.security.apikeys import Scope, is_api_key, parse_key, secret_matches
from layerminder.security.crypto import read_access_token

# The methods a `read` API key may use (what a request may do, not how its transaction runs:
# see deps.READ_ONLY_METHODS for that).
READ_KEY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, and the scopes of the API key used (None: a login token)."""

    user: User
    scopes: frozenset[Scope] | None
    # The key's last-use stamp, due once the request is answered (auth.key_use).
    key_use: KeyUse | None = None

    @property
    def is_api_key(self) -> bool:
        return self.scopes is not None


async def authenticate(
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
    return Principal(await load_user(*claims, runtime, reader), None)


async def load_user(
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
        key = await apikeys.get_key(session, parsed.key_id)
        if key is None or not secret_matches(parsed.secret, key.secret_hash):
            raise NotAuthenticated("this API key is unknown or has been revoked")
        # The key row cascades away with its user, so a found key has a live user.
        user = await UserRepository(session).get(key.user_id)
    if user is None:
        raise NotAuthenticated("the account for this API key no longer exists")
    scopes = frozenset(Scope(s) for s in key.scopes if s in Scope.__members__)
    return Principal(user, scopes, key_uses.claim(key.id, key.last_used_at, utcnow()))


async def stamp_key_use(principal: Principal | None, runtime: Runtime) -> None:
    """Write the principal's due last-use stamp, if any (after the response: see
    auth.dependencies)."""
    if principal is not None and principal.key_use is not None:
        await key_uses.write(principal.key_use, runtime.sessionmaker)


def check_scopes(principal: Principal, method: str) -> User:
    if principal.scopes is None or Scope.generate in principal.scopes:
        return principal.user
    if method in READ_KEY_METHODS and Scope.read in principal.scopes:
        return principal.user
    raise InsufficientScope(
        "this API key may only read: writing (uploads, generation, any change) needs a key "
        "with the `generate` scope"
    )
