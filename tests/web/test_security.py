"""The studio under its Content-Security-Policy in a real browser: the whole flow runs with
no violation, and the inline-script hashes are what makes that so (measured, not assumed)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.live import LiveServer
from tests.web.test_e2e import create_room, image_bytes, sign_up, upload

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 30_000
# Runs before the page's own scripts (Playwright injects it outside the page's CSP).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def studio(plain_studio: LiveServer) -> LiveServer:
    return plain_studio


def _violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__csp")
    return found


def test_the_studio_runs_under_its_policy(studio: LiveServer, browser: Any) -> None:
    from playwright.sync_api import expect

    base = studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    policies: list[str] = []
    page.on(
        "response",
        lambda r: (
            policies.append(r.headers.get("content-security-policy", ""))
            if r.request.resource_type == "document"
            else None
        ),
    )

    sign_up(page, base, f"csp-{uuid.uuid4().hex[:8]}@example.com")
    create_room(page, "Policy study")
    upload(page, [("oak.png", "image/png", image_bytes("PNG", (168, 118, 78), (480, 360)))])
    page.get_by_label("Style keyword").fill("minimal")
    page.get_by_role("button", name=re.compile("Generate")).click()
    expect(page.get_by_test_id("stage-recommendation")).to_have_attribute(
        "data-status", "ready", timeout=60_000
    )
    # The designs load as images under img-src, the progress came over EventSource.
    expect(page.get_by_test_id("design-image")).to_have_count(4)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=design-image]')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    assert _violations(page) == []
    page.get_by_role("link", name="Open record").first.click()
    page.wait_for_url(re.compile(r"/record/"))
    expect(page.get_by_test_id("keyword").first).to_be_visible()
    assert _violations(page) == []
    page.goto(f"{base}/library/")
    expect(page.get_by_role("heading", name="Reference library")).to_be_visible()
    assert _violations(page) == []
    assert not [line for line in console if "Content Security Policy" in line]

    assert policies and all("'sha256-" in p and "unsafe" not in p for p in policies)
    context.close()


def test_without_the_hashes_the_studio_does_not_start(studio: LiveServer, browser: Any) -> None:
    """Why the policy lists hashes: Next's export boots each page from inline scripts, and a
    'self'-only script-src blocks them, leaving a page that never hydrates."""
    context = browser.new_context(locale="en-US")
    context.add_init_script(RECORD_VIOLATIONS)

    originals: list[str] = []

    def strip_hashes(route: Any) -> None:
        response = route.fetch()
        headers = dict(response.headers)
        originals.append(headers["content-security-policy"])
        headers["content-security-policy"] = re.sub(
            r" 'sha256-[^']+'", "", headers["content-security-policy"]
        )
        route.fulfill(response=response, headers=headers)

    context.route(re.compile(r".*/login/$"), strip_hashes)
    page = context.new_page()
    page.goto(f"{studio.base_url}/login/")
    page.wait_for_timeout(2000)
    blocked = _violations(page)
    # Every inline script the real policy lets in by hash is refused without it.
    assert len(blocked) == originals[0].count("'sha256-") > 0, (blocked, originals)
    assert all(v == "script-src-elem blocked inline" for v in blocked), blocked
    context.close()
