"""Views of an OpenAI design through the real openai SDK against the fake OpenAI server: one
images.edit per view with the design as the reference and the view's prompt, each view
stored and scored, and the design's model a labelled proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from layerminder.objects.views import VIEW_PROMPTS
from tests.fakes.openai_server import FakeOpenAI, running_fake_openai
from tests.helpers import create_room, make_image, signup, upload_image
from tests.live import LiveServer, events_until_end
from tests.objects.test_views import _follow
from tests.providers.openai.support import start_openai_server

pytestmark = pytest.mark.slow

EDITS = "/v1/images/edits"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


@pytest.fixture(scope="module")
def server(fake: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_openai_server(fake, tmp_path_factory.mktemp("openai-views"), image_previews=0)
    yield live
    live.stop()


async def test_each_view_is_one_images_edit_of_the_design(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    async with server.client() as client:
        account = await signup(client)
        room_id = await create_room(client, account)
        image = await upload_image(client, account, room_id, make_image(color=(120, 80, 50)))
        started = await client.post(
            "/api/v1/generate",
            json={"session_id": room_id, "input_image_ids": [image["id"]], "keyword": "oak"},
            headers=account.headers,
        )
        record_id = started.json()["record_id"]
        await events_until_end(client, record_id, account.token)
        base = f"/api/v1/records/{record_id}/designs/0"
        before = len(fake.requests_to(EDITS))

        parts = await client.get(f"{base}/parts", headers=account.headers)
        views = await client.post(f"{base}/views", headers=account.headers)
        assert views.status_code == 202, views.text
        await _follow(client, account, base)
        sheet = (await client.get(f"{base}/views", headers=account.headers)).json()

        assert parts.status_code == 200 and parts.json()["proxy"] is True
        assert sheet["status"] == "ready", (sheet, server.log()[-2000:])
        assert sheet["provider"] == "openai"
        edits = fake.requests_to(EDITS)[before:]
        assert len(edits) == 4
        for edit, angle in zip(edits, VIEW_PROMPTS, strict=True):
            assert edit.form["n"] == "1"
            assert edit.form["prompt"].startswith(VIEW_PROMPTS[angle])
            assert [f.field for f in edit.files] == ["image[]"]  # the design alone
        for view in sheet["views"]:
            assert -1.0 <= view["score"] <= 1.0001
            assert view.get("scale_px_per_cm") is None  # not rendered at a known scale
            assert (await client.get(view["url"])).status_code == 200
