"""The library page in a real browser: browse, search by image, text search explained without
CLIP, pin a reference into a room; an admin adds and removes references; designers cannot.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.live import CLI, LiveServer
from tests.web.test_e2e import (
    PASSWORD,
    TIMEOUT_MS,
    create_room,
    image_bytes,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_up,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def library_studio(plain_studio: LiveServer) -> LiveServer:
    """The embedded default: the starter library (24 references) and the basic embedder."""
    return plain_studio


def test_designer_searches_the_library_and_pins_a_reference(
    library_studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = library_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_up(page, base, f"designer-{uuid.uuid4().hex[:8]}@example.com")
    create_room(page, "Stools")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    page.wait_for_url(f"{base}/library/")
    expect(page.get_by_role("heading", name="Reference library")).to_be_visible()
    expect(page.get_by_test_id("library-count")).to_have_text("24 references, newest first")
    expect(page.get_by_test_id("library-reference")).to_have_count(24)
    # A designer curates rooms, not the library.
    expect(page.get_by_role("button", name="Add reference")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Remove "))).to_have_count(0)

    # Words work without CLIP: full text over titles, tags and sources, and the page says so.
    page.get_by_label("Search the library").fill("walnut lounge")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("search-match")).to_have_text(
        "matched by words in titles, tags and sources"
    )
    expect(page.get_by_test_id("library-reference").first).to_contain_text("Walnut")
    expect(page.get_by_test_id("library-error")).to_have_count(0)

    # An image works with any embedder: hits come back scored, best first.
    page.get_by_test_id("library-image-search").set_input_files(
        [
            {
                "name": "oak.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes("JPEG", (168, 118, 78), (400, 300)),
            }
        ]
    )
    summary = page.get_by_test_id("search-summary")
    expect(summary).to_contain_text("for images like oak.jpg, best first")
    # How closeness was measured, in words; the embedder's id in the chip's tooltip.
    embedder = page.get_by_test_id("search-embedder")
    expect(embedder).to_have_text("Colour and shape similarity")
    expect(embedder).to_have_attribute("title", re.compile("basic-descriptor-v1$"))
    # The basic descriptor's floor (0.30) leaves 14 of the 24 starter references out, and the
    # page says so rather than showing fewer hits without a word.
    expect(page.get_by_test_id("search-below")).to_have_text(
        re.compile(r"^\d+ references scored below 0\.30$")
    )
    expect(page.get_by_test_id("library-error")).to_have_count(0)
    hits = page.get_by_test_id("library-reference")
    assert hits.count() >= 1
    scores = [float(s.split()[-1]) for s in page.get_by_test_id("score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and len(scores) == hits.count()
    # The first row is on screen and loads (the rest load lazily as they scroll into view).
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=library-reference] img')].slice(0, 4)"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    shot(page, screenshots, "09-library-search")

    # Pin the best match into the room.
    hits.first.get_by_role("button", name=re.compile("^Pin reference")).click()
    dialog = page.get_by_role("dialog", name="Pin to a room")
    expect(dialog.get_by_label("Room")).to_contain_text("Stools")
    dialog.get_by_role("button", name="Pin", exact=True).click()
    expect(hits.first.get_by_role("button", name=re.compile("^Pinned: reference"))).to_be_visible()

    page.get_by_role("button", name="Clear search").click()
    expect(page.get_by_test_id("library-count")).to_be_visible()

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    expect(page.get_by_test_id("library-reference")).to_have_count(24)
    assert no_horizontal_scroll(page), "horizontal scroll at 375 px on the library"
    assert not errors, errors
    context.close()


def test_admin_adds_and_removes_a_reference(
    library_studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    email = f"curator-{uuid.uuid4().hex[:8]}@example.com"
    created = subprocess.run(
        [CLI, "users", "create", email, "--password", PASSWORD, "--admin"],
        env=library_studio.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    base = library_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, base, email)
    page.goto(f"{base}/library/")
    count = page.get_by_test_id("library-count")
    expect(count).to_have_text("24 references, newest first")

    page.get_by_role("button", name="Add reference").click()
    dialog = page.get_by_role("dialog", name="Add a reference")
    dialog.get_by_label("Image").set_input_files(
        [
            {
                "name": "stool.png",
                "mimeType": "image/png",
                "buffer": image_bytes("PNG", (90, 60, 40), (500, 500)),
            }
        ]
    )
    dialog.get_by_label("Title").fill("Walnut milking stool")
    dialog.get_by_label("Tags").fill("Stool, walnut")
    dialog.get_by_role("button", name="Add to library").click()
    expect(page.get_by_text("Reference added")).to_be_visible()
    expect(count).to_have_text("25 references, newest first")
    newest = page.get_by_test_id("library-reference").first
    expect(newest).to_contain_text("Walnut milking stool")
    expect(newest).to_contain_text("stool · walnut")
    # 25 entries, 24 a page: the rest is one click away.
    page.get_by_role("button", name="Show more references").click()
    expect(page.get_by_test_id("library-reference")).to_have_count(25)
    shot(page, screenshots, "10-library-admin")

    # The same image again is recognised, not added twice.
    page.get_by_role("button", name="Add reference").click()
    dialog.get_by_label("Image").set_input_files(
        [
            {
                "name": "again.png",
                "mimeType": "image/png",
                "buffer": image_bytes("PNG", (90, 60, 40), (500, 500)),
            }
        ]
    )
    dialog.get_by_role("button", name="Add to library").click()
    expect(page.get_by_text("That image is already in the library")).to_be_visible()
    expect(count).to_have_text("25 references, newest first")

    page.get_by_role("button", name="Remove Walnut milking stool from the library").click()
    page.get_by_role("dialog", name="Remove this reference?").get_by_role(
        "button", name="Remove", exact=True
    ).click()
    expect(page.get_by_text("Reference removed")).to_be_visible()
    expect(count).to_have_text("24 references, newest first")
    expect(page.get_by_text("Walnut milking stool")).to_have_count(0)
    context.close()
