"""API key routes: create (the key shown once), list, revoke; a login token is required."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from layerminder.apikeys import service
from layerminder.apikeys.schemas import ApiKeyIn, ApiKeyOut, NewApiKeyOut
from layerminder.auth.dependencies import SessionUser
from layerminder.deps import SessionDep
from layerminder.errors import InvalidRequest, LoginRequired, NotAuthenticated, NotFound, responses

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotAuthenticated, LoginRequired, InvalidRequest),
)
async def create_api_key(body: ApiKeyIn, user: SessionUser, session: SessionDep) -> NewApiKeyOut:
    """A new key `lm_…`, returned this once; send it as `Authorization: Bearer lm_…`."""
    created = await service.create(session, user, body.name, body.scopes)
    return NewApiKeyOut(**ApiKeyOut.from_model(created.api_key).model_dump(), key=created.key)


@router.get("", responses=responses(NotAuthenticated, LoginRequired))
async def list_api_keys(user: SessionUser, session: SessionDep) -> list[ApiKeyOut]:
    """The account's keys, newest first (never the keys themselves)."""
    return [ApiKeyOut.from_model(k) for k in await service.list_for_user(session, user)]


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, LoginRequired, NotFound),
)
async def revoke_api_key(key_id: uuid.UUID, user: SessionUser, session: SessionDep) -> None:
    """Revoke a key: it stops working at once."""
    await service.revoke(session, user, key_id)
