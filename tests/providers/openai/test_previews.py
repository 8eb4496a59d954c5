"""Live previews with OpenAI (issue 16): each design is a streamed `images.edit` call whose
partial images reach the page as `preview` events. The real openai SDK reads the fake server's
server-sent events (`image_edit.partial_image`, `image_edit.completed`) over real HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.fakes.openai_server import FakeOpenAI, Reply, running_fake_openai
from tests.helpers import create_room, make_image, signup, upload_image
from tests.live import Event, LiveServer, read_stream
from tests.providers.openai.support import start_openai_server

pytestmark = pytest.mark.slow

EDITS = "/v1/images/edits"
STAGES = ("image_status", "story_status", "keywords_status", "recommendation_status")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


@pytest.fixture(scope="module")
def server(fake: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_openai_server(fake, tmp_path_factory.mktemp("openai-previews"), image_previews=2)
    yield live
    live.stop()


async def test_partial_images_stream_into_previews(server: LiveServer, fake: FakeOpenAI) -> None:
    # Each partial image is held a moment, so one can be looked at while it is the latest.
    fake.queue_images(*(Reply(partial_delay=0.3) for _ in range(4)))
    async with server.client() as client:
        account = await signup(client)
        room_id = await create_room(client, account)
        image = await upload_image(client, account, room_id, make_image(color=(90, 60, 40)))
        response = await client.post(
            "/api/v1/generate",
            # Previews with OpenAI cost more, so they are asked for (the server's default is off).
            json={
                "session_id": room_id,
                "input_image_ids": [image["id"]],
                "keyword": "walnut",
                "previews": True,
            },
            headers=account.headers,
        )
        assert response.status_code == 202, response.text
        record_id = response.json()["record_id"]

        previews: list[Event] = []
        states: list[Event] = []
        async for event in read_stream(client, record_id, account.token):
            if event.event == "preview":
                assert event.data is not None
                if not previews:
                    got = await client.get(event.data["url"])
                    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
                    with Image.open(io.BytesIO(got.content)) as shown:
                        # A 1024 px partial image, kept small for the card.
                        assert max(shown.size) <= 384
                previews.append(event)
            elif event.event != "end":
                states.append(event)

        steps: dict[int, list[int]] = {}
        for event in previews:
            data = event.data
            assert data is not None and data["of"] == 3
            assert data["record"]["image_status"] == "processing"
            steps.setdefault(data["position"], []).append(data["step"])
        # Two partial images per design, in order; the streams ran side by side.
        assert {position: sorted(s) for position, s in steps.items()} == {
            p: [1, 2] for p in range(4)
        }
        assert all(s == sorted(s) for s in steps.values())
        ready_at = min(int(e.id) for e in states if e.data and e.data["image_status"] == "ready")
        assert all(int(e.id) < ready_at for e in previews)

        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert all(record[s] == "ready" for s in STAGES), record
        assert [d["status"] for d in record["designs"]] == ["ready"] * 4
        assert len({d["image_id"] for d in record["designs"]}) == 4
        design = await client.get(record["designs"][0]["url"])
        assert Image.open(io.BytesIO(design.content)).size == (1024, 1024)
        usage = record["usage"]["images"]
        assert usage["images"] == 4 and usage["output_tokens"] == 4 * (272 + 2 * 100)
        # Gone with the end of the record, at their signed URLs and for their owner alike.
        for event in previews:
            assert event.data is not None
            assert (await client.get(event.data["url"])).status_code == 404
            path = urlsplit(event.data["url"]).path
            assert (await client.get(path, headers=account.headers)).status_code == 404

    # What the API received: one streamed call per design, asking for two partial images.
    edits = fake.requests_to(EDITS)
    assert len(edits) == 4 and all(edit.status == 200 for edit in edits)
    for edit in edits:
        assert edit.form["stream"] == "true"
        assert edit.form["partial_images"] == "2"
        assert edit.form["n"] == "1"
        assert edit.form["output_format"] == "jpeg"
        assert [f.field for f in edit.files] == ["image[]"]


async def test_without_a_choice_openai_makes_the_one_cheaper_call(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    """Issue 30: previews with OpenAI are asked for; a brief that does not ask is one call with
    n=4 (the references paid once), and the estimate says what each way costs."""
    before = len(fake.requests_to(EDITS))
    async with server.client() as client:
        account = await signup(client)
        room_id = await create_room(client, account)
        image = await upload_image(client, account, room_id, make_image(color=(40, 90, 60)))
        estimate = await client.get(
            "/api/v1/generate/estimate", params={"input_images": 1}, headers=account.headers
        )
        assert estimate.status_code == 200, estimate.text
        cost = estimate.json()
        assert cost["provider"] == "openai" and cost["previews_default"] is False
        assert cost["without_previews"]["calls"] == 1 and cost["with_previews"]["calls"] == 4
        assert cost["with_previews"]["usd"] > cost["without_previews"]["usd"] > 0
        response = await client.post(
            "/api/v1/generate",
            json={"session_id": room_id, "input_image_ids": [image["id"]], "keyword": "oak"},
            headers=account.headers,
        )
        assert response.status_code == 202, response.text
        record_id = response.json()["record_id"]
        events = [event.event async for event in read_stream(client, record_id, account.token)]
        assert "preview" not in events
        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert record["image_status"] == "ready"
        assert record["previews"] is None
        # The real cost, from the usage the one call returned: 4 designs, the reference once.
        usage = record["usage"]["images"]
        assert usage["images"] == 4 and usage["input_image_tokens"] == 323
        assert usage["cost_microusd"] == (
            usage["input_text_tokens"] * 5 + 323 * 8 + usage["output_tokens"] * 30
        )
        assert record["cost_usd"] > 0

    [edit] = fake.requests_to(EDITS)[before:]
    assert edit.form["n"] == "4" and "stream" not in edit.form
    assert edit.form["model"] == "gpt-image-2"
