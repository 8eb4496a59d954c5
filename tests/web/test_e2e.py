"""The web studio end to end: a real server process, the static build, Debian's Chromium.

sign up → create a room → upload two images → generate → watch the stages arrive → 4 designs,
12 keywords, recommendations → pin a design → balance down by one → record view and lightbox →
public share link read without an account → out of credits; a second user cannot open the room;
a failing stage shows its error and the refund. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.live import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STAGES = ("image", "story", "keywords", "recommendation")
PASSWORD = "correct horse battery"
TIMEOUT_MS = 30_000

# Records every distinct combination of stage statuses the page shows, so the test can tell
# that stages arrived one after another rather than all at once.
WATCH_STAGES = """
() => {
  window.__stages = [];
  const snap = () => {
    const s = {};
    for (const k of ["image", "story", "keywords", "recommendation"]) {
      const el = document.querySelector(`[data-testid=stage-${k}]`);
      s[k] = el ? el.dataset.status : null;
    }
    const last = window.__stages[window.__stages.length - 1];
    if (s.image && (!last || JSON.stringify(last) !== JSON.stringify(s))) window.__stages.push(s);
  };
  new MutationObserver(snap).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"],
  });
}
"""


def image_bytes(fmt: str, colour: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    """A small reference image with some structure (a band and a disc), not a flat colour."""
    from PIL import ImageDraw

    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, int(h * 0.65), w, h), fill=tuple(max(0, c - 60) for c in colour))
    draw.ellipse((w // 4, h // 6, w // 2, h // 2), fill=(235, 225, 210))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def shot(page: Any, directory: Path, name: str, full_page: bool = True) -> None:
    """A screenshot once transient notices have gone (they would cover the content)."""
    page.mouse.move(0, 0)
    page.wait_for_function(
        # A function, not an expression: Playwright polls an expression with eval, which the
        # studio's CSP (no 'unsafe-eval') refuses.
        "() => !document.querySelector('[data-testid=toasts]')?.children.length",
        timeout=10_000,
    )
    page.wait_for_timeout(300)  # let colour transitions finish
    page.screenshot(path=str(directory / f"{name}.png"), full_page=full_page)


def sign_up(page: Any, base: str, email: str) -> None:
    """Through the form with the keyboard only: the main flow must not need a mouse."""
    page.goto(f"{base}/signup/")
    page.get_by_label("Email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def create_room(page: Any, name: str, description: str = "") -> str:
    page.get_by_role("button", name="New room").first.click()
    dialog = page.get_by_role("dialog", name="New room")
    dialog.get_by_label("Name").fill(name)
    if description:
        dialog.get_by_label("Description").fill(description)
    dialog.get_by_role("button", name="Create room").click()
    page.wait_for_url(re.compile(r"/room/\?id="))
    return page.url


def upload(page: Any, files: list[tuple[str, str, bytes]]) -> None:
    from playwright.sync_api import expect

    before = page.get_by_test_id("input-slot").count()
    page.get_by_test_id("file-input").set_input_files(
        [{"name": n, "mimeType": t, "buffer": b} for n, t, b in files]
    )
    expect(page.get_by_test_id("input-slot")).to_have_count(before + len(files))
    expect(page.get_by_label("Uploading")).to_have_count(0, timeout=TIMEOUT_MS)


def api_get(server: LiveServer, page: Any, path: str) -> httpx.Response:
    """GET `path` as the user signed in on `page` (the token the studio keeps)."""
    token = page.evaluate(
        "() => sessionStorage.getItem('layerminder.token') "
        "?? localStorage.getItem('layerminder.token')"
    )
    return httpx.get(
        f"{server.base_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_studio_flow(studio: LiveServer, browser: Any, screenshots: Path) -> None:
    from playwright.sync_api import expect

    base = studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Signed out, the studio asks for an account.
    page.goto(f"{base}/room/?id={uuid.uuid4()}")
    page.wait_for_url(re.compile(r"/login/\?next="))
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    shot(page, screenshots, "01-login", full_page=False)

    owner = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, base, owner)
    credits = page.get_by_test_id("credit-balance")
    expect(credits).to_have_attribute("data-credits", "2")
    expect(page.get_by_role("heading", name="No rooms yet")).to_be_visible()
    shot(page, screenshots, "02-rooms-empty", full_page=False)

    room_url = create_room(page, "Low lounge study", "Oak, boucle and a low seat height.")
    expect(page.get_by_role("heading", name="Low lounge study")).to_be_visible()
    expect(page.get_by_role("heading", name="No generations yet")).to_be_visible()

    # Client-side checks mirror the server's: a GIF is turned away before any upload.
    page.get_by_test_id("file-input").set_input_files(
        [{"name": "anim.gif", "mimeType": "image/gif", "buffer": b"GIF89a"}]
    )
    expect(page.get_by_text("anim.gif: only JPEG, PNG or WebP images can be used.")).to_be_visible()
    expect(page.get_by_test_id("input-slot")).to_have_count(0)

    upload(
        page,
        [
            ("oak-bench.png", "image/png", image_bytes("PNG", (168, 118, 78), (640, 480))),
            ("boucle.jpg", "image/jpeg", image_bytes("JPEG", (214, 206, 192), (480, 640))),
        ],
    )
    page.get_by_label("Style keyword").fill("japandi")
    generate = page.get_by_role("button", name=re.compile("Generate"))
    expect(generate).to_contain_text("1 credit")
    page.evaluate(WATCH_STAGES)
    generate.click()

    # The credit is spent at once; the designs arrive before the story does.
    expect(credits).to_have_attribute("data-credits", "1")
    expect(page.get_by_test_id("stage-image")).to_have_attribute("data-status", "ready")
    expect(page.get_by_test_id("design-image")).to_have_count(4)
    shot(page, screenshots, "03-room-generating")
    expect(page.get_by_test_id("stage-recommendation")).to_have_attribute(
        "data-status", "ready", timeout=60_000
    )
    for stage in STAGES:
        expect(page.get_by_test_id(f"stage-{stage}")).to_have_attribute("data-status", "ready")
    seen: list[dict[str, str]] = page.evaluate("window.__stages")
    assert any(s["image"] in ("pending", "processing") for s in seen), seen
    assert any(s["image"] == "ready" and s["story"] != "ready" for s in seen), seen
    assert seen[-1] == dict.fromkeys(STAGES, "ready"), seen

    live = page.get_by_test_id("live-record")
    expect(live.get_by_test_id("keyword")).to_have_count(12)
    expect(live.get_by_test_id("story")).to_contain_text("Dimensions")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=design-image]')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    recommendations = live.get_by_test_id("recommendation")
    assert recommendations.count() >= 1
    assert re.fullmatch(r"-?\d\.\d{3}", live.get_by_test_id("score").first.inner_text().split()[-1])
    # Designer words for how it was made; the provider ids are in its details view.
    expect(live.get_by_test_id("made-by-image")).to_have_text("Offline renderer")
    expect(live.get_by_test_id("provider-details")).to_contain_text("local")

    # Pin a design to this room.
    live.get_by_role("button", name="Pin design 1 to a room").click()
    pin_dialog = page.get_by_role("dialog", name="Pin to a room")
    expect(pin_dialog.get_by_label("Room")).to_have_value(room_url.split("id=")[1])
    pin_dialog.get_by_label("Note").fill("Keep the rail height")
    pin_dialog.get_by_role("button", name="Pin", exact=True).click()
    expect(page.get_by_test_id("pin")).to_have_count(1)
    expect(live.get_by_role("button", name=re.compile("^Pinned: design 1"))).to_be_visible()

    # One generation cost exactly one credit (nothing was refunded).
    expect(credits).to_have_attribute("data-credits", "1")
    expect(page.get_by_test_id("record-card")).to_have_count(1)
    shot(page, screenshots, "04-room")

    # The record: every field, and a keyboard-driven lightbox.
    page.get_by_role("link", name="Open record").click()
    page.wait_for_url(re.compile(r"/record/\?id="))
    record_url = page.url
    expect(page.get_by_test_id("design-image")).to_have_count(4)
    expect(page.get_by_test_id("keyword")).to_have_count(12)
    for term in ("Name", "Dimensions", "Material"):
        expect(page.get_by_test_id("story").get_by_text(term, exact=True)).to_be_visible()
    expect(page.get_by_test_id("provider-details")).to_contain_text("procedural")
    expect(page.get_by_text("The references it started from")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Pinned: design 1"))).to_be_visible()
    shot(page, screenshots, "05-record")
    page.get_by_role("button", name="Enlarge design 2").focus()
    page.keyboard.press("Enter")
    lightbox = page.get_by_role("dialog", name="Design 2")
    expect(lightbox).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("dialog", name="Design 3")).to_be_visible()
    shot(page, screenshots, "06-lightbox", full_page=False)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    # Publish the room and read it without an account.
    page.goto(room_url)
    page.get_by_role("button", name="Settings").click()
    settings = page.get_by_role("dialog", name="Room settings")
    settings.get_by_role("switch", name=re.compile("Public room")).check()
    settings.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Share").click()
    share_url = page.get_by_label("Share link").input_value()
    assert share_url.startswith(f"{base}/public/?slug=")
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
    public = anonymous.new_page()
    public.goto(share_url)
    expect(public.get_by_role("heading", name="Low lounge study")).to_be_visible()
    expect(public.get_by_text("Keep the rail height")).to_be_visible()
    expect(public.get_by_test_id("public-record")).to_have_count(1)
    expect(public.get_by_test_id("public-record").get_by_test_id("keyword")).to_have_count(12)
    expect(public.get_by_role("button", name=re.compile(r"^Pin"))).to_have_count(0)
    expect(public.get_by_role("link", name="Sign in")).to_be_visible()
    shot(public, screenshots, "07-public-room")
    anonymous.close()

    # The second generation spends the last credit: the button gives way to a clear message.
    page.get_by_role("button", name="Use this earlier upload").first.click()
    page.get_by_label("Style keyword").fill("brutalist")
    page.get_by_role("button", name=re.compile("Generate")).click()
    expect(credits).to_have_attribute("data-credits", "0")
    # Reloading mid-generation picks the running record up again and follows it live.
    page.reload()
    expect(page.get_by_test_id("live-record")).to_be_visible()
    expect(page.get_by_test_id("no-credits")).to_contain_text("out of credits")
    expect(page.get_by_role("button", name=re.compile("^Generate"))).to_have_count(0)
    expect(page.get_by_test_id("stage-recommendation")).to_have_attribute(
        "data-status", "ready", timeout=60_000
    )
    expect(page.get_by_test_id("record-card")).to_have_count(2)
    # Newest first.
    expect(page.get_by_test_id("record-card").first).to_contain_text("brutalist")

    # 375 px wide: nothing spills sideways.
    page.set_viewport_size({"width": 375, "height": 812})
    for url in (f"{base}/", room_url, record_url):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert no_horizontal_scroll(page), f"horizontal scroll at 375 px on {url}"
    page.goto(room_url)
    page.wait_for_load_state("networkidle")
    shot(page, screenshots, "08-room-375px")
    assert not errors, errors

    # Someone else cannot open the room or the record, and a bad token brings the login back.
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    other.set_default_timeout(TIMEOUT_MS)
    intruder = other.new_page()
    sign_up(intruder, base, f"other-{uuid.uuid4().hex[:8]}@example.com")
    intruder.goto(room_url)
    expect(intruder.get_by_role("heading", name="Room not found")).to_be_visible()
    expect(intruder.get_by_text("Low lounge study")).to_have_count(0)
    intruder.goto(record_url)
    expect(intruder.get_by_role("heading", name="Record not found")).to_be_visible()
    intruder.evaluate("localStorage.setItem('layerminder.token', 'not-a-token')")
    intruder.goto(f"{base}/")
    intruder.wait_for_url(re.compile(r"/login/"))
    other.close()
    context.close()


def test_failed_stage_shows_error_and_refund(
    failing_studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = failing_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_up(page, base, f"failing-{uuid.uuid4().hex[:8]}@example.com")
    credits = page.get_by_test_id("credit-balance")
    start = int(credits.get_attribute("data-credits") or "0")
    create_room(page, "Refused")
    upload(page, [("ref.webp", "image/webp", image_bytes("WEBP", (90, 110, 130), (400, 400)))])
    page.get_by_role("button", name=re.compile("Generate")).click()

    expect(page.get_by_test_id("stage-image")).to_have_attribute("data-status", "error")
    expect(page.get_by_test_id("stage-image")).to_contain_text("content policy")
    failure = page.get_by_test_id("record-failure")
    expect(failure).to_contain_text("Designs failed")
    expect(failure).to_contain_text("content policy")
    expect(page.get_by_test_id("refund-notice")).to_contain_text("refunded")
    # Stages after the failed one never ran.
    for stage in ("story", "keywords", "recommendation"):
        assert page.get_by_test_id(f"stage-{stage}").get_attribute("data-status") != "ready"
    expect(credits).to_have_attribute("data-credits", str(start))
    expect(page.get_by_test_id("record-card").first).to_contain_text("Refunded")
    shot(page, screenshots, "09-failed-stage-refund")
    context.close()
