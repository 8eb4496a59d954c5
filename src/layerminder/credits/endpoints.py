"""Credit routes: the caller's balance and ledger; admin grants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query

from layerminder.auth.dependencies import AdminUser, CurrentUser
from layerminder.credits import service
from layerminder.credits.schemas import (
    CreditGrantIn,
    CreditGrantOut,
    CreditsOut,
    CreditTransactionOut,
)
from layerminder.deps import SessionDep
from layerminder.errors import AdminRequired, InvalidRequest, NotAuthenticated, NotFound, responses

router = APIRouter(prefix="/api/v1/credits", tags=["credits"])


@router.get("", responses=responses(NotAuthenticated))
async def get_credits(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CreditsOut:
    transactions = await service.recent_transactions(session, user.id, limit)
    return CreditsOut(
        balance=await service.balance(session, user.id),
        transactions=[CreditTransactionOut.model_validate(t) for t in transactions],
    )


@router.post("/add", responses=responses(NotAuthenticated, AdminRequired, NotFound, InvalidRequest))
async def add_credits(
    body: CreditGrantIn,
    admin: AdminUser,
    session: SessionDep,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> CreditGrantOut:
    result = await service.grant(
        session,
        body.user_id,
        body.amount,
        note=body.reason or f"granted by {admin.email}",
        idempotency_key=idempotency_key,
    )
    return CreditGrantOut(
        user_id=body.user_id,
        balance=result.balance,
        transaction=CreditTransactionOut.model_validate(result.transaction),
    )
