"""Objects in a dict: for tests that do not care where bytes live."""

from __future__ import annotations

from layerminder.storage.base import ObjectMissing


class MemoryStorage:
    name = "memory"

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = (data, content_type)

    async def get(self, key: str) -> bytes:
        try:
            return self.objects[key][0]
        except KeyError as exc:
            raise ObjectMissing(key) from exc

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    async def exists(self, key: str) -> bool:
        return key in self.objects

    async def list_keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self.objects if k.startswith(prefix))

    async def check(self) -> None:
        return None

    async def presigned_url(self, key: str, expires_seconds: int) -> str | None:
        return None
