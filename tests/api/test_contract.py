"""The contract from outside: a real `layerminder serve` with a studio build at /.

Unknown API paths and methods answer JSON (not the studio's HTML page), out-of-range input is a
422 (never a 500), and /openapi.json documents the error shape the API really sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter

from layerminder.app import create_app
from layerminder.auth.dependencies import CurrentUser
from layerminder.config import Settings
from tests.live import LiveServer, server_env, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("contract")
    web = root / "web"
    web.mkdir()
    (web / "index.html").write_text("<html><body>studio</body></html>")
    (web / "404.html").write_text("<html><body>not here</body></html>")
    env = server_env(root, f"sqlite+aiosqlite:///{root / 'lm.db'}")
    env["LAYERMINDER_WEB_DIR"] = str(web)
    live = start_server(env, root / "server.log")
    yield live
    live.stop()
    assert "Traceback" not in live.log()


@pytest.fixture(scope="module")
def auth(server: LiveServer) -> dict[str, str]:
    response = httpx.post(
        f"{server.base_url}/api/v1/auth/signup",
        json={"email": "contract@studio.io", "password": "correct horse"},
        timeout=60,
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "detail"} and isinstance(body["detail"], str)
    if code:
        assert body["error"] == code
    return body


def test_unknown_api_paths_and_methods_answer_json(server: LiveServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        assert "studio" in client.get("/").text  # the studio is mounted at /
        assert client.get("/no/such/page").headers["content-type"].startswith("text/html")

        _error(client.get("/api/v1/no-such-thing"), 404, "NotFound")
        _error(client.get("/api/v2/layerroom"), 404, "NotFound")
        _error(client.post("/api/"), 404, "NotFound")

        wrong = client.patch(f"/api/v1/records/{uuid.uuid4()}")
        _error(wrong, 405, "MethodNotAllowed")
        assert wrong.headers["Allow"] == "GET"
        wrong = client.put("/api/v1/layerroom")
        _error(wrong, 405, "MethodNotAllowed")
        assert wrong.headers["Allow"] == "GET, POST"
        # Every method the path has, whichever route answers first.
        wrong = client.post(f"/api/v1/layerroom/{uuid.uuid4()}")
        assert wrong.headers["Allow"] == "DELETE, GET, PATCH"


def test_out_of_range_input_is_a_422(server: LiveServer, auth: dict[str, str]) -> None:
    with httpx.Client(base_url=server.base_url, timeout=60, headers=auth) as client:
        for offset in (2**31, 2**63, 10**30):
            _error(client.get("/api/v1/layerroom", params={"offset": offset}), 422)
        assert client.get("/api/v1/layerroom", params={"offset": 2**31 - 1}).status_code == 200
        _error(client.get("/api/v1/layerroom", params={"limit": 10**30}), 422)

        _error(client.post("/api/v1/layerroom", json={"name": "x" * 100_000}), 422)
        _error(client.get("/api/v1/records", params={"q": "x" * 10_000}), 422)

        nested = "[" * 100_000 + "]" * 100_000
        body = _error(
            client.post(
                "/api/v1/layerroom", content=nested, headers={"content-type": "application/json"}
            ),
            422,
            "ValidationError",
        )
        assert "could not be parsed" in body["detail"]

        for content_type in ("text/plain", "application/xml", "multipart/form-data"):
            _error(
                client.post(
                    "/api/v1/layerroom",
                    content=b'{"name": "a room"}',
                    headers={"content-type": content_type},
                ),
                422,
            )
        _error(client.post("/api/v1/layerroom", json={"name": "a", "is_public": 1}), 422)


def test_the_spec_documents_the_errors_sent(server: LiveServer) -> None:
    spec = httpx.get(f"{server.base_url}/openapi.json", timeout=60).json()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["ErrorBody"]["required"]) == {"error", "detail"}
    error_ref = {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    # Even where the 200 is an image or a file, an error is JSON.
                    assert response["content"] == {"application/json": {"schema": error_ref}}
            if not path.startswith("/api/"):
                continue
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if operation.get("security") == [{"HTTPBearer": []}]:
                assert "401" in responses, (method, path)
    image = spec["paths"]["/api/v1/images/{image_id}"]["get"]
    assert {} in image["security"]  # a signed URL needs no token
    assert set(image["responses"]["200"]["content"]) == {"image/jpeg", "image/png", "image/webp"}
    stream = spec["paths"]["/api/v1/records/{record_id}/stream"]["get"]
    assert set(stream["responses"]["200"]["content"]) == {"text/event-stream"}
    assert "429" in spec["paths"]["/api/v1/generate"]["post"]["responses"]
    assert "403" in spec["paths"]["/api/v1/invites"]["get"]["responses"]


def test_a_new_route_gets_the_shared_errors(tmp_path: Path) -> None:
    """Routes added by any domain come out right without listing the shared errors."""
    extra = APIRouter(prefix="/api/v1")

    @extra.get("/widgets/{widget_id}")
    async def widget(widget_id: uuid.UUID, user: CurrentUser) -> dict[str, str]:
        return {}

    app = create_app(Settings(_env_file=None, data_dir=tmp_path, web_dir=tmp_path / "none"))
    app.include_router(extra)
    operation = app.openapi()["paths"]["/api/v1/widgets/{widget_id}"]["get"]
    assert set(operation["responses"]) == {"200", "401", "404", "422"}
