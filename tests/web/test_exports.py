"""Hand-off in a real browser: the record page shows the dimension checks and downloads the
spec sheet PDF; the room page downloads the whole room as a zip."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import LiveServer
from tests.web.conftest import launch_studio
from tests.web.test_e2e import PASSWORD, TIMEOUT_MS, image_bytes, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def chair_studio(web_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = launch_studio(
        tmp_path_factory.mktemp("chair-studio"),
        web_build,
        story_provider="tests.fakes.providers:DiningChairStoryProvider",
        # Pictures without parts: the scripted story's sizes stay the record's.
        image_provider="tests.fakes.providers:PictureOnlyImageProvider",
    )
    yield server
    server.stop()


def _finished_record(base: str, email: str) -> tuple[str, str]:
    """An account with a room and one finished record, made through the API (synchronously:
    Playwright's sync API already runs an event loop on this thread)."""
    with httpx.Client(base_url=base, timeout=60) as client:
        signup = client.post("/api/v1/auth/signup", json={"email": email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        room = client.post("/api/v1/layerroom", json={"name": "Dining"}, headers=headers)
        room_id = room.json()["id"]
        upload = client.post(
            f"/api/v1/layerroom/{room_id}/images",
            files={
                "file": ("oak.jpg", image_bytes("JPEG", (170, 120, 70), (400, 300)), "image/jpeg")
            },
            headers=headers,
        )
        started = client.post(
            "/api/v1/generate",
            json={
                "session_id": room_id,
                "input_image_ids": [upload.json()["id"]],
                "keyword": "seat 60",
            },
            headers=headers,
        )
        record_id = started.json()["record_id"]
        for _ in range(600):
            record = (client.get(f"/api/v1/records/{record_id}", headers=headers)).json()
            if record["done"]:
                return room_id, record_id
            time.sleep(0.1)
    raise AssertionError("the record did not finish")


def _signed_in(browser: Any, base: str, email: str, **options: Any) -> tuple[Any, Any, list[str]]:
    """A fresh browser context (with these options) signed in as `email`: (context, page, the
    page's uncaught errors from then on)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base, email)
    return context, page, errors


def test_record_page_shows_checks_and_downloads_the_spec_sheet(
    chair_studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = chair_studio.base_url
    email = f"maker-{uuid.uuid4().hex[:8]}@example.com"
    room_id, record_id = _finished_record(base, email)
    context, page, errors = _signed_in(browser, base, email, accept_downloads=True)

    page.goto(f"{base}/record/?id={record_id}")
    checks = page.get_by_test_id("check")
    expect(checks.first).to_be_visible()
    # The 60 cm seat of a dining chair is flagged with its range; the rest pass.
    flagged = page.locator("[data-testid=check][data-status=warn]")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("Seat height")
    expect(flagged).to_contain_text("42–48 cm")
    shot(page, screenshots, "record-checks-and-export")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Spec sheet (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "halden-dining-chair.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.goto(f"{base}/room/?id={room_id}")
    with page.expect_download() as room_download:
        page.get_by_role("button", name="Export room (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(room_download.value.path()).read_bytes()))
    assert "room.json" in archive.namelist()
    assert any(name.endswith("/designs/design-1.jpg") for name in archive.namelist())
    assert errors == []
    context.close()


def test_studio_page_searches_favourites_and_finds_more_like_this(
    chair_studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = chair_studio.base_url
    email = f"studio-{uuid.uuid4().hex[:8]}@example.com"
    _finished_record(base, email)
    context, page, errors = _signed_in(browser, base, email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Studio").click()
    page.wait_for_url(f"{base}/studio/")
    designs = page.get_by_test_id("studio-design")
    expect(designs).to_have_count(4)

    # A word of the story finds the record; a word that is nowhere empties the gallery.
    page.get_by_label("Search your work").fill("evenings")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(designs).to_have_count(4)
    page.get_by_label("Search your work").fill("zeppelin")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(designs).to_have_count(0)
    page.get_by_label("Search your work").fill("")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(designs).to_have_count(4)

    # Favourite one design, then show favourites only: that design alone remains.
    heart = page.get_by_role("button", name="Add Design 2 of Halden Dining Chair to favourites")
    heart.click()
    expect(
        page.get_by_role("button", name="Remove Design 2 of Halden Dining Chair from favourites")
    ).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Favourites only").check()
    expect(designs).to_have_count(1)
    page.get_by_label("Favourites only").uncheck()

    page.get_by_role("button", name="More like Design 1 of Halden Dining Chair").click()
    similar = page.get_by_test_id("similar-hit")
    expect(similar.first).to_be_visible()
    # Its sibling designs are among the closest of the user's own work, with scores.
    expect(page.locator("[data-testid=similar-hit][data-kind=design]").first).to_be_visible()
    expect(page.get_by_test_id("similar").get_by_test_id("score").first).to_be_visible()
    shot(page, screenshots, "studio")
    assert errors == []
    context.close()
