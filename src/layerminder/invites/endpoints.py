"""Invite routes (admin only): create a code, list them, revoke one."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import APIRouter, status

from layerminder.auth.dependencies import AdminUser
from layerminder.deps import PageDep, SessionDep
from layerminder.errors import AdminRequired, NotAuthenticated, NotFound, responses
from layerminder.invites import service
from layerminder.invites.schemas import InviteIn, InviteOut, NewInviteOut

router = APIRouter(prefix="/api/v1/invites", tags=["invites"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotAuthenticated, AdminRequired),
)
async def create_invite(body: InviteIn, admin: AdminUser, session: SessionDep) -> NewInviteOut:
    """A new invite code, returned once (only its hash is stored)."""
    created = await service.create(
        session,
        max_uses=body.max_uses,
        expires_in=timedelta(hours=body.expires_in_hours) if body.expires_in_hours else None,
        note=body.note,
        created_by=admin.id,
    )
    return NewInviteOut(**InviteOut.from_model(created.invite).model_dump(), code=created.code)


@router.get("", responses=responses(NotAuthenticated, AdminRequired))
async def list_invites(admin: AdminUser, session: SessionDep, page: PageDep) -> list[InviteOut]:
    return [
        InviteOut.from_model(i) for i in await service.list_recent(session, page.limit, page.offset)
    ]


@router.delete(
    "/{invite_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, AdminRequired, NotFound),
)
async def revoke_invite(invite_id: uuid.UUID, admin: AdminUser, session: SessionDep) -> None:
    await service.revoke(session, invite_id)
