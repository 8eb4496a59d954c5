"""Credits through HTTP: balance, ledger, admin grants, concurrency keeping balance == ledger."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from layerminder.credits.repository import CreditRepository
from layerminder.db.session import unit_of_work
from layerminder.models import User, UserRole
from layerminder.runtime import Runtime
from tests.helpers import Account, signup


async def _make_admin(client: httpx.AsyncClient, runtime: Runtime) -> Account:
    account = await signup(client)
    async with unit_of_work(runtime.sessionmaker) as session:
        user = await session.scalar(select(User).where(User.email == account.email))
        assert user is not None
        user.role = UserRole.admin
    return account


async def _ledger_matches(runtime: Runtime, user_id: str) -> tuple[int, int]:
    import uuid

    async with runtime.sessionmaker() as session:
        repository = CreditRepository(session)
        uid = uuid.UUID(user_id)
        return await repository.balance(uid), await repository.ledger_sum(uid)


async def test_admin_grants_credits(client: httpx.AsyncClient, app: object) -> None:
    runtime: Runtime = app.state.runtime  # type: ignore[attr-defined]
    admin = await _make_admin(client, runtime)
    user = await signup(client)
    response = await client.post(
        "/api/v1/credits/add",
        json={"user_id": user.id, "amount": 25, "reason": "workshop"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["balance"] == 75
    ledger = (await client.get("/api/v1/credits", headers=user.headers)).json()
    assert ledger["balance"] == 75
    assert [(t["reason"], t["delta"]) for t in ledger["transactions"]] == [
        ("grant", 25),
        ("signup", 50),
    ]
    assert ledger["transactions"][0]["note"] == "workshop"


async def test_grant_with_idempotency_key_applies_once(
    client: httpx.AsyncClient, app: object
) -> None:
    runtime: Runtime = app.state.runtime  # type: ignore[attr-defined]
    admin = await _make_admin(client, runtime)
    user = await signup(client)
    headers = {**admin.headers, "Idempotency-Key": "invoice-42"}
    body = {"user_id": user.id, "amount": 10}
    first = await client.post("/api/v1/credits/add", json=body, headers=headers)
    second = await client.post("/api/v1/credits/add", json=body, headers=headers)
    assert first.json()["transaction"]["id"] == second.json()["transaction"]["id"]
    assert second.json()["balance"] == 60


async def test_grant_rules(client: httpx.AsyncClient, app: object) -> None:
    runtime: Runtime = app.state.runtime  # type: ignore[attr-defined]
    admin = await _make_admin(client, runtime)
    user = await signup(client)
    not_admin = await client.post(
        "/api/v1/credits/add", json={"user_id": user.id, "amount": 5}, headers=user.headers
    )
    assert not_admin.status_code == 403
    assert not_admin.json()["error"] == "AdminRequired"
    negative = await client.post(
        "/api/v1/credits/add", json={"user_id": user.id, "amount": -5}, headers=admin.headers
    )
    assert negative.status_code == 422
    nobody = await client.post(
        "/api/v1/credits/add",
        json={"user_id": "00000000-0000-0000-0000-000000000000", "amount": 5},
        headers=admin.headers,
    )
    assert nobody.status_code == 404
    anonymous = await client.get("/api/v1/credits")
    assert anonymous.status_code == 401


async def test_concurrent_grants_keep_balance_equal_to_ledger(
    client: httpx.AsyncClient, app: object
) -> None:
    runtime: Runtime = app.state.runtime  # type: ignore[attr-defined]
    admin = await _make_admin(client, runtime)
    user = await signup(client)
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/credits/add", json={"user_id": user.id, "amount": 3}, headers=admin.headers
            )
            for _ in range(20)
        )
    )
    assert all(r.status_code == 200 for r in responses)
    balance, ledger = await _ledger_matches(runtime, user.id)
    assert balance == ledger == 50 + 20 * 3
