"""A design's 3D model in the studio, in Chromium: the viewer loads the GLB through the API,
draws every part with WebGL, turns when dragged, and shows the model's sizes."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import LiveServer
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.test_e2e import PASSWORD, TIMEOUT_MS, image_bytes, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# WebGL without a GPU: Chromium's software rasteriser, asked for by name.
WEBGL_ARGS = [arg for arg in CHROMIUM_ARGS if arg != "--disable-gpu"] + [
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
# How many distinct colours the canvas holds, sampled: a drawn piece has dozens of shades.
CANVAS_PIXELS = """(el) => {
  const canvas = el.querySelector('canvas');
  const probe = document.createElement('canvas');
  probe.width = 96; probe.height = 72;
  const context = probe.getContext('2d');
  context.drawImage(canvas, 0, 0, 96, 72);
  const data = context.getImageData(0, 0, 96, 72).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i+1]},${data[i+2]}`);
  return {colours: seen.size, url: canvas.toDataURL()};
}"""


@pytest.fixture(scope="module")
def webgl_browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing")
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=WEBGL_ARGS)
        yield chromium
        chromium.close()


def _finished_record(base: str, email: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A finished record made through the API, and its first design's parts."""
    with httpx.Client(base_url=base, timeout=60) as client:
        signup = client.post("/api/v1/auth/signup", json={"email": email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        room_id = client.post("/api/v1/layerroom", json={"name": "3D"}, headers=headers).json()[
            "id"
        ]
        upload = client.post(
            f"/api/v1/layerroom/{room_id}/images",
            files={
                "file": ("a.jpg", image_bytes("JPEG", (150, 100, 60), (400, 300)), "image/jpeg")
            },
            headers=headers,
        )
        started = client.post(
            "/api/v1/generate",
            json={
                "session_id": room_id,
                "input_image_ids": [upload.json()["id"]],
                "keyword": "oak",
            },
            headers=headers,
        )
        record_id = started.json()["record_id"]
        for _ in range(600):
            record: dict[str, Any] = client.get(
                f"/api/v1/records/{record_id}", headers=headers
            ).json()
            if record["done"]:
                parts = client.get(f"/api/v1/records/{record_id}/designs/0/parts", headers=headers)
                return record_id, record, parts.json()
            time.sleep(0.1)
    raise AssertionError("the record did not finish")


def test_the_viewer_draws_the_glb_and_turns_with_the_mouse(
    plain_studio: LiveServer, webgl_browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = plain_studio.base_url
    email = f"viewer-{uuid.uuid4().hex[:8]}@example.com"
    record_id, record, parts = _finished_record(base, email)
    context = webgl_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base, email)

    page.goto(f"{base}/record/?id={record_id}")
    page.get_by_role("button", name="3D model of design 1").click()
    viewer = page.get_by_test_id("model-viewer")
    expect(viewer).to_have_attribute("data-state", "ready")

    # One mesh per part of the design model, drawn: many shades of the lit piece.
    assert int(viewer.get_attribute("data-meshes") or 0) == len(parts["parts"])
    page.wait_for_timeout(300)
    before = viewer.evaluate(CANVAS_PIXELS)
    assert before["colours"] > 20, before["colours"]
    dims = record["dimensions"]
    # The record's own sizes: both are measured on the model and rounded the same way.
    expect(page.get_by_test_id("model-size")).to_have_text(
        f"{dims['width_cm']} × {dims['depth_cm']} × {dims['height_cm']} cm"
    )
    expect(page.get_by_test_id("model-proxy")).to_have_count(0)
    shot(page, screenshots, "design-3d-viewer", full_page=False)
    # Dragging turns the piece: the picture changes.
    box = viewer.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_timeout(500)
    after = viewer.evaluate(CANVAS_PIXELS)
    assert after["url"] != before["url"]
    # The views sheet: made on request, four views each with its consistency score.
    page.get_by_role("button", name="Make the views: front, side, top, three-quarter").click()
    expect(page.get_by_test_id("views-sheet")).to_have_attribute("data-status", "ready")
    expect(page.get_by_test_id("view")).to_have_count(4)
    expect(page.get_by_test_id("view-score").first).to_contain_text("consistency 0.")
    # 50 on sign-up, one for the record, one for the sheet: the header follows.
    expect(page.get_by_text("48 credits")).to_be_visible()
    shot(page, screenshots, "design-3d-viewer-views", full_page=False)
    assert errors == []
    context.close()
