"""SQL for credit accounts and the ledger; balance and ledger always change together."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.db.base import utcnow
from layerminder.models import CreditAccount, CreditReason, CreditTransaction, User

_IS_REFUND = CreditTransaction.reason == CreditReason.refund
# Built once: every record view runs it, and building a statement like this cost more CPU than
# running it (SQLAlchemy's coercions and cache key, per request).
_REFUNDED = (
    select(CreditTransaction.record_id, func.max(case((_IS_REFUND, CreditTransaction.delta))))
    .where(
        CreditTransaction.record_id.in_(bindparam("record_ids", expanding=True)),
        CreditTransaction.reason.in_((CreditReason.refund, CreditReason.generation)),
    )
    .group_by(CreditTransaction.record_id)
    .having(func.sum(CreditTransaction.delta) >= 0, func.count(case((_IS_REFUND, 1))) > 0)
)


class CreditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create_account(self, user_id: uuid.UUID) -> None:
        self.session.add(CreditAccount(user_id=user_id, balance=0))
        await self.session.flush()

    async def user_exists(self, user_id: uuid.UUID) -> bool:
        return await self.session.scalar(select(User.id).where(User.id == user_id)) is not None

    async def balance(self, user_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(CreditAccount.balance).where(CreditAccount.user_id == user_id)
        )
        return value or 0

    async def apply_delta(self, user_id: uuid.UUID, delta: int) -> int | None:
        """Add `delta` atomically; a debit only when the balance covers it. None: not applied."""
        statement = (
            update(CreditAccount)
            .where(CreditAccount.user_id == user_id)
            .values(balance=CreditAccount.balance + delta)
            .returning(CreditAccount.balance)
        )
        if delta < 0:
            statement = statement.where(CreditAccount.balance >= -delta)
        result = await self.session.execute(statement)
        return result.scalar_one_or_none()

    async def insert_transaction(
        self,
        *,
        user_id: uuid.UUID,
        delta: int,
        reason: str,
        record_id: uuid.UUID | None,
        idempotency_key: str | None,
        note: str,
    ) -> uuid.UUID | None:
        """Append a ledger row; None when a row with the same idempotency key already exists."""
        values = {
            "id": uuid.uuid4(),
            "user_id": user_id,
            "delta": delta,
            "reason": reason,
            "record_id": record_id,
            "idempotency_key": idempotency_key,
            "note": note,
            "created_at": utcnow(),
        }
        insert = (
            pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        statement = (
            insert(CreditTransaction)
            .values(**values)
            .on_conflict_do_nothing()
            .returning(CreditTransaction.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get_transaction(self, transaction_id: uuid.UUID) -> CreditTransaction | None:
        return await self.session.get(CreditTransaction, transaction_id)

    async def find_by_key(self, idempotency_key: str) -> CreditTransaction | None:
        return await self.session.scalar(
            select(CreditTransaction).where(CreditTransaction.idempotency_key == idempotency_key)
        )

    async def recent(self, user_id: uuid.UUID, limit: int) -> list[CreditTransaction]:
        rows = await self.session.scalars(
            select(CreditTransaction)
            .where(CreditTransaction.user_id == user_id)
            .order_by(CreditTransaction.created_at.desc(), CreditTransaction.id)
            .limit(limit)
        )
        return list(rows)

    async def ledger_sum(self, user_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(func.coalesce(func.sum(CreditTransaction.delta), 0)).where(
                CreditTransaction.user_id == user_id
            )
        )
        return int(value or 0)

    async def refunded_amounts(self, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        """Records whose credit is back now, and what the refund gave back.

        A retry charges a refunded record again, so refunded means refunds at least cancel the
        charges out, and there is a refund."""
        if not record_ids:
            return {}
        rows = await self.session.execute(_REFUNDED, {"record_ids": list(record_ids)})
        return {record_id: int(amount) for record_id, amount in rows if record_id is not None}

    async def detach(self, user_id: uuid.UUID) -> None:
        """Keep a deleted account's ledger rows (the sums stay true) without the person:
        no user, no free-text note, no idempotency key (some embed the user id)."""
        await self.session.execute(
            update(CreditTransaction)
            .where(CreditTransaction.user_id == user_id)
            .values(user_id=None, note="", idempotency_key=None)
        )
