"""`layerminder invites` as an admin runs it; the code it prints opens an invite-only sign-up."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from layerminder.app import create_app
from layerminder.config import Settings
from tests.cli.test_main import cli

pytestmark = pytest.mark.slow


async def test_invites_create_list_revoke(tmp_path: Path) -> None:
    data = tmp_path / "data"
    created = cli(data, "invites", "create", "--uses", "2", "--note", "pilot studio")
    assert created.returncode == 0, created.stderr
    match = re.search(r"invite code: (inv_\S+)", created.stdout)
    assert match, created.stdout
    code = match.group(1)

    settings = Settings(
        _env_file=None, data_dir=data, signup_mode="invite", seed_library=False, web_dir=tmp_path
    )
    async with LifespanManager(create_app(settings)) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            signed_up = await client.post(
                "/api/v1/auth/signup",
                json={"email": "pilot@studio.io", "password": "long-password", "invite_code": code},
            )
            assert signed_up.status_code == 201, signed_up.text

    listed = cli(data, "invites", "list")
    assert listed.returncode == 0, listed.stderr
    assert "1/2" in listed.stdout and "pilot studio" in listed.stdout
    assert code not in listed.stdout  # only a prefix is ever shown again
    invite_id = re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", listed.stdout)
    assert invite_id
    revoked = cli(data, "invites", "revoke", invite_id.group(0))
    assert revoked.returncode == 0, revoked.stderr
    assert "pilot studio" not in cli(data, "invites", "list").stdout
    missing = cli(data, "invites", "revoke", invite_id.group(0))
    assert missing.returncode == 1 and "no invite" in missing.stderr
