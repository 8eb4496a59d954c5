"""An account to hold the keys each test makes."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import Account, signup


@pytest.fixture
async def account(client: httpx.AsyncClient) -> Account:
    return await signup(client)
