"""Security headers and CORS through the ASGI app: API, studio pages, production HSTS."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from layerminder.app import create_app
from tests.conftest import Database, make_settings

SCRIPT = b"self.__next_f=[];console.log('hydrate')"
PAGE = (
    b"<!DOCTYPE html><html><head><script src='/_next/app.js' async></script></head><body>"
    b"<script>" + SCRIPT + b"</script>"
    b'<script type="application/json">{"data": 1}</script></body></html>'
)


async def _client(tmp_path: Path, database: Database, **settings: Any) -> AsyncIterator[Any]:
    app = create_app(make_settings(tmp_path, database, **settings))
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


def _common(response: httpx.Response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


async def test_api_and_studio_headers(tmp_path: Path, database: Database) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_bytes(PAGE)
    (web / "404.html").write_bytes(b"<html><body>missing</body></html>")
    async for client in _client(tmp_path, database, web_dir=web):
        for response in (
            await client.get("/healthz"),
            await client.get("/api/v1/auth/me"),  # errors too
            await client.get("/api/v1/nothing-here"),
        ):
            _common(response)
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
            assert "Strict-Transport-Security" not in response.headers  # development

        page = await client.get("/")
        _common(page)
        policy = page.headers["Content-Security-Policy"]
        digest = base64.b64encode(hashlib.sha256(SCRIPT).digest()).decode()
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        # Exactly this page's one executable inline script, by hash; no 'unsafe-*' anywhere.
        assert directives["script-src"] == f"'self' 'sha256-{digest}'"
        assert directives["default-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert "unsafe" not in policy
        missing = await client.get("/no/such/page")
        assert missing.status_code == 404
        _common(missing)


async def test_hsts_in_production_only(tmp_path: Path, database: Database) -> None:
    async for client in _client(
        tmp_path, database, env="production", jwt_secret="s" * 48, hsts_max_age_seconds=600
    ):
        response = await client.get("/healthz")
        assert response.headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


async def test_cors_is_off_unless_origins_are_listed(tmp_path: Path, database: Database) -> None:
    preflight = {
        "Origin": "https://studio.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    async for client in _client(tmp_path, database):
        answer = await client.options("/api/v1/generate", headers=preflight)
        assert "access-control-allow-origin" not in answer.headers
        simple = await client.get("/healthz", headers={"Origin": "https://studio.example"})
        assert "access-control-allow-origin" not in simple.headers
    async for client in _client(
        tmp_path / "cors", database, cors_allow_origins="https://studio.example"
    ):
        answer = await client.options("/api/v1/generate", headers=preflight)
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "https://studio.example"
        assert "access-control-allow-credentials" not in answer.headers
        _common(answer)
        other = await client.options(
            "/api/v1/generate", headers={**preflight, "Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers


async def test_presigned_image_urls_add_the_bucket_origin(
    tmp_path: Path, database: Database
) -> None:
    from tests.storage.moto_server import running_moto_s3

    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_bytes(PAGE)
    with running_moto_s3(tmp_path / "moto.log") as moto:
        bucket = moto.create_bucket("csp-images")
        settings = {
            **{k.lower(): v for k, v in moto.settings(bucket).items()},
            "presigned_image_urls": True,
            "s3_public_endpoint_url": "http://images.example:9000",
        }
        async for client in _client(tmp_path, database, web_dir=web, **settings):
            policy = (await client.get("/")).headers["Content-Security-Policy"]
            directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
            assert directives["img-src"] == "'self' data: blob: http://images.example:9000"
            assert directives["connect-src"] == "'self'"
