"""The design loop in the studio: a real server process, the static build, Debian's Chromium.

a reference's role and strength and a style → generate → refine design 2 → paint a mask over a
design and edit that region → the record says where it came from, draws its lineage and shows
each design's similarity to each input.
"""

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


@pytest.fixture
def loop_studio(plain_studio: LiveServer) -> LiveServer:
    return plain_studio


def _wait_done(page: Any) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("design-image")).to_have_count(4, timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=design-image]')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )


def test_refine_edit_a_region_and_see_the_lineage(
    loop_studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = loop_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    sign_up(page, base, f"loop-{uuid.uuid4().hex[:8]}@example.com")
    credits = page.get_by_test_id("credit-balance")
    start = int(credits.get_attribute("data-credits") or 0)
    create_room(page, "Loop study")
    upload(page, [("oak.png", "image/png", image_bytes("PNG", (168, 118, 78), (640, 480)))])
    # The reference's part of the brief, and a curated style beside the keyword.
    page.get_by_label("What to take from reference 1").select_option("form")
    page.get_by_label("How much to take from reference 1").fill("0.8")
    expect(page.get_by_test_id("input-strength-value")).to_have_text("80%")
    page.locator("#style").select_option("japandi")
    expect(page.get_by_test_id("style-description")).to_be_visible()
    page.get_by_label("Style keyword").fill("japandi")
    page.get_by_role("button", name=re.compile("Generate")).click()
    live = page.get_by_test_id("live-record")
    expect(page.get_by_test_id("stage-image")).to_have_attribute("data-status", "ready")

    # Refine design 2: a dialog, then the new record's own page.
    live.get_by_role("button", name="Refine design 2").click()
    dialog = page.get_by_role("dialog", name="Refine design 2")
    expect(dialog.get_by_label(re.compile("Style keyword"))).to_have_value("japandi")
    dialog.get_by_label(re.compile("Style keyword")).fill("japandi oak")
    dialog.get_by_role("button", name=re.compile("^Refine ·")).click()
    page.wait_for_url(re.compile(r"/record/\?id="))
    refined_id = page.url.split("id=")[1]
    _wait_done(page)
    expect(page.get_by_test_id("record-origin")).to_contain_text("Refined from design 2")
    expect(credits).to_have_attribute("data-credits", str(start - 2))
    lineage = page.get_by_test_id("lineage")
    expect(lineage.get_by_test_id("lineage-node")).to_have_count(2)
    expect(lineage).to_contain_text("Generated")
    expect(lineage).to_contain_text("Refined · from design 2 · this record")

    # Edit a region of design 1: paint a stroke, erase part of it, say what goes there.
    page.get_by_role("button", name="Edit a region of design 1").click()
    dialog = page.get_by_role("dialog", name="Edit a region of design 1")
    submit = dialog.get_by_role("button", name=re.compile("^Edit region ·"))
    expect(submit).to_be_disabled()
    canvas = dialog.get_by_test_id("mask-canvas")

    def drag(*points: tuple[float, float]) -> None:
        """A pointer drag through points given as fractions of the canvas."""
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box is not None
        at = [(box["x"] + box["width"] * x, box["y"] + box["height"] * y) for x, y in points]
        page.mouse.move(*at[0])
        page.mouse.down()
        for point in at[1:]:
            page.mouse.move(*point, steps=8)
        page.mouse.up()

    drag((0.3, 0.5), (0.5, 0.5), (0.7, 0.5))
    dialog.get_by_role("button", name="Eraser").click()
    drag((0.68, 0.5), (0.72, 0.5))
    dialog.get_by_label("What goes in the painted area").fill("a walnut seat")
    shot(page, screenshots, "loop-01-paint-mask", full_page=False)
    submit.click()
    page.wait_for_url(lambda url: "id=" in url and refined_id not in url)
    _wait_done(page)
    expect(page.get_by_test_id("record-origin")).to_contain_text("Region edit of design 1")
    expect(page.get_by_test_id("record-origin")).to_contain_text("a walnut seat")
    expect(page.get_by_test_id("lineage").get_by_test_id("lineage-node")).to_have_count(3)

    # Each design against each input, and the near-copy column, once the analysis is in.
    attribution = page.get_by_test_id("attribution")
    expect(attribution.get_by_test_id("attribution-row")).to_have_count(4, timeout=60_000)
    expect(attribution).to_contain_text("Input 1")
    expect(attribution).to_contain_text("Near-copy")
    shot(page, screenshots, "loop-02-edited-record")

    # The mask the canvas made: the image's size, transparent along the stroke, opaque where
    # nothing was painted and where the eraser went.
    edited_id = page.url.split("id=")[1]
    record = api_get(loop_studio, page, f"/api/v1/records/{edited_id}").json()
    assert record["parent"] == {"record_id": refined_id, "position": 0}
    mask = api_get(loop_studio, page, f"/api/v1/images/{record['edit']['mask_image_id']}")
    with Image.open(io.BytesIO(mask.content)) as image:
        assert image.format == "PNG"
        assert image.size == (1024, 1024)
        alpha = np.asarray(image.convert("RGBA"))[:, :, 3]
    painted = np.argwhere(alpha == 0)
    assert len(painted), "nothing painted"
    assert alpha[512, 400] == 0 and alpha[512, 600] == 0, (painted.min(0), painted.max(0))
    assert alpha[100, 100] == 255 and alpha[900, 512] == 255
    assert alpha[512, 716] == 255  # erased

    # The first record kept the brief as it was set: role, strength and style.
    root_id = api_get(loop_studio, page, f"/api/v1/records/{refined_id}").json()["parent"][
        "record_id"
    ]
    root = api_get(loop_studio, page, f"/api/v1/records/{root_id}").json()
    assert [(i["role"], i["strength"]) for i in root["inputs"]] == [("form", 0.8)]
    assert root["style"] == "japandi"
    page.goto(f"{base}/record/?id={root_id}")
    expect(page.get_by_test_id("input-brief")).to_have_text("Form · 80%")
    expect(page.get_by_test_id("record-style")).to_have_text("Japandi")

    # The refined record's lineage, from its page, now shows the edit below it.
    page.goto(f"{base}/record/?id={refined_id}")
    expect(page.get_by_test_id("lineage").get_by_test_id("lineage-node")).to_have_count(3)
    expect(page.get_by_test_id("lineage")).to_contain_text("Region edit · from design 1")
    assert errors == []
    context.close()
