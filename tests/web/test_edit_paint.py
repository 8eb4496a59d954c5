"""Painting an edit region in the studio repaints the piece, not a flat slab: a real server
process, the static build, Debian's Chromium, the local providers (issue 28)."""

from __future__ import annotations

import io
import re
import time
import uuid
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.live import LiveServer
from tests.web.test_e2e import TIMEOUT_MS, api_get, create_room, image_bytes, sign_up, upload

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _pixels(server: LiveServer, page: Any, url: str) -> np.ndarray:
    response = httpx.get(url if url.startswith("http") else f"{server.base_url}{url}", timeout=30)
    with Image.open(io.BytesIO(response.content)) as image:
        return np.asarray(image.convert("RGB"))


def test_a_painted_edit_keeps_the_shading(plain_studio: LiveServer, browser: Any) -> None:
    from playwright.sync_api import expect

    base = plain_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_up(page, base, f"paint-{uuid.uuid4().hex[:8]}@example.com")
    create_room(page, "Paint study")
    upload(page, [("blue.png", "image/png", image_bytes("PNG", (40, 70, 160), (640, 480)))])
    page.get_by_label("Style keyword").fill("lounge chair oak")
    page.get_by_role("button", name=re.compile("Generate")).click()
    live = page.get_by_test_id("live-record")
    expect(page.get_by_test_id("stage-image")).to_have_attribute("data-status", "ready")

    live.get_by_role("button", name="Edit a region of design 1").click()
    dialog = page.get_by_role("dialog", name="Edit a region of design 1")
    canvas = dialog.get_by_test_id("mask-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    # A few strokes across the middle of the piece, where the seat is.
    for y in (0.52, 0.56, 0.6):
        page.mouse.move(box["x"] + box["width"] * 0.35, box["y"] + box["height"] * y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.65, box["y"] + box["height"] * y, steps=10)
        page.mouse.up()
    dialog.get_by_label("What goes in the painted area").fill("mustard boucle seat cushion")
    dialog.get_by_role("button", name=re.compile("^Edit region ·")).click()
    page.wait_for_url(re.compile(r"/record/\?id="))
    expect(page.get_by_test_id("design-image")).to_have_count(4, timeout=60_000)

    record_path = f"/api/v1/records/{page.url.split('id=')[1]}"
    # The designs are in; the story (and the name it keeps) follows them.
    for _ in range(120):
        edited = api_get(plain_studio, page, record_path).json()
        if edited["story_status"] in {"ready", "error"}:
            break
        time.sleep(0.5)
    assert edited["image_status"] == "ready" and edited["story_status"] == "ready", edited
    original = api_get(plain_studio, page, f"/api/v1/images/{edited['edit']['image_id']}")
    mask = api_get(plain_studio, page, f"/api/v1/images/{edited['edit']['mask_image_id']}")
    with Image.open(io.BytesIO(original.content)) as image:
        before = np.asarray(image.convert("RGB"))
    with Image.open(io.BytesIO(mask.content)) as image:
        area = np.asarray(image.convert("RGBA"))[:, :, 3] == 0
    after = _pixels(plain_studio, page, edited["designs"][0]["url"])
    assert area.any() and (after[~area] == before[~area]).all()
    changed = area & (np.abs(after.astype(int) - before.astype(int)).max(axis=2) > 6)
    assert changed.sum() > 0.2 * area.sum()
    # Not flat: the repainted pixels keep the original's light and shade.
    lightness = after[changed].astype(float) @ np.array([0.299, 0.587, 0.114])
    assert lightness.std() > 4, lightness.std()
    assert (
        edited["name"]
        == api_get(plain_studio, page, f"/api/v1/records/{edited['parent']['record_id']}").json()[
            "name"
        ]
    )
    context.close()
