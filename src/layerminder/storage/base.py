"""The ObjectStorage Protocol every backend implements, and server-side key making."""

from __future__ import annotations

import uuid
from typing import Protocol

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class ObjectMissing(Exception):
    """The key has no object (a row without its bytes: reported, never a 500)."""


def make_key(kind: str, owner_id: uuid.UUID, object_id: uuid.UUID, content_type: str) -> str:
    """Keys are made here only, from ids the server chose: a client never picks a path."""
    return f"{kind}/{owner_id}/{object_id}.{EXTENSIONS.get(content_type, 'bin')}"


class ObjectStorage(Protocol):
    name: str

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    async def list_keys(self, prefix: str = "") -> list[str]: ...

    async def check(self) -> None:
        """Raise with a plain-words reason when the store cannot be written and read."""
        ...

    async def presigned_url(self, key: str, expires_seconds: int) -> str | None:
        """A direct, expiring URL when the backend has one (S3); None otherwise."""
        ...
