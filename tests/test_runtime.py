"""The process runtime: its members are built on first use, once, and closed at shutdown."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from layerminder.config import Settings
from layerminder.runtime import open_runtime


class ClosingProvider:
    """A provider plugin that notes when it is built and closed (like an HTTP client's pool)."""

    built: ClassVar[list[ClosingProvider]] = []

    def __init__(self, settings: Settings) -> None:
        self.closed = False
        ClosingProvider.built.append(self)

    async def aclose(self) -> None:
        self.closed = True


async def test_members_are_built_once_on_first_use_and_closed_at_shutdown(tmp_path: Path) -> None:
    plugin = "tests.test_runtime:ClosingProvider"
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        seed_library=False,
        image_provider=plugin,
        story_provider=plugin,
    )
    ClosingProvider.built.clear()
    async with open_runtime(settings) as runtime:
        assert ClosingProvider.built == []
        first = runtime.image_provider
        assert runtime.image_provider is first
        assert len(ClosingProvider.built) == 1
        assert not ClosingProvider.built[0].closed
    assert ClosingProvider.built[0].closed
    # The story provider was never used: shutdown did not build it just to close it.
    assert len(ClosingProvider.built) == 1
