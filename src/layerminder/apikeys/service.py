"""API key rules: a key is random, shown once, stored as a hash; a user holds a few."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.apikeys.repository import ApiKeyRepository
from layerminder.errors import InvalidRequest, NotFound
from layerminder.models import ApiKey, User
from layerminder.security.apikeys import Scope, new_key

# Enough for every script and integration a person runs; a cap keeps a runaway loop from
# filling the table.
MAX_KEYS_PER_USER = 50


@dataclass
class CreatedKey:
    api_key: ApiKey
    key: str  # the only time the key exists in clear


async def create(
    session: AsyncSession, user: User, name: str, scopes: Sequence[Scope]
) -> CreatedKey:
    repository = ApiKeyRepository(session)
    if await repository.count_for_user(user.id) >= MAX_KEYS_PER_USER:
        raise InvalidRequest(f"an account holds at most {MAX_KEYS_PER_USER} API keys: revoke one")
    made = new_key()
    api_key = await repository.add(
        ApiKey(
            id=made.key_id,
            user_id=user.id,
            name=name.strip(),
            prefix=made.prefix,
            secret_hash=made.secret_hash,
            scopes=sorted({Scope(s).value for s in scopes}),
        )
    )
    return CreatedKey(api_key, made.key)


async def list_for_user(session: AsyncSession, user: User) -> Sequence[ApiKey]:
    return await ApiKeyRepository(session).list_for_user(user.id)


async def revoke(session: AsyncSession, user: User, key_id: uuid.UUID) -> None:
    """Delete the key: the next request with it is refused (keys are checked on every one)."""
    repository = ApiKeyRepository(session)
    key = await repository.get_owned(key_id, user.id)
    if key is None:
        raise NotFound(f"no API key {key_id}")
    await repository.delete(key)


async def get_key(session: AsyncSession, key_id: uuid.UUID) -> ApiKey | None:
    """Any user's key by id, for authentication (which checks its secret)."""
    return await ApiKeyRepository(session).get(key_id)


async def mark_used(session: AsyncSession, key_id: uuid.UUID, at: datetime) -> None:
    await ApiKeyRepository(session).mark_used(key_id, at)
