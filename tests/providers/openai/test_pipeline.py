"""The whole pipeline through the API with the OpenAI providers: the real openai SDK, real HTTP.

One LayerMinder server process for the module, pointed at a fake OpenAI server that runs in this
test process (a thread). Each test programs the fake's replies, generates through HTTP, follows
the record over SSE to the end, and checks both what the user sees and what the fake received.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.fakes.openai_server import (
    FakeOpenAI,
    RecordedRequest,
    chat_reply,
    content_policy_violation,
    rate_limited,
    running_fake_openai,
    server_error,
    story_json,
    story_json_ko,
)
from tests.helpers import STAGES, Account, create_room, make_image, signup, upload_image
from tests.live import LiveServer, events_until_end
from tests.providers.openai.support import IMAGE_MODEL, STORY_MODEL, start_openai_server

pytestmark = pytest.mark.slow

EDITS = "/v1/images/edits"
CHAT = "/v1/chat/completions"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


@pytest.fixture(scope="module")
def server(fake: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("openai-pipeline")
    # One images.edit call with n=4, as these tests script it; streamed previews (a call per
    # design) have their own tests in test_previews.py.
    live = start_openai_server(fake, root, image_previews=0)
    yield live
    live.stop()


@pytest.fixture(autouse=True)
def clean_fake(fake: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """Each test starts with empty reply queues and no recorded requests."""
    fake.script.images.clear()
    fake.script.chat.clear()
    with fake._lock:
        fake.requests.clear()
    yield fake
    leftover = len(fake.script.images) + len(fake.script.chat)
    assert leftover == 0, "the test queued replies the pipeline never asked for"


async def _generate_and_follow(
    client: httpx.AsyncClient,
    account: Account,
    inputs: int,
    keyword: str | None = "walnut",
    language: str | None = None,
) -> dict[str, Any]:
    """Upload `inputs` references, generate, follow the SSE stream to `end`; the final record."""
    room_id = await create_room(client, account)
    colours = [(200, 60, 40), (40, 90, 160), (230, 200, 120), (60, 60, 60)]
    image_ids = [
        (await upload_image(client, account, room_id, make_image(color=colours[i])))["id"]
        for i in range(inputs)
    ]
    body: dict[str, Any] = {"session_id": room_id, "input_image_ids": image_ids}
    if keyword is not None:
        body["keyword"] = keyword
    if language is not None:
        body["language"] = language
    response = await client.post("/api/v1/generate", json=body, headers=account.headers)
    assert response.status_code == 202, response.text
    record_id = response.json()["record_id"]
    events = await events_until_end(client, record_id, account.token)
    assert events[-1].event == "end"
    record = await client.get(f"/api/v1/records/{record_id}", headers=account.headers)
    assert record.status_code == 200
    final: dict[str, Any] = record.json()
    return final


async def _balance(client: httpx.AsyncClient, account: Account) -> tuple[int, list[str]]:
    body = (await client.get("/api/v1/credits", headers=account.headers)).json()
    return body["balance"], [t["reason"] for t in body["transactions"]]


def _statuses(requests: list[RecordedRequest]) -> list[int]:
    return [request.status for request in requests]


def _assert_ready(record: dict[str, Any], server: LiveServer) -> None:
    assert all(record[stage] == "ready" for stage in STAGES), (
        {stage: record[stage] for stage in STAGES},
        record.get("image_error"),
        record.get("story_error"),
        record.get("recommendation_error"),
        server.log()[-3000:],
    )


async def test_happy_path_sends_what_the_api_expects_and_stores_usage(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=3)
        _assert_ready(record, server)

        # What the user sees.
        assert len(record["designs"]) == 4
        assert len({d["image_id"] for d in record["designs"]}) == 4
        design = await client.get(record["designs"][0]["url"])
        assert design.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(design.content)).size == (1024, 1024)
        assert record["keywords"] == json.loads(story_json())["keywords"]
        assert len(record["keywords"]) == 12
        assert record["name"] == "Nordic Oak Lounge Chair"
        assert record["dimensions"] == {
            "width_cm": 72,
            "depth_cm": 80,
            "height_cm": 76,
            "seat_height_cm": 40,
        }
        # The type the model named picks the ranges: this lounge chair's sizes all pass.
        assert record["furniture_type"] == "lounge_chair"
        assert {c["dimension"]: c["status"] for c in record["checks"]} == {
            "seat_height_cm": "ok",
            "width_cm": "ok",
            "depth_cm": "ok",
            "height_cm": "ok",
        }
        assert len(record["story"].split("\n\n")) == 2
        assert record["image_provider"] == record["story_provider"] == "openai"
        assert record["image_model"] == IMAGE_MODEL
        assert record["story_model"] == STORY_MODEL
        assert len(record["recommendations"]) == 3
        assert await _balance(client, account) == (49, ["generation", "signup"])

        # The usage the API reported, as stored on the record.
        images_usage = record["usage"]["images"]
        assert images_usage["images"] == 4
        assert images_usage["input_image_tokens"] == 3 * 323
        assert images_usage["output_tokens"] == 4 * 272
        assert images_usage["total_tokens"] > images_usage["output_tokens"]
        story_usage = record["usage"]["story"]
        assert story_usage["requests"] == 1
        assert story_usage["prompt_tokens"] > 0 and story_usage["completion_tokens"] > 0
        assert story_usage["completion_reasoning_tokens"] == 0

    # What the fake OpenAI server received: one edit call with every reference.
    (edit,) = fake.requests_to(EDITS)
    assert edit.status == 200
    assert edit.headers["authorization"] == f"Bearer {fake.api_key}"
    assert edit.form["model"] == IMAGE_MODEL
    assert edit.form["n"] == "4"
    assert edit.form["size"] == "1024x1024"
    assert edit.form["quality"] == "low"
    assert edit.form["output_format"] == "jpeg"
    assert edit.form["output_compression"] == "50"
    assert "walnut" in edit.form["prompt"] and "3 reference images" in edit.form["prompt"]
    images = [f for f in edit.files if f.field == "image[]"]
    assert len(images) == len(edit.files) == 3
    assert [f.filename for f in images] == [f"reference-{i}.jpg" for i in (1, 2, 3)]
    assert {f.content_type for f in images} == {"image/jpeg"}

    # One chat call: system + user with text and the first design as a data URL.
    (chat,) = fake.requests_to(CHAT)
    assert chat.status == 200
    body = chat.json
    assert body["model"] == STORY_MODEL
    assert body["reasoning_effort"] == "low"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    system, user = body["messages"]
    assert system["role"] == "system" and "furniture" in system["content"]
    assert user["role"] == "user"
    text_part, image_part = user["content"]
    assert text_part["type"] == "text" and "walnut" in text_part["text"]
    assert image_part["type"] == "image_url"
    url = image_part["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    sent = base64.b64decode(url.split(",", 1)[1])
    assert sent == design.content  # exactly the first stored design


async def test_without_a_keyword_the_prompt_still_makes_sense(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1, keyword=None)
        _assert_ready(record, server)
    (edit,) = fake.requests_to(EDITS)
    prompt = edit.form["prompt"]
    assert "this reference image" in prompt and "contemporary minimalist" in prompt
    assert len([f for f in edit.files if f.field == "image[]"]) == 1
    (chat,) = fake.requests_to(CHAT)
    assert "described the intended style" not in chat.json["messages"][1]["content"][0]["text"]


@pytest.mark.parametrize(
    ("transient", "status"), [(rate_limited, 429), (server_error, 500)], ids=["429", "500"]
)
async def test_a_transient_image_error_is_retried(
    server: LiveServer, fake: FakeOpenAI, transient: Any, status: int
) -> None:
    fake.queue_images(transient())  # then the default: success
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=2)
        _assert_ready(record, server)
        assert len(record["designs"]) == 4
        assert await _balance(client, account) == (49, ["generation", "signup"])
    edits = fake.requests_to(EDITS)
    assert _statuses(edits) == [status, 200]
    # The retry is the same request again.
    assert edits[0].form == edits[1].form
    assert [f.data for f in edits[0].files] == [f.data for f in edits[1].files]


async def test_a_transient_story_error_is_retried(server: LiveServer, fake: FakeOpenAI) -> None:
    fake.queue_chat(rate_limited(), server_error())
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1)
        _assert_ready(record, server)
        assert record["usage"]["story"]["requests"] == 1
    assert _statuses(fake.requests_to(CHAT)) == [429, 500, 200]


async def test_content_policy_rejection_fails_the_stage_and_refunds(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    rejection = content_policy_violation()
    fake.queue_images(rejection)
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=2)
        assert record["image_status"] == "error"
        assert rejection.error is not None
        assert record["image_error"] == rejection.error["message"]
        assert record["story_status"] == record["recommendation_status"] == "error"
        assert record["story_error"].startswith("not run")
        assert record["designs"] == []
        assert record["refunded"] is True
        assert await _balance(client, account) == (50, ["refund", "generation", "signup"])
        credits = (await client.get("/api/v1/credits", headers=account.headers)).json()
        refund = next(t for t in credits["transactions"] if t["reason"] == "refund")
        assert refund["delta"] == 1
    # A 400 is never retried, and the story model is never asked.
    assert _statuses(fake.requests_to(EDITS)) == [400]
    assert fake.requests_to(CHAT) == []


async def test_malformed_json_is_sent_back_once_with_the_error(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    fake.queue_chat(chat_reply('{"name": "Chair", "keywords": ['), chat_reply(story_json()))
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1)
        _assert_ready(record, server)
        assert len(record["keywords"]) == 12
        assert record["usage"]["story"]["requests"] == 2
    first, second = fake.requests_to(CHAT)
    assert len(first.json["messages"]) == 2
    messages = second.json["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == '{"name": "Chair", "keywords": ['
    assert "not valid JSON" in messages[3]["content"]


async def test_eleven_keywords_are_sent_back_and_twelve_accepted(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    fake.queue_chat(chat_reply(story_json(keywords=11)), chat_reply(story_json(keywords=12)))
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1)
        _assert_ready(record, server)
        assert record["keywords"] == json.loads(story_json())["keywords"]
    first, second = fake.requests_to(CHAT)
    assert len(first.json["messages"]) == 2
    correction = second.json["messages"][-1]["content"]
    assert "got 11 valid of 11" in correction


async def test_two_bad_stories_fail_the_story_stage_and_keep_the_credit(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    fake.queue_chat(chat_reply("not json"), chat_reply(story_json(keywords=5)))
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1)
        assert record["image_status"] == "ready" and len(record["designs"]) == 4
        assert record["story_status"] == record["keywords_status"] == "error"
        assert "invalid story twice" in record["story_error"]
        assert "got 5 valid" in record["story_error"]
        assert record["refunded"] is False
        assert await _balance(client, account) == (49, ["generation", "signup"])
    assert _statuses(fake.requests_to(CHAT)) == [200, 200]


async def test_a_korean_story_is_asked_for_and_kept_with_its_display_keywords(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1, language="ko")
        _assert_ready(record, server)

    reply = json.loads(story_json_ko())
    assert record["language"] == "ko"
    assert record["name"] == reply["name"] and record["story"] == reply["story"]
    assert record["keywords"] == reply["keywords"]
    assert record["keywords_display"] == reply["keywords_display"]
    (chat,) = fake.requests_to(CHAT)
    assert "Korean (한국어)" in chat.json["messages"][1]["content"][0]["text"]
    schema = chat.json["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["language"]["enum"] == ["ko"]
    assert "keywords_display" in schema["required"]


async def test_a_region_edit_sends_the_image_and_its_mask_to_images_edit(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1)
        _assert_ready(record, server)
        design = record["designs"][2]
        original_bytes = (await client.get(design["url"])).content
        mask = Image.new("RGBA", (1024, 1024), (0, 0, 0, 255))
        mask.paste((0, 0, 0, 0), (300, 300, 700, 700))
        buffer = io.BytesIO()
        mask.save(buffer, format="PNG")
        uploaded = await client.post(
            f"/api/v1/layerroom/{record['room_id']}/images",
            files={"file": ("mask.png", buffer.getvalue(), "image/png")},
            data={"purpose": "mask"},
            headers=account.headers,
        )
        assert uploaded.status_code == 201, uploaded.text
        with fake._lock:
            fake.requests.clear()

        response = await client.post(
            "/api/v1/generate",
            json={
                "edit": {
                    "image_id": design["image_id"],
                    "mask_image_id": uploaded.json()["id"],
                    "prompt": "a cane back panel",
                }
            },
            headers=account.headers,
        )
        assert response.status_code == 202, response.text
        record_id = response.json()["record_id"]
        await events_until_end(client, record_id, account.token)
        edited = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert edited["image_status"] == "ready", edited["image_error"]
        assert edited["parent"] == {"record_id": record["id"], "position": 2}

        [request] = fake.requests_to(EDITS)
        assert request.status == 200
        images = [f for f in request.files if f.field == "image[]"]
        [sent_mask] = [f for f in request.files if f.field == "mask"]
        assert [f.data for f in images] == [original_bytes]  # the design itself, once
        assert sent_mask.data == buffer.getvalue()
        assert sent_mask.content_type == "image/png"
        assert "a cane back panel" in request.form["prompt"]
        assert "transparent area" in request.form["prompt"]
        assert request.form["n"] == "4"

        # The fake paints whole new chairs (its answer 2 happens to be this very design): outside
        # the mask the original survives exactly, inside the others show through.
        with Image.open(io.BytesIO(original_bytes)) as image:
            before = np.asarray(image.convert("RGB"))
        outside = np.ones(before.shape[:2], dtype=bool)
        outside[300:700, 300:700] = False
        changed = []
        for result in edited["designs"]:
            with Image.open(io.BytesIO((await client.get(result["url"])).content)) as image:
                after = np.asarray(image.convert("RGB"))
            assert np.array_equal(after[outside], before[outside])
            changed.append(not np.array_equal(after[~outside], before[~outside]))
        assert changed == [True, True, False, True]


async def test_the_brief_reaches_openai_in_order_with_roles_and_the_record_has_its_cost(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    async with server.client() as client:
        account = await signup(client)
        room_id = await create_room(client, account)
        colours = [(200, 60, 40), (40, 90, 160), (230, 200, 120)]
        ids = [
            (await upload_image(client, account, room_id, make_image(color=c)))["id"]
            for c in colours
        ]
        inputs = [
            {"image_id": ids[2], "role": "material", "strength": 0.3},
            {"image_id": ids[0], "role": "form", "strength": 0.8},
            {"image_id": ids[1], "role": "colour", "strength": 1.0},
        ]
        response = await client.post(
            "/api/v1/generate",
            json={"session_id": room_id, "inputs": inputs, "style": "japandi", "keyword": "ash"},
            headers=account.headers,
        )
        assert response.status_code == 202, response.text
        record_id = response.json()["record_id"]
        await events_until_end(client, record_id, account.token)
        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        _assert_ready(record, server)
        stored = [
            (await client.get(f"/api/v1/images/{image_id}", headers=account.headers)).content
            for image_id in (ids[2], ids[0], ids[1])
        ]
        images_usage, story_usage = record["usage"]["images"], record["usage"]["story"]

    (edit,) = fake.requests_to(EDITS)
    sent = [f for f in edit.files if f.field == "image[]"]
    assert [f.data for f in sent] == stored  # the brief's order, not the upload order
    lines = edit.form["prompt"].splitlines()
    assert [line for line in lines if line.startswith("Image ")] == [
        "Image 1: take its materials and surface textures (light).",
        "Image 2: take its form: silhouette, proportions and structure (strong).",
        "Image 3: take its colour palette (very strong).",
    ]
    assert any(line.startswith("Style: Japandi") for line in lines)
    assert any(line.startswith("Keyword: ash") for line in lines)
    assert "input_fidelity" not in edit.form

    # The cost on the record is computed from the usage the fake API returned.
    image_cost = (
        images_usage["input_text_tokens"] * 5
        + images_usage["input_image_tokens"] * 8
        + images_usage["output_tokens"] * 30
    )
    assert images_usage["cost_microusd"] == image_cost
    story_cost = round(
        story_usage["prompt_tokens"] * 0.10 + story_usage["completion_tokens"] * 0.50
    )
    assert story_usage["cost_microusd"] == story_cost
    assert record["cost_usd"] == round((image_cost + story_cost) / 1_000_000, 6) > 0


def _markup_png(size: tuple[int, int], *, strokes: bool = True) -> bytes:
    """A designer's markup: a transparent layer with a circle, an arrow and a note's ink."""
    from PIL import ImageDraw

    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    if strokes:
        draw = ImageDraw.Draw(layer)
        draw.ellipse((300, 300, 700, 700), outline=(230, 40, 40, 255), width=8)
        draw.line((800, 200, 650, 350), fill=(230, 40, 40, 255), width=8)
        draw.text((720, 160), "cane", fill=(230, 40, 40, 255))
    buffer = io.BytesIO()
    layer.save(buffer, format="PNG")
    return buffer.getvalue()


async def test_a_markup_edit_sends_the_strokes_to_the_edit_model(
    server: LiveServer, fake: FakeOpenAI
) -> None:
    """Issue 30: `edit: {image_id, markup_image_id, prompt}` reaches images.edit as `markup`
    (the exact bytes uploaded) on gpt-image-2.6-sunburst, never with a mask; a markup of
    another size, or with no stroke, is a 422 before anything is spent."""
    async with server.client() as client:
        account = await signup(client)
        record = await _generate_and_follow(client, account, inputs=1)
        _assert_ready(record, server)
        design = record["designs"][1]
        original_bytes = (await client.get(design["url"])).content

        async def upload_markup(data: bytes) -> str:
            uploaded = await client.post(
                f"/api/v1/layerroom/{record['room_id']}/images",
                files={"file": ("markup.png", data, "image/png")},
                data={"purpose": "markup"},
                headers=account.headers,
            )
            assert uploaded.status_code == 201, uploaded.text
            assert uploaded.json()["kind"] == "markup"
            return str(uploaded.json()["id"])

        async def balance() -> int:
            me = await client.get("/api/v1/auth/me", headers=account.headers)
            return int(me.json()["credits"])

        def markup_edit(markup_id: str) -> dict[str, Any]:
            return {
                "edit": {
                    "image_id": design["image_id"],
                    "markup_image_id": markup_id,
                    "prompt": "a cane back panel; note: cane",
                }
            }

        start = await balance()
        for bad in (_markup_png((512, 512)), _markup_png((1024, 1024), strokes=False)):
            refused = await client.post(
                "/api/v1/generate",
                json=markup_edit(await upload_markup(bad)),
                headers=account.headers,
            )
            assert refused.status_code == 422, refused.text
            assert refused.json()["error"] == "InvalidMarkup"
        both = markup_edit(await upload_markup(_markup_png((1024, 1024))))
        both["edit"]["mask_image_id"] = both["edit"]["markup_image_id"]
        refused = await client.post("/api/v1/generate", json=both, headers=account.headers)
        assert refused.status_code == 422
        assert await balance() == start
        assert fake.requests_to(EDITS) == [] or all(
            "markup" not in [f.field for f in r.files] for r in fake.requests_to(EDITS)
        )

        markup = _markup_png((1024, 1024))
        with fake._lock:
            fake.requests.clear()
        response = await client.post(
            "/api/v1/generate",
            json=markup_edit(await upload_markup(markup)),
            headers=account.headers,
        )
        assert response.status_code == 202, response.text
        record_id = response.json()["record_id"]
        await events_until_end(client, record_id, account.token)
        edited = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert edited["image_status"] == "ready", edited["image_error"]
        assert edited["edit"]["markup_image_id"] is not None
        assert edited["edit"]["mask_image_id"] is None
        assert edited["image_model"] == "gpt-image-2.6-sunburst"
        assert await balance() == start - 1
        # The real cost, from the edit call's usage at 2.6's prices.
        usage = edited["usage"]["images"]
        assert usage["cost_microusd"] == (
            usage["input_text_tokens"] * 5
            + usage["input_image_tokens"] * 8
            + usage["output_tokens"] * 30
        )

        [request] = fake.requests_to(EDITS)
        assert request.status == 200
        assert request.form["model"] == "gpt-image-2.6-sunburst"
        assert [f.field for f in request.files] == ["image[]", "markup"]
        [sent] = [f for f in request.files if f.field == "markup"]
        assert sent.data == markup and sent.content_type == "image/png"
        assert [f.data for f in request.files if f.field == "image[]"] == [original_bytes]
        assert "cane back panel; note: cane" in request.form["prompt"]
        assert "markup" in request.form["prompt"]
        assert request.form["n"] == "4"
        for result in edited["designs"]:
            with Image.open(io.BytesIO((await client.get(result["url"])).content)) as image:
                assert image.size == (1024, 1024)

        estimate = await client.get(
            "/api/v1/generate/estimate", params={"kind": "edit"}, headers=account.headers
        )
        assert estimate.status_code == 200
        assert estimate.json()["model"] == "gpt-image-2.6-sunburst"
        assert estimate.json()["with_previews"] is None
