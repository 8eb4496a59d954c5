"""Rate limits as route dependencies, by client address or by user (security.ratelimit counts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from layerminder.auth.dependencies import CurrentUser
from layerminder.deps import RuntimeDep
from layerminder.errors import RateLimited, raises
from layerminder.security.addresses import client_address


async def get_client_address(request: Request, runtime: RuntimeDep) -> str:
    return client_address(request, runtime.settings.trusted_proxy_networks)


ClientAddress = Annotated[str, Depends(get_client_address)]


# They run before the handler, so a refused request (429 RateLimited with Retry-After) has
# written nothing.
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
