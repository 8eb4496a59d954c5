"""The settings page in a real browser: change the password, create / use / revoke an API key,
add a webhook and send it a test event (to a real local receiver), log out everywhere, and
delete the account."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import LiveServer
from tests.web.conftest import launch_studio
from tests.web.test_e2e import PASSWORD, TIMEOUT_MS, no_horizontal_scroll, shot, sign_up
from tests.webhooks.receiver import Receiver, run_receiver, verify

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW_PASSWORD = "another horse battery"


@pytest.fixture(scope="module")
def settings_studio(
    web_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """Webhooks may go to 127.0.0.1 here (the receiver), with short retry waits."""
    server = launch_studio(
        tmp_path_factory.mktemp("settings-studio"),
        web_build,
        webhook_allow_private_addresses="true",
        webhook_retry_base_seconds="0.2",
        webhook_sweep_interval_seconds="0.2",
    )
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with run_receiver() as state:
        yield state


def _login(base: str, email: str, password: str) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})


def test_settings_password_keys_webhooks_sessions_and_deletion(
    settings_studio: LiveServer, browser: Any, screenshots: Path, receiver: Receiver
) -> None:
    from playwright.sync_api import expect

    base = settings_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    email = f"settings-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, base, email)

    page.get_by_role("link", name="Settings").click()
    page.wait_for_url(f"{base}/settings/")
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()

    # Password: the wrong current one is refused in words; the right one keeps this tab going.
    password = page.locator("#password")
    password.get_by_label("Current password").fill("not my password")
    password.get_by_label("New password").fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("alert")).to_have_text("That is not your current password.")
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed. Other devices are signed out.")).to_be_visible()
    assert _login(base, email, PASSWORD).status_code == 401
    assert _login(base, email, NEW_PASSWORD).status_code == 200

    # API keys: created once, usable as a bearer token, limited to reading, revoked.
    keys = page.locator("#api-keys")
    expect(keys.get_by_text("No API keys yet.")).to_be_visible()
    keys.get_by_role("button", name="Create API key").click()
    dialog = page.get_by_role("dialog", name="Create API key")
    dialog.get_by_label("Name").fill("dashboard")
    dialog.get_by_role("radio", name=re.compile("^Read")).check()
    dialog.get_by_role("button", name="Create key").click()
    key = keys.get_by_label("Your new API key").input_value()
    assert key.startswith("lm_")
    expect(keys.get_by_test_id("api-key")).to_have_count(1)
    expect(keys.get_by_test_id("api-key")).to_contain_text("dashboard")
    expect(keys.get_by_test_id("api-key")).to_contain_text(key[:11])
    bearer = {"Authorization": f"Bearer {key}"}
    assert httpx.get(f"{base}/api/v1/auth/me", headers=bearer).json()["email"] == email
    writing = httpx.post(f"{base}/api/v1/layerroom", json={"name": "x"}, headers=bearer)
    assert writing.status_code == 403 and writing.json()["error"] == "InsufficientScope"
    keys.get_by_role("button", name="I have copied it").click()
    expect(keys.get_by_test_id("new-api-key")).to_have_count(0)
    shot(page, screenshots, "settings-keys")
    keys.get_by_role("button", name="Revoke dashboard").click()
    expect(keys.get_by_text("No API keys yet.")).to_be_visible()
    assert httpx.get(f"{base}/api/v1/auth/me", headers=bearer).status_code == 401

    # Webhooks: a private address is explained, the receiver's is added (allowed here), and a
    # test event arrives signed with the secret the page showed once.
    hooks = page.locator("#webhooks")
    hooks.get_by_role("button", name="Add webhook").click()
    dialog = page.get_by_role("dialog", name="Add webhook")
    dialog.get_by_label("URL").fill(receiver.url)
    expect(dialog.get_by_label("Generation finished")).to_be_checked()
    dialog.get_by_label("Generation cancelled").uncheck()
    dialog.get_by_role("button", name="Add", exact=True).click()
    secret = hooks.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    webhook = hooks.get_by_test_id("webhook")
    expect(webhook).to_have_count(1)
    expect(webhook).to_contain_text(receiver.url)
    expect(webhook).to_contain_text("Generation finished, Generation failed")
    webhook.get_by_role("button", name="Send test event").click()
    delivery = webhook.get_by_test_id("delivery")
    for _ in range(30):
        if delivery.count() and delivery.first.get_attribute("data-status") == "succeeded":
            break
        page.wait_for_timeout(500)
        webhook.get_by_role("button", name="Deliveries").click()
    expect(delivery.first).to_have_attribute("data-status", "succeeded")
    expect(delivery.first).to_contain_text("Test event")
    expect(delivery.first).to_contain_text("delivered")
    [received] = receiver.received
    assert verify(secret, received)["type"] == "webhook.test"
    assert no_horizontal_scroll(page)
    shot(page, screenshots, "settings-webhooks")

    # Log out everywhere: this tab goes to the login page, and another session ends too.
    other = _login(base, email, NEW_PASSWORD).json()["access_token"]
    page.locator("#sessions").get_by_role("button", name="Log out everywhere").click()
    page.wait_for_url(re.compile(r"/login/"))
    me = httpx.get(f"{base}/api/v1/auth/me", headers={"Authorization": f"Bearer {other}"})
    assert me.status_code == 401

    # Delete the account: confirmed by the password and a typed word.
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Back to where the login was asked for: the rooms, or the settings it came from.
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/(settings/)?$"))
    page.goto(f"{base}/settings/")
    page.locator("#delete").get_by_role("button", name="Delete my account").click()
    dialog = page.get_by_role("dialog", name="Delete your account?")
    dialog.get_by_label("Current password").fill(NEW_PASSWORD)
    confirm = dialog.get_by_role("button", name="Delete everything")
    expect(confirm).to_be_disabled()
    dialog.get_by_label("Type DELETE to confirm").fill("DELETE")
    expect(confirm).to_be_enabled()
    confirm.click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    assert _login(base, email, NEW_PASSWORD).status_code == 401
    assert errors == []
    context.close()


def test_settings_page_in_korean(settings_studio: LiveServer, browser: Any) -> None:
    from playwright.sync_api import expect

    base = settings_studio.base_url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base}/signup/")
    page.get_by_label("이메일").fill(f"ko-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_label("비밀번호").press("Enter")
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="설정").click()
    page.wait_for_url(f"{base}/settings/")
    expect(page.get_by_role("heading", name="설정", exact=True)).to_be_visible()
    for title in ("비밀번호", "로그인 세션", "API 키", "웹훅", "계정 삭제"):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert no_horizontal_scroll(page)
    context.close()
