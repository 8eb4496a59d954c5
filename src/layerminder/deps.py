"""FastAPI dependencies as Annotated aliases: the request's session, runtime and user."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.config import Settings
from layerminder.db.session import unit_of_work
from layerminder.errors import AdminRequired, NotAuthenticated
from layerminder.models import User, UserRole
from layerminder.runtime import Runtime
from layerminder.security.addresses import client_address
from layerminder.security.crypto import read_access_token, read_stream_ticket


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    # scope="function" below: commit before the response is sent, so a 2xx means "saved".
    async with unit_of_work(runtime.sessionmaker) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

_bearer = HTTPBearer(auto_error=False)


async def _user_from_token(token: str | None, runtime: Runtime) -> User:
    if not token:
        raise NotAuthenticated(
            "missing bearer token: log in and send Authorization: Bearer <token>"
        )
    claims = read_access_token(token, runtime.secret)
    if claims is None:
        raise NotAuthenticated("the access token is invalid or has expired: log in again")
    return await _load_user(*claims, runtime)


async def _load_user(user_id: uuid.UUID, version: int, runtime: Runtime) -> User:
    # A short session of its own: a route that never touches SessionDep (one that runs
    # runtime-level services opening their own units of work) then holds no transaction,
    # which SQLite's single writer would otherwise make those units of work wait on.
    async with runtime.sessionmaker() as session:
        user = await session.get(User, user_id)
    if user is None:
        raise NotAuthenticated("the account for this token no longer exists")
    if user.token_version != version:
        raise NotAuthenticated("this session was ended (password change or log out): log in again")
    return user


async def get_current_user(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    return await _user_from_token(credentials.credentials if credentials else None, runtime)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_stream_user(
    record_id: uuid.UUID,
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ticket: Annotated[
        str | None,
        Query(
            description="From POST /records/{record_id}/stream-ticket, for EventSource "
            "(which cannot send headers); valid for this record only, for seconds"
        ),
    ] = None,
) -> User:
    if credentials is not None:
        return await _user_from_token(credentials.credentials, runtime)
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


async def get_optional_user(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    if credentials is None:
        return None
    return await _user_from_token(credentials.credentials, runtime)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_admin_user(user: CurrentUser) -> User:
    if user.role != UserRole.admin:
        raise AdminRequired("this action needs an admin account")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]


def get_client_address(request: Request, runtime: RuntimeDep) -> str:
    return client_address(request, runtime.settings.trusted_proxy_networks)


ClientAddress = Annotated[str, Depends(get_client_address)]


# Rate limits as route dependencies: they run before the handler, so a refused request
# (429 RateLimited with Retry-After) has written nothing.
async def limit_signup(runtime: RuntimeDep, address: ClientAddress) -> None:
    await runtime.limiter.hit("signup", address, runtime.settings.limits_for("signup"))


async def limit_login_address(runtime: RuntimeDep, address: ClientAddress) -> None:
    await runtime.limiter.hit("login", address, runtime.settings.limits_for("login_address"))


async def limit_generate(runtime: RuntimeDep, user: CurrentUser) -> None:
    await runtime.limiter.hit("generate", str(user.id), runtime.settings.limits_for("generate"))


async def limit_upload(runtime: RuntimeDep, user: CurrentUser) -> None:
    await runtime.limiter.hit("upload", str(user.id), runtime.settings.limits_for("upload"))


class Page:
    """limit/offset query parameters shared by every listing."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[Page, Depends()]
