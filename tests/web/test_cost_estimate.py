"""Issue 30 in the studio with the OpenAI providers (the fake OpenAI server, the real SDK): the
brief's estimated cost sits next to Generate, live previews are a choice that says what it adds,
and choosing them makes the images stage one streamed call per design."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.openai_server import FakeOpenAI, running_fake_openai
from tests.live import LiveServer
from tests.web.conftest import launch_studio
from tests.web.test_e2e import TIMEOUT_MS, create_room, image_bytes, shot, sign_up, upload

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


@pytest.fixture(scope="module")
def openai_studio(
    web_build: Path, fake: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    server = launch_studio(
        tmp_path_factory.mktemp("openai-studio"),
        web_build,
        image_provider="openai",
        story_provider="openai",
        openai_api_key=fake.api_key,
        openai_base_url=fake.base_url,
        openai_max_retry_seconds="0.5",
    )
    yield server
    server.stop()


def test_the_estimate_is_next_to_generate_and_previews_are_a_choice(
    openai_studio: LiveServer, fake: FakeOpenAI, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    base = openai_studio.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    sign_up(page, base, f"estimate-{uuid.uuid4().hex[:8]}@example.com")
    create_room(page, "Priced study")
    upload(page, [("oak.png", "image/png", image_bytes("PNG", (168, 118, 78), (640, 480)))])
    estimate = page.get_by_test_id("cost-estimate")
    # One reference at `low` on 2.6 Flare, story included: about $0.038 in one call.
    expect(page.get_by_test_id("cost-estimate-usd")).to_have_text(
        re.compile(r"^about \$0\.03\d · gpt-image-2\.6-flare$")
    )
    choice = page.get_by_test_id("previews-choice")
    expect(choice).not_to_be_checked()  # off unless asked for
    expect(estimate).to_contain_text(re.compile(r"Live previews \(\$0\.06\d more\)"))
    choice.check()
    expect(page.get_by_test_id("cost-estimate-usd")).to_have_text(re.compile(r"^about \$0\.1\d"))
    shot(page, screenshots, "estimate-01-next-to-generate", full_page=False)

    before = len(fake.requests_to("/v1/images/edits"))
    page.get_by_role("button", name=re.compile("Generate")).click()
    expect(page.get_by_test_id("stage-image")).to_have_attribute(
        "data-status", "ready", timeout=60_000
    )
    edits = fake.requests_to("/v1/images/edits")[before:]
    assert len(edits) == 4 and all(edit.form["stream"] == "true" for edit in edits)
    token = page.evaluate(
        "() => sessionStorage.getItem('layerminder.token') "
        "?? localStorage.getItem('layerminder.token')"
    )
    records = httpx.get(
        f"{base}/api/v1/records", headers={"Authorization": f"Bearer {token}"}, timeout=30
    ).json()
    assert records["items"][0]["previews"] is True
    assert errors == []
    context.close()
