"""Account rules: unique emails, argon2id hashes, signup credits, tokens."""

from __future__ import annotations

import functools
import logging
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.auth.repository import UserRepository
from layerminder.config import Settings, SignupMode
from layerminder.credits import service as credits
from layerminder.db.session import after_commit
from layerminder.errors import (
    EmailTaken,
    InvalidCredentials,
    NotAuthenticated,
    SignupClosed,
    WrongPassword,
)
from layerminder.images import service as images
from layerminder.invites import service as invites
from layerminder.models import ImageKind, Locale, User, UserRole
from layerminder.security.crypto import (
    create_access_token,
    hash_password,
    unusable_password_hash,
    verify_password,
)
from layerminder.storage.base import ObjectStorage

logger = logging.getLogger(__name__)

# The system account that owns the reference library's images (see `library_owner`).
LIBRARY_OWNER_EMAIL = "library@layerminder.local"

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
    # The request's user came from a session of its own (deps._authenticate): write
    # through this one, which the request dependency commits.
    updated = await UserRepository(session).set_locale(user.id, locale)
    if updated is None:  # deleted between the token check and now
        raise NotAuthenticated("the account for this token no longer exists")
    return updated


async def system_account(session: AsyncSession, email: str) -> User:
    """An account that only owns rows (the library's images): found, or made with no usable
    password, so nobody can log in as it."""
    repository = UserRepository(session)
    account = await repository.by_email(email)
    if account is None:
        account = await repository.add(
            User(
                email=email,
                password_hash=unusable_password_hash(),
                role=UserRole.admin,
            )
        )
    return account


async def library_owner(session: AsyncSession) -> User:
    """The system account that owns library images (it cannot log in)."""
    return await system_account(session, LIBRARY_OWNER_EMAIL)


def issue_token(user: User, secret: str, settings: Settings) -> str:
    return create_access_token(user.id, secret, settings.jwt_expire_minutes, user.token_version)


async def _current(session: AsyncSession, user: User) -> User:
    # The request's user came from a session of its own (deps._load_user): change the row
    # through this one, which the request dependency commits.
    fresh = await UserRepository(session).get(user.id)
    if fresh is None:
        raise NotAuthenticated("the account for this token no longer exists")
    return fresh


def _check_password(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password):
        raise WrongPassword("the current password is not right")


async def change_password(session: AsyncSession, user: User, current: str, new: str) -> User:
    """Set a new password (the current one required) and end every other session."""
    account = await _current(session, user)
    _check_password(account, current)
    account.password_hash = hash_password(new)
    account.token_version += 1
    await session.flush()
    return account


async def end_all_sessions(session: AsyncSession, user: User) -> None:
    """Log out everywhere: every token issued so far stops working on its next request."""
    account = await _current(session, user)
    account.token_version += 1
    await session.flush()


async def delete_account(
    session: AsyncSession, storage: ObjectStorage, user: User, password: str
) -> None:
    """Erase the account and what it made; keep only the ledger's sums, detached from it.

    Rooms, images, records, pins and favourites go with the user row (database cascades);
    the image bytes go after the commit (a rollback must not leave rows without bytes).
    Library references the user added stay in the library, handed to its system owner.
    """
    account = await _current(session, user)
    _check_password(account, password)
    keys = await images.storage_keys_of(session, account.id)
    await images.hand_over_references(session, account.id, (await library_owner(session)).id)
    await credits.detach_ledger(session, account.id)
    await UserRepository(session).delete(account)
    after_commit(session, functools.partial(_delete_bytes, storage, account.id, keys))


async def _delete_bytes(storage: ObjectStorage, user_id: uuid.UUID, keys: list[str]) -> None:
    # Also sweep the user's key prefixes: a generation still running at deletion time may have
    # written designs after the keys above were read.
    prefixes = [f"{kind.value}/{user_id}/" for kind in ImageKind if kind is not ImageKind.reference]
    for prefix in prefixes:
        try:
            keys.extend(await storage.list_keys(prefix))
        except Exception:
            logger.exception("could not list %s for a deleted account", prefix)
    for key in sorted(set(keys)):
        try:
            await storage.delete(key)
        except Exception:  # one missing or failing object must not keep the others
            logger.exception("could not delete %s of a deleted account", key)
