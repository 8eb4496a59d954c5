"""Browser-test fixtures: the built web studio, Debian's Chromium, and real server processes."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI
from tests.live import LiveServer, server_env, start_server

REPO = Path(__file__).resolve().parents[2]
WEB_OUT = REPO / "web" / "out"
CHROMIUM = Path(os.environ.get("LAYERMINDER_TEST_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO / "artifacts" / "screenshots"
# The flags a root, offline, headless machine needs; without the background-networking ones
# Chromium keeps dialling Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _unavailable(reason: str) -> None:
    """Skip locally with the reason; in CI (CI=true) a missing browser or build is a failure."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def web_build() -> Path:
    """web/out, built by `make web` (a no-op when it is newer than every source)."""
    if shutil.which("npm") is None or shutil.which("make") is None:
        if not (WEB_OUT / "index.html").is_file():
            _unavailable("the web studio is not built and npm/make are missing to build it")
        return WEB_OUT
    result = subprocess.run(
        ["make", "-s", "web"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0 or not (WEB_OUT / "index.html").is_file():
        pytest.fail(f"`make web` failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return WEB_OUT


# Per module, not per session: the sync Playwright API keeps an event loop running until it
# stops, and any async test collected after it in the same run would fail to start its own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import expect, sync_playwright

    # `expect` has its own 5 s default that context.set_default_timeout does not change; a
    # generation on a loaded 2-core CI machine can take longer than that to reach `ready`.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def launch_studio(root: Path, web_dir: Path, **settings: Any) -> LiveServer:
    """A real `layerminder serve` process (embedded defaults: SQLite + a storage folder)."""
    env = server_env(
        root / "data",
        f"sqlite+aiosqlite:///{root / 'layerminder.db'}",
        web_dir=str(web_dir),
        seed_library="true",
        **settings,
    )
    return start_server(env, root / "server.log")


@pytest.fixture(scope="session")
def plain_studio(web_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The embedded default (the starter library, offline providers), shared by every browser
    module that needs nothing else: one server start for all of them. Each signs up its own
    accounts; one that changes what all see (the library) puts it back."""
    server = launch_studio(tmp_path_factory.mktemp("plain-studio"), web_build)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def studio(web_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The studio with paced offline providers (so each stage visibly arrives on its own) and two
    signup credits (so a second generation reaches the zero-credit state)."""
    server = launch_studio(
        tmp_path_factory.mktemp("studio"),
        web_build,
        image_provider="tests.web.providers:PacedImageProvider",
        story_provider="tests.web.providers:PacedStoryProvider",
        signup_credits="2",
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def failing_studio(
    web_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The studio whose image provider always refuses: the first stage fails and refunds."""
    server = launch_studio(
        tmp_path_factory.mktemp("failing-studio"),
        web_build,
        image_provider="tests.fakes.providers:FailingImageProvider",
    )
    yield server
    server.stop()
