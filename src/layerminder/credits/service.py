"""Credit rules: every change is a ledger row plus a balance update in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.credits.repository import CreditRepository
from layerminder.errors import InsufficientCredits, InvalidRequest, NotFound
from layerminder.models import CreditReason, CreditTransaction


@dataclass
class GrantResult:
    balance: int
    transaction: CreditTransaction


async def open_account(session: AsyncSession, user_id: uuid.UUID, signup_credits: int) -> None:
    repository = CreditRepository(session)
    await repository.create_account(user_id)
    if signup_credits > 0:
        await _change(
            repository,
            user_id=user_id,
            delta=signup_credits,
            reason=CreditReason.signup,
            idempotency_key=f"signup:{user_id}",
            note="welcome credits",
        )


async def grant(
    session: AsyncSession,
    user_id: uuid.UUID,
    amount: int,
    *,
    note: str = "",
    idempotency_key: str | None = None,
) -> GrantResult:
    if amount <= 0:
        raise InvalidRequest("amount must be a positive number of credits")
    repository = CreditRepository(session)
    if not await repository.user_exists(user_id):
        raise NotFound(f"no user {user_id}")
    key = f"grant:{user_id}:{idempotency_key}" if idempotency_key else None
    applied = await _change(
        repository,
        user_id=user_id,
        delta=amount,
        reason=CreditReason.grant,
        idempotency_key=key,
        note=note,
    )
    transaction = applied or (await repository.find_by_key(key) if key else None)
    assert transaction is not None
    return GrantResult(balance=await repository.balance(user_id), transaction=transaction)


async def debit_for_generation(
    session: AsyncSession, user_id: uuid.UUID, record_id: uuid.UUID, cost: int
) -> int:
    """Spend `cost` credits for a record; raises InsufficientCredits and writes nothing."""
    return await _debit(
        CreditRepository(session),
        user_id,
        record_id,
        cost,
        attempt=0,
        note="",
        refusal=f"a generation costs {_credits(cost)}",
    )


def _run_key(kind: str, record_id: uuid.UUID, attempt: int) -> str:
    # The first run keeps the keys it always had; each retry (attempt n) has its own pair.
    return f"{kind}:{record_id}" if attempt == 0 else f"{kind}:{record_id}:{attempt}"


async def refund_generation(
    session: AsyncSession,
    user_id: uuid.UUID,
    record_id: uuid.UUID,
    cost: int,
    note: str,
    attempt: int = 0,
) -> bool:
    """Give a run's credit back, once per run: a second call (a retried job, a cancel racing a
    failure) does nothing."""
    applied = await _change(
        CreditRepository(session),
        user_id=user_id,
        delta=cost,
        reason=CreditReason.refund,
        record_id=record_id,
        idempotency_key=_run_key("refund", record_id, attempt),
        note=note[:500],
    )
    return applied is not None


async def debit_for_retry(
    session: AsyncSession, user_id: uuid.UUID, record_id: uuid.UUID, cost: int, attempt: int
) -> None:
    """Charge a retry of a refunded record again; raises InsufficientCredits and writes nothing."""
    await _debit(
        CreditRepository(session),
        user_id,
        record_id,
        cost,
        attempt=attempt,
        note="retry",
        refusal=f"retrying this record costs {_credits(cost)} (its credit was refunded)",
    )


async def debit_for_views(
    session: AsyncSession, user_id: uuid.UUID, record_id: uuid.UUID, views_id: uuid.UUID, cost: int
) -> None:
    """Spend `cost` credits on a design's views sheet, once per sheet (its id is the key);
    raises InsufficientCredits and writes nothing."""
    repository = CreditRepository(session)
    if await repository.apply_delta(user_id, -cost) is None:
        raise InsufficientCredits(
            f"a views sheet costs {_credits(cost)} and your balance is "
            f"{await repository.balance(user_id)}"
        )
    await repository.insert_transaction(
        user_id=user_id,
        delta=-cost,
        reason=CreditReason.generation,
        record_id=record_id,
        idempotency_key=f"views:{views_id}",
        note="views sheet",
    )


async def refund_views(
    session: AsyncSession,
    user_id: uuid.UUID,
    record_id: uuid.UUID,
    views_id: uuid.UUID,
    cost: int,
    note: str,
) -> bool:
    """Give a failed views sheet's credits back, once (a re-run job refunds nothing more)."""
    applied = await _change(
        CreditRepository(session),
        user_id=user_id,
        delta=cost,
        reason=CreditReason.refund,
        record_id=record_id,
        idempotency_key=f"views-refund:{views_id}",
        note=note[:500],
    )
    return applied is not None


def _credits(count: int) -> str:
    return f"{count} credit{'s' if count != 1 else ''}"


async def _debit(
    repository: CreditRepository,
    user_id: uuid.UUID,
    record_id: uuid.UUID,
    cost: int,
    *,
    attempt: int,
    note: str,
    refusal: str,
) -> int:
    """Spend a run's credits under that run's key; `refusal` begins the InsufficientCredits
    message. Returns the new balance."""
    balance = await repository.apply_delta(user_id, -cost)
    if balance is None:
        raise InsufficientCredits(
            f"{refusal} and your balance is {await repository.balance(user_id)}"
        )
    await repository.insert_transaction(
        user_id=user_id,
        delta=-cost,
        reason=CreditReason.generation,
        record_id=record_id,
        idempotency_key=_run_key("generation", record_id, attempt),
        note=note,
    )
    return balance


async def _change(
    repository: CreditRepository,
    *,
    user_id: uuid.UUID,
    delta: int,
    reason: CreditReason,
    idempotency_key: str | None,
    note: str,
    record_id: uuid.UUID | None = None,
) -> CreditTransaction | None:
    # Ledger row first: if its idempotency key was already used, the balance is left alone.
    transaction_id = await repository.insert_transaction(
        user_id=user_id,
        delta=delta,
        reason=reason,
        record_id=record_id,
        idempotency_key=idempotency_key,
        note=note,
    )
    if transaction_id is None:
        return None
    await repository.apply_delta(user_id, delta)
    return await repository.get_transaction(transaction_id)


async def balance(session: AsyncSession, user_id: uuid.UUID) -> int:
    return await CreditRepository(session).balance(user_id)


async def refunded_amounts(
    session: AsyncSession, record_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Which of these records have their credit back now, and how much came back."""
    return await CreditRepository(session).refunded_amounts(record_ids)


async def recent_transactions(
    session: AsyncSession, user_id: uuid.UUID, limit: int = 20
) -> list[CreditTransaction]:
    return await CreditRepository(session).recent(user_id, limit)


async def detach_ledger(session: AsyncSession, user_id: uuid.UUID) -> None:
    """A deleted account's ledger stays (the sums stay true) without the person in it."""
    await CreditRepository(session).detach(user_id)
