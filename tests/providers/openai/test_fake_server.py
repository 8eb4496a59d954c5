"""The fake OpenAI server itself rejects what the real API rejects."""

from __future__ import annotations

import httpx

from tests.fakes.openai_server import FakeOpenAI
from tests.providers.openai.support import encoded


def test_fake_rejects_bad_requests(fake: FakeOpenAI) -> None:
    auth = {"Authorization": f"Bearer {fake.api_key}"}
    with httpx.Client(base_url=fake.base_url) as client:
        assert client.get("/models").status_code == 401
        as_json = client.post("/images/edits", json={"model": "gpt-image-2"}, headers=auth)
        assert as_json.status_code == 400
        assert "multipart/form-data" in as_json.json()["error"]["message"]

        files = [("image[]", ("a.gif", b"GIF89a", "image/gif"))]
        data = {"model": "gpt-image-2", "prompt": "a chair"}
        bad_type = client.post("/images/edits", data=data, files=files, headers=auth)
        assert bad_type.json()["error"]["code"] == "unsupported_file_mimetype"

        files = [("image[]", ("a.png", encoded("PNG", (1, 2, 3)), "image/png"))]
        too_many = client.post("/images/edits", data={**data, "n": "11"}, files=files, headers=auth)
        assert too_many.json()["error"]["param"] == "n"
        no_prompt = client.post(
            "/images/edits", data={"model": "gpt-image-2"}, files=files, headers=auth
        )
        assert no_prompt.json()["error"]["param"] == "prompt"

        loose_schema = {
            "model": "gpt-6-luna",
            "messages": [{"role": "user", "content": "hi"}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "x",
                    "strict": True,
                    "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
                },
            },
        }
        rejected = client.post("/chat/completions", json=loose_schema, headers=auth)
        assert rejected.status_code == 400
        assert "additionalProperties" in rejected.json()["error"]["message"]
