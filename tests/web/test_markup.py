"""The studio's markup tool (issue 30) in Debian's Chromium against a real server with the
offline providers: draw a circle with the pen, an arrow and a note over a design, say what
should change, and the new record is a markup edit whose markup is a transparent PNG of the
design's size with the strokes where they were drawn and the note in the prompt."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.live import LiveServer
from tests.web.test_e2e import TIMEOUT_MS, api_get, create_room, image_bytes, shot, sign_up, upload

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_mark_up_a_design_with_pen_arrow_and_note(
    plain_studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = plain_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    sign_up(page, base, f"markup-{uuid.uuid4().hex[:8]}@example.com")
    create_room(page, "Markup study")
    upload(page, [("oak.png", "image/png", image_bytes("PNG", (168, 118, 78), (640, 480)))])
    # Offline: no estimate to weigh next to Generate.
    expect(page.get_by_test_id("cost-estimate")).to_have_count(0)
    page.get_by_role("button", name=re.compile("Generate")).click()
    live = page.get_by_test_id("live-record")
    expect(page.get_by_test_id("stage-image")).to_have_attribute("data-status", "ready")

    live.get_by_role("button", name="Mark up design 1").click()
    dialog = page.get_by_role("dialog", name="Mark up design 1")
    submit = dialog.get_by_role("button", name=re.compile("^Edit with markup ·"))
    expect(submit).to_be_disabled()
    canvas = dialog.get_by_test_id("markup-canvas")

    def at(x: float, y: float) -> tuple[float, float]:
        box = canvas.bounding_box()
        assert box is not None
        return box["x"] + box["width"] * x, box["y"] + box["height"] * y

    def drag(*points: tuple[float, float]) -> None:
        canvas.scroll_into_view_if_needed()
        page.mouse.move(*at(*points[0]))
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*at(*point), steps=6)
        page.mouse.up()

    # A closed loop with the pen around the middle, an arrow to it, a note beside it.
    loop = [(0.5 + 0.15 * np.cos(a), 0.5 + 0.15 * np.sin(a)) for a in np.linspace(0, 6.4, 24)]
    drag(*[(float(x), float(y)) for x, y in loop])
    dialog.get_by_role("button", name="Arrow").click()
    drag((0.9, 0.1), (0.7, 0.3))
    dialog.get_by_role("button", name="Note").click()
    page.mouse.click(*at(0.1, 0.1))
    note = dialog.get_by_placeholder("A short note, then press Enter")
    note.fill("cane")
    note.press("Enter")
    expect(dialog.get_by_test_id("markup-notes")).to_contain_text("cane")
    dialog.get_by_label("What should change?").fill("a woven seat")
    expect(submit).to_be_enabled()
    shot(page, screenshots, "markup-01-drawn", full_page=False)
    submit.click()
    page.wait_for_url(re.compile(r"/record/\?id="))
    expect(page.get_by_test_id("design-image")).to_have_count(4, timeout=60_000)

    record_id = page.url.split("id=")[1]
    record = api_get(plain_studio, page, f"/api/v1/records/{record_id}").json()
    assert record["image_status"] == "ready", record
    assert record["edit"]["mask_image_id"] is None
    assert "a woven seat" in record["edit"]["prompt"] and "cane" in record["edit"]["prompt"]
    markup = api_get(plain_studio, page, f"/api/v1/images/{record['edit']['markup_image_id']}")
    with Image.open(io.BytesIO(markup.content)) as image:
        assert image.format == "PNG" and image.size == (1024, 1024)
        alpha = np.asarray(image.convert("RGBA"))[:, :, 3]
    assert alpha[512, 512] == 0  # inside the loop: nothing drawn
    assert alpha[512, 512 + 154 - 3 : 512 + 154 + 4].max() > 0  # on the loop's right side
    assert alpha[:200, 700:].max() > 0  # the arrow
    assert alpha[60:160, 100:300].max() > 0  # the note's ink
    assert alpha[900:, :300].max() == 0  # nothing in an untouched corner
    assert errors == []
    context.close()
