"""Response headers for a server on the internet: CSP, nosniff, no framing, no referrer, HSTS."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# JSON, images and event streams never run anything: nothing may load, nothing may frame them.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from jsDelivr and start it with an
# inline script; they hold no user data, so they get the looser policy those pages need.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; "
    "style-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "font-src https://fonts.gstatic.com; connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions ('sha256-…') for every inline script a page runs."""
    hashes = []
    for attributes, body in _INLINE_SCRIPT.findall(html):
        kind = re.search(rb"""type=["']?([^"'\s>]+)""", attributes)
        if kind and kind.group(1).lower() not in (b"module", b"text/javascript"):
            continue  # JSON and other data blocks are never executed
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


@dataclass
class StudioPolicy:
    """The studio's CSP: everything from this origin, inline scripts only by their hashes.

    Next's static export starts each page with a few inline scripts (the Turbopack chunk list
    and the React Server Components payload); they are fixed at build time, so each page gets
    exactly its own scripts' hashes rather than 'unsafe-inline'. The pages have no inline styles
    or style attributes (Tailwind is a stylesheet; React sets styles through the CSSOM, which
    CSP does not govern), so styles are 'self' only too.
    """

    image_origins: list[str] = field(default_factory=list)
    # Per file and modification time: a rebuilt studio gets its new scripts' hashes.
    _pages: dict[tuple[str, int], str] = field(default_factory=dict)

    def for_page(self, path: str, modified_ns: int = 0) -> str:
        key = (os.path.realpath(path), modified_ns)
        hashes = self._pages.get(key)
        if hashes is None:
            hashes = " ".join(inline_script_hashes(Path(key[0]).read_bytes()))
            self._pages[key] = hashes
        images = " ".join(["'self'", "data:", "blob:", *self.image_origins])
        return (
            f"default-src 'self'; script-src 'self' {hashes}; style-src 'self'; "
            f"img-src {images}; font-src 'self'; connect-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        ).replace("  ", " ")

    def allow_images_from(self, url: str) -> None:
        """Presigned storage URLs: browsers load the designs from the bucket's origin."""
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in self.image_origins:
                self.image_origins.append(origin)


class StudioFiles(StaticFiles):
    """The web studio's static export, each HTML page sent with its own CSP."""

    def __init__(self, *, directory: Path, policy: StudioPolicy) -> None:
        super().__init__(directory=directory, html=True)
        self.policy = policy

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        if str(full_path).endswith(".html"):
            response.headers["Content-Security-Policy"] = self.policy.for_page(
                str(full_path), stat_result.st_mtime_ns
            )
        return response


class SecurityHeaders:
    """Adds the headers every response should carry, unless a route set its own.

    A plain ASGI middleware (not BaseHTTPMiddleware), so event streams pass through untouched.
    """

    def __init__(self, app: ASGIApp, *, hsts_max_age: int = 0) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_max_age}; includeSubDomains" if hsts_max_age > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        policy = DOCS_POLICY if path.startswith(DOCS_PATHS) else API_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", self.hsts)
            await send(message)

        await self.app(scope, receive, send_with_headers)
