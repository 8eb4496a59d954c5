"""Schemathesis hooks (SCHEMATHESIS_HOOKS=tests.api.schemathesis_hooks): log in as the test's
admin account, and again whenever the token stops working.

A fixed token would not last the run: `POST /auth/logout-all` is one of the operations under
test and ends every session of the account. Schemathesis asks `get` again on a 401.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis


@schemathesis.auth()
class AdminLogin:
    def get(self, case: Any, ctx: Any) -> str:
        response = httpx.post(
            f"{os.environ['LM_ST_BASE_URL']}/api/v1/auth/login",
            json={"email": os.environ["LM_ST_EMAIL"], "password": os.environ["LM_ST_PASSWORD"]},
            timeout=60,
        )
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
