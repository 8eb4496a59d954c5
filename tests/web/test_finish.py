"""The studio's finish (issue 31) through Debian's Chromium against a real server: Korean that
reads naturally (particles fitted to numbers and names, one word for a design), honest states
for a cancelled record and a cancelled child in the lineage, Studio reachable on a phone,
styled brief controls, designer words instead of ids, and webhook problems in words."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.jobcontrol.common import TUNABLE_IMAGES, steer
from tests.live import LiveServer
from tests.web.conftest import launch_studio
from tests.web.test_e2e import PASSWORD, TIMEOUT_MS, image_bytes, shot, sign_in
from tests.web.test_i18n import assert_speaks, catalogue, message

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def finish_studio(
    web_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Path]]:
    """Offline providers whose image stage a test can slow down (to catch a record running),
    the starter library, and webhooks allowed to this machine (to fail a TLS handshake)."""
    root = tmp_path_factory.mktemp("finish-studio")
    control = root / "control.json"
    steer(control)
    server = launch_studio(
        root,
        web_build,
        image_provider=TUNABLE_IMAGES,
        test_control_file=str(control),
        webhook_allow_private_addresses="true",
    )
    yield server, control
    server.stop()


class Api:
    """One account driven through the API (synchronously: Playwright's sync API already runs
    an event loop on this thread)."""

    def __init__(self, base: str, email: str, locale: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=60)
        signup = self.client.post(
            "/api/v1/auth/signup", json={"email": email, "password": PASSWORD}
        )
        assert signup.status_code == 201, signup.text
        self.headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        assert self.client.patch(
            "/api/v1/auth/me", json={"locale": locale}, headers=self.headers
        ).is_success

    def room_with_input(self, name: str) -> tuple[str, str]:
        room = self.client.post("/api/v1/layerroom", json={"name": name}, headers=self.headers)
        room_id: str = room.json()["id"]
        upload = self.client.post(
            f"/api/v1/layerroom/{room_id}/images",
            files={
                "file": ("oak.jpg", image_bytes("JPEG", (170, 120, 70), (400, 300)), "image/jpeg")
            },
            headers=self.headers,
        )
        return room_id, upload.json()["id"]

    def generate(self, body: dict[str, Any]) -> str:
        started = self.client.post("/api/v1/generate", json=body, headers=self.headers)
        assert started.status_code == 202, started.text
        record_id: str = started.json()["record_id"]
        return record_id

    def record(self, record_id: str) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/records/{record_id}", headers=self.headers)
        body: dict[str, Any] = response.json()
        return body

    def finished(self, record_id: str) -> dict[str, Any]:
        for _ in range(600):
            record = self.record(record_id)
            if record["done"]:
                return record
            time.sleep(0.1)
        raise AssertionError(f"record {record_id} did not finish")

    def cancel(self, record_id: str) -> dict[str, Any]:
        response = self.client.post(f"/api/v1/records/{record_id}/cancel", headers=self.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def _signed_in(browser: Any, base: str, email: str, width: int = 1280) -> tuple[Any, Any]:
    """A browser signed in as `email`; the account's saved language is what the page speaks."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, base, email)
    return context, page


def test_korean_record_pages_fit_particles_and_say_what_was_cancelled(
    finish_studio: tuple[LiveServer, Path], browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    server, control = finish_studio
    ko = catalogue("ko")
    email = f"finish-{uuid.uuid4().hex[:8]}@example.com"
    api = Api(server.base_url, email, "ko")
    room_id, image_id = api.room_with_input("낮은 라운지")
    root = api.finished(
        api.generate({"session_id": room_id, "input_image_ids": [image_id], "language": "ko"})
    )
    refined = api.finished(
        api.generate({"parent": {"record_id": root["id"], "position": 1}, "language": "ko"})
    )
    # A second refine, cancelled while its designs are still being drawn.
    steer(control, image_delay=60)
    cancelled_id = api.generate(
        {"parent": {"record_id": root["id"], "position": 0}, "language": "ko"}
    )
    cancelled = api.cancel(cancelled_id)
    steer(control)
    assert cancelled["cancelled"] and cancelled["refunded"]

    context, page = _signed_in(browser, server.base_url, email)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # 2 is read 이: "시안 2를", not "시안 2을".
    page.goto(f"{server.base_url}/record/?id={refined['id']}")
    expect(page.get_by_test_id("record-origin")).to_have_text("이전 기록의 시안 2를 다듬은 결과")

    # The root's lineage: the cancelled child has a stand-in thumbnail and says it was cancelled.
    page.goto(f"{server.base_url}/record/?id={root['id']}")
    lineage = page.get_by_test_id("lineage")
    node = lineage.locator(f"[data-testid=lineage-node][href*='{cancelled_id}']")
    expect(node).to_have_attribute("data-state", "cancelled")
    expect(node.get_by_test_id("lineage-state")).to_have_text(
        f" · {message(ko, 'lineage.stateCancelled')}"
    )
    expect(node.locator("svg")).to_have_count(1)
    expect(lineage.locator(f"[href*='{refined['id']}']")).to_have_attribute("data-state", "ready")

    # How it was made, in a designer's words; the ids wait in the details.
    providers = page.get_by_test_id("providers")
    expect(providers.get_by_test_id("made-by-image")).to_have_text(
        message(ko, "record.offlineRenderer")
    )
    expect(providers.get_by_test_id("made-by-recommendation")).to_have_text(
        message(ko, "record.basicSimilarity")
    )
    details = providers.get_by_test_id("provider-details")
    assert "procedural" not in providers.inner_text()
    details.locator("summary").click()
    expect(details).to_contain_text("basic-descriptor-v1")
    # The references by their Korean names and the starter set in words.
    first = page.get_by_test_id("recommendation").first
    expect(first).to_contain_text(message(ko, "library.starterSet"))
    assert HANGUL.search(first.inner_text()), first.inner_text()
    assert_speaks(page, "ko", [email, "낮은 라운지"])

    # The cancelled record: no waiting frames, the refund, and what a retry runs.
    page.goto(f"{server.base_url}/record/?id={cancelled_id}")
    notice = page.get_by_test_id("record-cancelled-notice")
    expect(notice.get_by_test_id("cancel-credit")).to_have_text(
        message(ko, "stages.cancelledRefunded")
    )
    stages = ", ".join(
        message(ko, key)
        for key in ("stages.image", "stages.story", "stages.keywords", "stages.recommendation")
    )
    expect(notice.get_by_test_id("cancel-retry-scope")).to_have_text(
        message(ko, "stages.canRetry", stages=stages)
    )
    expect(page.get_by_test_id("designs")).to_have_count(0)
    expect(page.get_by_test_id("design-preview")).to_have_count(0)
    expect(page.get_by_test_id("retry-record")).to_be_visible()
    assert_speaks(page, "ko", [email, "낮은 라운지"])
    shot(page, screenshots, "finish-ko-cancelled-record")
    assert errors == []
    context.close()


def test_a_phone_reaches_the_studio_and_the_brief_controls_are_styled(
    finish_studio: tuple[LiveServer, Path], browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    server, _ = finish_studio
    ko = catalogue("ko")
    email = f"phone-{uuid.uuid4().hex[:8]}@example.com"
    api = Api(server.base_url, email, "ko")
    room_id, image_id = api.room_with_input("스툴 연구")
    api.finished(
        api.generate({"session_id": room_id, "input_image_ids": [image_id], "language": "ko"})
    )
    context, page = _signed_in(browser, server.base_url, email, width=390)

    # Two references in the brief: the screen-reader labels fit their numbers (1을, 2를).
    page.goto(f"{server.base_url}/room/?id={room_id}")
    page.get_by_test_id("file-input").set_input_files(
        [
            {"name": name, "mimeType": "image/png", "buffer": image_bytes("PNG", rgb, (300, 300))}
            for name, rgb in (("a.png", (90, 60, 40)), ("b.png", (200, 190, 170)))
        ]
    )
    expect(page.get_by_label("레퍼런스 1을 반영할 정도")).to_be_visible()
    expect(page.get_by_label("레퍼런스 2를 반영할 정도")).to_be_visible()
    # The role and strength controls are drawn by the studio, not the browser's defaults.
    for control in (
        page.get_by_test_id("input-role").first,
        page.get_by_test_id("input-strength").first,
    ):
        assert control.evaluate("el => getComputedStyle(el).appearance") == "none"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # On a phone the header still leads to the Studio.
    nav = page.get_by_role("navigation", name=message(ko, "header.nav"))
    nav.get_by_role("link", name=message(ko, "header.studio")).click()
    page.wait_for_url(f"{server.base_url}/studio/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    search = page.get_by_label(message(ko, "studio.searchLabel"))
    border = search.evaluate(
        "el => [getComputedStyle(el).borderTopWidth, getComputedStyle(el).borderTopColor]"
    )
    assert border == ["1px", "rgb(228, 223, 214)"], border
    shot(page, screenshots, "finish-ko-studio-390px")

    # Favourites only: the one hearted design, not its record's four.
    designs = page.get_by_test_id("studio-design")
    expect(designs).to_have_count(4)
    designs.nth(2).get_by_role("button", name=re.compile("즐겨찾기에 추가$")).click()
    expect(
        designs.nth(2).get_by_role("button", name=re.compile("즐겨찾기에서 빼기$"))
    ).to_be_visible()
    page.get_by_label(message(ko, "studio.onlyFavourites")).check()
    expect(designs).to_have_count(1)
    page.get_by_label(message(ko, "studio.onlyFavourites")).uncheck()
    expect(designs).to_have_count(4)

    # More like this: the library's hits go by their Korean titles.
    designs.first.get_by_role("button", name=re.compile("비슷한 것$")).click()
    references = page.locator("[data-testid=similar-hit][data-kind=reference]")
    expect(references.first).to_be_visible()
    for title in references.get_by_test_id("similar-title").all_inner_texts():
        assert HANGUL.search(title), title
    assert_speaks(page, "ko", [email, "스툴 연구"])

    # The library: Korean tags; a word match says so instead of a similarity bar.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.base_url}/library/")
    tags = page.get_by_test_id("reference-tags").first
    expect(tags).to_be_visible()
    assert HANGUL.search(tags.inner_text()), tags.inner_text()
    page.get_by_label(message(ko, "library.searchLabel")).fill("walnut")
    page.get_by_role("button", name=message(ko, "library.search"), exact=True).click()
    expect(page.get_by_test_id("word-match").first).to_have_text(message(ko, "library.wordMatch"))
    expect(page.get_by_test_id("score")).to_have_count(0)
    assert_speaks(page, "ko", [email, "walnut"])
    context.close()


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_webhook_problems_are_said_in_words(
    finish_studio: tuple[LiveServer, Path], browser: Any, locale: str
) -> None:
    from playwright.sync_api import expect

    server, _ = finish_studio
    words = catalogue(locale)
    email = f"hooks-{locale}-{uuid.uuid4().hex[:8]}@example.com"
    Api(server.base_url, email, locale)
    context, page = _signed_in(browser, server.base_url, email)
    page.goto(f"{server.base_url}/settings/")

    def add(url: str) -> Any:
        page.get_by_role("button", name=message(words, "settings.webhooks.add")).first.click()
        dialog = page.get_by_role("dialog", name=message(words, "settings.webhooks.add"))
        dialog.get_by_label(message(words, "settings.webhooks.url")).fill(url)
        dialog.get_by_role("button", name=message(words, "settings.webhooks.addSubmit")).click()
        return dialog

    # A host that does not exist: the server's reason, in the reader's language.
    dialog = add("https://no-such-host.invalid/hooks")
    expect(dialog.get_by_role("alert")).to_have_text(message(words, "errors.HostNotFound"))
    dialog.get_by_role("button", name=message(words, "common.cancel")).click()

    # https:// to a plain-HTTP server: the failed handshake in words, the raw error in details.
    port = server.base_url.rsplit(":", 1)[1]
    add(f"https://127.0.0.1:{port}/hooks")
    expect(page.get_by_test_id("new-webhook-secret")).to_be_visible()
    page.get_by_role("button", name=message(words, "settings.webhooks.sendTest")).click()
    problem = page.get_by_test_id("delivery-problem")
    for _ in range(50):
        page.get_by_role("button", name=message(words, "settings.webhooks.showDeliveries")).click()
        if problem.count():
            break
        page.wait_for_timeout(200)
    expect(problem).to_contain_text(message(words, "settings.webhooks.problem.tls"))
    assert "SSL" not in problem.inner_text()  # the transport's words stay folded away
    problem.locator("summary").click()
    expect(problem.locator("code")).to_contain_text("tls: ConnectError")
    context.close()
