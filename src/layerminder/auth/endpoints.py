"""Account routes: sign up, log in, me."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status

from layerminder.auth import service
from layerminder.auth.dependencies import CurrentUser, SessionUser
from layerminder.auth.limits import limit_login_address, limit_signup
from layerminder.auth.schemas import (
    AccountDeleteIn,
    AuthConfigOut,
    LoginIn,
    MeOut,
    MeUpdate,
    PasswordChangeIn,
    SignupIn,
    TokenOut,
)
from layerminder.credits import service as credits
from layerminder.deps import RuntimeDep, SessionDep
from layerminder.errors import (
    EmailTaken,
    InvalidCredentials,
    InviteRequired,
    LoginRequired,
    NotAuthenticated,
    RateLimited,
    SignupClosed,
    WrongPassword,
    responses,
)
from layerminder.models import Locale, User
from layerminder.runtime import Runtime

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


async def _token_out(runtime: Runtime, session: SessionDep, user: User) -> TokenOut:
    return TokenOut(
        access_token=service.issue_token(user, runtime.secret, runtime.settings),
        expires_in=runtime.settings.jwt_expire_minutes * 60,
        user=await _me(runtime, session, user),
    )


async def _me(runtime: Runtime, session: SessionDep, user: User) -> MeOut:
    return MeOut.from_model(
        user,
        credits=await credits.balance(session, user.id),
        generation_cost=runtime.settings.generation_cost,
    )


@router.get("/config")
async def auth_config(runtime: RuntimeDep) -> AuthConfigOut:
    """How accounts are made here: `open`, `invite` (a code is needed) or `closed`."""
    return AuthConfigOut(signup_mode=runtime.settings.effective_signup_mode.value)


@router.post(
    "/signup",
    status_code=status.HTTP_201_CREATED,
    responses=responses(EmailTaken, SignupClosed, InviteRequired, RateLimited),
    dependencies=[Depends(limit_signup)],
)
async def signup(body: SignupIn, runtime: RuntimeDep, session: SessionDep) -> TokenOut:
    """Create an account (limited per client address; an invite code when invite-only)."""
    user = await service.sign_up(
        session, runtime.settings, body.email, body.password, body.invite_code
    )
    return await _token_out(runtime, session, user)


@router.post(
    "/login",
    responses=responses(InvalidCredentials, RateLimited),
    dependencies=[Depends(limit_login_address)],
)
async def login(body: LoginIn, runtime: RuntimeDep, session: SessionDep) -> TokenOut:
    """Log in; attempts are limited per address and per account, with growing waits."""
    account = body.email.strip().lower()
    tiers = runtime.settings.limits_for("login_account")
    await runtime.limiter.hit("login", account, tiers)
    user = await service.authenticate(session, body.email, body.password)
    await runtime.limiter.clear("login", account, tiers)
    return await _token_out(runtime, session, user)


@router.get("/me", responses=responses(NotAuthenticated))
async def me(user: CurrentUser, session: SessionDep, runtime: RuntimeDep) -> MeOut:
    return await _me(runtime, session, user)


@router.patch("/me", responses=responses(NotAuthenticated))
async def update_me(
    body: MeUpdate, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> MeOut:
    """Change the account's settings: today the studio language (`ko`, `en`, or null)."""
    if "locale" in body.model_fields_set:
        locale = Locale(body.locale) if body.locale is not None else None
        user = await service.set_locale(session, user, locale)
    return await _me(runtime, session, user)


async def _password_attempt(runtime: Runtime, user: User) -> None:
    # Asking for the password again must not become a way around the login limits.
    await runtime.limiter.hit(
        "password", str(user.id), runtime.settings.limits_for("login_account")
    )


@router.post(
    "/password", responses=responses(NotAuthenticated, LoginRequired, WrongPassword, RateLimited)
)
async def change_password(
    body: PasswordChangeIn, user: SessionUser, session: SessionDep, runtime: RuntimeDep
) -> TokenOut:
    """Change the password (the current one is required); every other session ends, and the
    token returned here replaces this one."""
    await _password_attempt(runtime, user)
    account = await service.change_password(session, user, body.current_password, body.new_password)
    return await _token_out(runtime, session, account)


@router.post(
    "/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, LoginRequired),
)
async def log_out_everywhere(user: SessionUser, session: SessionDep) -> None:
    """End every session of this account, this one included."""
    await service.end_all_sessions(session, user)


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, LoginRequired, WrongPassword, RateLimited),
)
async def delete_me(
    body: AccountDeleteIn, user: SessionUser, session: SessionDep, runtime: RuntimeDep
) -> None:
    """Delete this account: rooms, images (and their bytes), records, pins and favourites.

    The credit ledger keeps its rows, detached from the account. Every token stops working
    at once. The password is asked again.
    """
    await _password_attempt(runtime, user)
    await service.delete_account(session, runtime.storage, user, body.password)
