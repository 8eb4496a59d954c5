"""Job control in the studio (issue 16): a real server, the static build, Debian's Chromium.

Cancel a running generation from the room page (the stages say cancelled, the credit comes
back, the gallery shows it as cancelled), then retry it from its record page for the price
the button shows.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.jobcontrol.common import TUNABLE_IMAGES, steer
from tests.live import LiveServer
from tests.web.conftest import launch_studio
from tests.web.test_e2e import TIMEOUT_MS, create_room, image_bytes, shot, sign_up, upload

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def steered_studio(
    web_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Path]]:
    root = tmp_path_factory.mktemp("job-studio")
    control = root / "control.json"
    steer(control)
    server = launch_studio(
        root, web_build, image_provider=TUNABLE_IMAGES, test_control_file=str(control)
    )
    yield server, control
    server.stop()


def _room_with_an_input(
    browser: Any, server: LiveServer, who: str, room: str
) -> tuple[Any, Any, list[str]]:
    """A new account (`who-…@example.com`) in a fresh browser context, its room `room` with one
    uploaded input: (context, page, the page's uncaught errors so far and from then on)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_up(page, server.base_url, f"{who}-{uuid.uuid4().hex[:8]}@example.com")
    create_room(page, room)
    upload(page, [("oak.png", "image/png", image_bytes("PNG", (168, 118, 78), (640, 480)))])
    return context, page, errors


def test_cancel_from_the_room_and_retry_from_the_record(
    steered_studio: tuple[LiveServer, Path], browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    server, control = steered_studio
    context, page, errors = _room_with_an_input(browser, server, "jobs", "Cancel study")
    credits = page.get_by_test_id("credit-balance")
    start = int(credits.get_attribute("data-credits") or 0)

    # The image stage now takes a minute: cancel it from the room page while it runs.
    steer(control, image_delay=60)
    page.get_by_role("button", name=re.compile("Generate")).click()
    expect(page.get_by_test_id("stage-image")).to_have_attribute("data-status", "processing")
    expect(credits).to_have_attribute("data-credits", str(start - 1))
    page.get_by_test_id("cancel-record").click()
    for stage in ("image", "story", "keywords", "recommendation"):
        expect(page.get_by_test_id(f"stage-{stage}")).to_have_attribute("data-status", "cancelled")
    expect(credits).to_have_attribute("data-credits", str(start))
    expect(page.get_by_test_id("record-cancelled").first).to_be_visible()
    retry = page.get_by_test_id("retry-record")
    expect(retry).to_have_text(re.compile(r"Retry \(1 credit\)"))
    shot(page, screenshots, "jobs-01-cancelled-in-room")

    # Its record page offers the same retry; it runs the stages again at full speed.
    steer(control)
    page.get_by_role("link", name="Open record").click()
    page.wait_for_url(re.compile(r"/record/\?id="))
    retry = page.get_by_test_id("retry-record")
    expect(retry).to_have_text(re.compile(r"Retry \(1 credit\)"))
    retry.click()
    expect(page.get_by_test_id("design-image")).to_have_count(4, timeout=60_000)
    expect(credits).to_have_attribute("data-credits", str(start - 1))
    expect(page.get_by_test_id("retry-record")).to_have_count(0)
    expect(page.get_by_test_id("cancel-record")).to_have_count(0)
    shot(page, screenshots, "jobs-02-retried-record")
    assert errors == []
    context.close()


def test_previews_sharpen_in_the_cards_before_the_designs(
    steered_studio: tuple[LiveServer, Path], browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    server, control = steered_studio
    context, page, errors = _room_with_an_input(browser, server, "previews", "Preview study")

    # Each preview stays the latest for a while: long enough to see it in its card.
    steer(control, preview_delay=1.5)
    try:
        page.get_by_role("button", name=re.compile("Generate")).click()
        designs = page.get_by_test_id("designs")
        previews = designs.get_by_test_id("design-preview")
        expect(previews.first).to_have_attribute("data-step", "1")
        # The first card shows its outline pass before any design is there, and it loads.
        assert designs.get_by_test_id("design-image").count() == 0
        page.wait_for_function(
            "el => el.complete && el.naturalWidth > 0", arg=previews.first.element_handle()
        )
        shot(page, screenshots, "previews-01-first-pass")
        # Then it sharpens: the next pass replaces it in the same card.
        expect(previews.first).to_have_attribute("data-step", "2")
        # The first design arrives while the later cards are still being drawn.
        expect(designs.get_by_test_id("design-image")).to_have_count(1)
        expect(previews).to_have_count(1)
        shot(page, screenshots, "previews-02-first-design")
        steer(control)
        expect(designs.get_by_test_id("design-image")).to_have_count(4, timeout=60_000)
        expect(previews).to_have_count(0)
        expect(page.get_by_test_id("stage-recommendation")).to_have_attribute(
            "data-status", "ready", timeout=60_000
        )
    finally:
        steer(control)
    assert errors == []
    context.close()
