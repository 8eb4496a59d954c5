"""Account rules: unique emails, argon2id hashes, signup credits, tokens."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.auth.repository import UserRepository
from layerminder.auth.security import create_access_token, hash_password, verify_password
from layerminder.config import Settings, SignupMode
from layerminder.credits import service as credits
from layerminder.errors import EmailTaken, InvalidCredentials, NotAuthenticated, SignupClosed
from layerminder.invites import service as invites
from layerminder.models import Locale, User, UserRole

# Verifying against a real hash when the email is unknown keeps login timing uniform.
_DUMMY_HASH = hash_password("not-a-real-password")


async def create_user(
    session: AsyncSession, settings: Settings, email: str, password: str, *, admin: bool = False
) -> User:
    repository = UserRepository(session)
    email = email.strip().lower()
    if await repository.by_email(email) is not None:
        raise EmailTaken(f"an account with {email} already exists: log in instead")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=UserRole.admin if admin else UserRole.user,
    )
    try:
        async with session.begin_nested():
            await repository.add(user)
    except IntegrityError as exc:  # a concurrent signup with the same email won the race
        raise EmailTaken(f"an account with {email} already exists: log in instead") from exc
    await credits.open_account(session, user.id, settings.signup_credits)
    return user


async def sign_up(
    session: AsyncSession, settings: Settings, email: str, password: str, invite_code: str | None
) -> User:
    """Self-service sign-up under the configured mode (admins create accounts with the CLI)."""
    mode = settings.effective_signup_mode
    if mode is SignupMode.closed:
        raise SignupClosed("sign-up is closed on this server: ask its administrator for an account")
    if mode is SignupMode.invite:
        # Before the email check, so no one without a code learns which emails have accounts;
        # a failed sign-up rolls the use back with the rest of the transaction.
        await invites.redeem(session, invite_code)
    return await create_user(session, settings, email, password)


async def authenticate(session: AsyncSession, email: str, password: str) -> User:
    user = await UserRepository(session).by_email(email.strip())
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise InvalidCredentials("wrong email or password")
    if not verify_password(user.password_hash, password):
        raise InvalidCredentials("wrong email or password")
    return user


async def set_locale(session: AsyncSession, user: User, locale: Locale | None) -> User:
    """Save the studio language the user chose (None: back to following the browser)."""
    # The request's user came from a session of its own (deps._user_from_token): write
    # through this one, which the request dependency commits.
    updated = await UserRepository(session).set_locale(user.id, locale)
    if updated is None:  # deleted between the token check and now
        raise NotAuthenticated("the account for this token no longer exists")
    return updated


def issue_token(user: User, secret: str, settings: Settings) -> str:
    return create_access_token(user.id, secret, settings.jwt_expire_minutes)
