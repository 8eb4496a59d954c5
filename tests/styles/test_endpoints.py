"""GET /api/v1/styles and the preview renders, through a real server process."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from tests.live import LiveServer, server_env, start_server

pytestmark = pytest.mark.slow

NAMED = {
    "japandi", "scandinavian", "mid-century-modern", "bauhaus", "brutalist", "art-deco",
    "memphis", "wabi-sabi", "shaker", "korean-minimal", "industrial", "organic-modern",
}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("styles")
    live = start_server(
        server_env(root / "data", f"sqlite+aiosqlite:///{root / 'lm.db'}"), root / "server.log"
    )
    yield live
    live.stop()


async def test_styles_list_in_both_languages_with_previews(server: LiveServer) -> None:
    async with server.client() as client:
        response = await client.get("/api/v1/styles")
        assert response.status_code == 200
        styles = response.json()["items"]
        assert len(styles) >= 12
        assert {style["id"] for style in styles} >= NAMED
        previews = set()
        for style in styles:
            assert style["name"] and style["description"]
            # Korean text really is Korean: at least one Hangul syllable in each.
            for field in ("name_ko", "description_ko"):
                assert any("\uac00" <= ch <= "\ud7a3" for ch in style[field]), style[field]
            assert style["materials"] and all(c.startswith("#") for c in style["palette"])
            preview = await client.get(style["preview_url"])
            assert preview.status_code == 200
            assert preview.headers["content-type"] == "image/jpeg"
            with Image.open(io.BytesIO(preview.content)) as image:
                assert image.format == "JPEG" and image.width >= 256
            previews.add(preview.content)
        assert len(previews) == len(styles)  # each style renders its own preview
        missing = await client.get("/api/v1/styles/rococo/preview.jpg")
        assert missing.status_code == 404 and set(missing.json()) == {"error", "detail"}
