"""Sign up, log in, me: through HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import stat

import httpx
import jwt
import pytest

from layerminder.config import Settings
from layerminder.security.crypto import WeakSecret, load_signing_secret
from tests.helpers import signup


async def test_signup_returns_token_user_and_signup_credits(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/signup", json={"email": "Ada@Example.com", "password": "s3cret-pass"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["credits"] == 50
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["credits"] == 50
    assert me.json()["generation_cost"] == 1
    assert me.json()["role"] == "user"
    credits = await client.get(
        "/api/v1/credits", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert [t["reason"] for t in credits.json()["transactions"]] == ["signup"]


async def test_duplicate_email_is_409_case_insensitive(client: httpx.AsyncClient) -> None:
    await signup(client, "dup@example.com")
    response = await client.post(
        "/api/v1/auth/signup", json={"email": "DUP@example.com", "password": "another-pass"}
    )
    assert response.status_code == 409
    assert response.json()["error"] == "EmailTaken"


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": "long-enough"},
        {"email": "short@example.com", "password": "short"},
        {"email": "missing@example.com"},
    ],
)
async def test_bad_signup_is_422_with_error_body(
    client: httpx.AsyncClient, payload: dict[str, str]
) -> None:
    response = await client.post("/api/v1/auth/signup", json=payload)
    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"
    assert response.json()["detail"]


async def test_login(client: httpx.AsyncClient) -> None:
    await signup(client, "login@example.com")
    ok = await client.post(
        "/api/v1/auth/login", json={"email": "LOGIN@example.com", "password": "correct horse"}
    )
    assert ok.status_code == 200
    assert ok.json()["user"]["email"] == "login@example.com"
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": "login@example.com", "password": "wrong horse"}
    )
    assert wrong.status_code == 401
    assert wrong.json() == {"error": "InvalidCredentials", "detail": "wrong email or password"}
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "whatever1"}
    )
    assert unknown.status_code == 401


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}],
)
async def test_me_needs_a_valid_token(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "NotAuthenticated"


async def test_expired_and_forged_tokens_are_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    account = await signup(client)
    secret = load_signing_secret(settings)
    expired = jwt.encode({"sub": account.id, "exp": 1}, secret, algorithm="HS256")
    forged = jwt.encode({"sub": account.id, "exp": 4102444800}, "x" * 40, algorithm="HS256")
    for token in (expired, forged):
        response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


async def test_development_secret_is_generated_once_with_mode_0600(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    path = settings.secret_file
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_signing_secret(settings) == path.read_text().strip()


def test_production_refuses_a_missing_or_weak_secret(tmp_path: object) -> None:
    with pytest.raises(WeakSecret):
        load_signing_secret(Settings(_env_file=None, env="production"))
    with pytest.raises(WeakSecret):
        load_signing_secret(Settings(_env_file=None, env="production", jwt_secret="short"))
    strong = "s" * 48
    assert (
        load_signing_secret(Settings(_env_file=None, env="production", jwt_secret=strong)) == strong
    )


async def test_locale_is_unset_until_chosen_then_saved_and_returned_everywhere(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client, "hangul@example.com")
    me = await client.get("/api/v1/auth/me", headers=account.headers)
    assert me.json()["locale"] is None

    patched = await client.patch("/api/v1/auth/me", json={"locale": "ko"}, headers=account.headers)
    assert patched.status_code == 200
    assert patched.json()["locale"] == "ko"
    assert patched.json()["email"] == "hangul@example.com"
    assert patched.json()["credits"] == 50

    # Saved: a later read and a fresh login both carry it.
    assert (await client.get("/api/v1/auth/me", headers=account.headers)).json()["locale"] == "ko"
    login = await client.post(
        "/api/v1/auth/login", json={"email": "hangul@example.com", "password": "correct horse"}
    )
    assert login.json()["user"]["locale"] == "ko"

    # Switching back and forth, and null to follow the browser again.
    for value in ("en", None):
        response = await client.patch(
            "/api/v1/auth/me", json={"locale": value}, headers=account.headers
        )
        assert response.status_code == 200
        assert response.json()["locale"] == value
        me = await client.get("/api/v1/auth/me", headers=account.headers)
        assert me.json()["locale"] == value


async def test_patch_me_without_locale_keeps_it(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    await client.patch("/api/v1/auth/me", json={"locale": "ko"}, headers=account.headers)
    response = await client.patch("/api/v1/auth/me", json={}, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["locale"] == "ko"


@pytest.mark.parametrize(
    "payload",
    [{"locale": "fr"}, {"locale": "KO"}, {"locale": "ko-KR"}, {"locale": 1}, {"role": "admin"}],
)
async def test_patch_me_refuses_other_values_with_422(
    client: httpx.AsyncClient, payload: dict[str, object]
) -> None:
    account = await signup(client)
    response = await client.patch("/api/v1/auth/me", json=payload, headers=account.headers)
    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"
    me = await client.get("/api/v1/auth/me", headers=account.headers)
    assert me.json()["locale"] is None
    assert me.json()["role"] == "user"


async def test_patch_me_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.patch("/api/v1/auth/me", json={"locale": "ko"})
    assert response.status_code == 401
    assert response.json()["error"] == "NotAuthenticated"


async def test_one_users_locale_does_not_touch_anothers(client: httpx.AsyncClient) -> None:
    first, second = await signup(client), await signup(client)
    await client.patch("/api/v1/auth/me", json={"locale": "ko"}, headers=first.headers)
    assert (await client.get("/api/v1/auth/me", headers=second.headers)).json()["locale"] is None
