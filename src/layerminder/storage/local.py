"""Objects as files under one folder (the embedded default)."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from layerminder.storage.base import ObjectMissing


class LocalFolderStorage:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        # Keys are server-made, but a bug must never write outside the root.
        if not path.is_relative_to(self.root):
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half-written object under the key.
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, key, data)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def list_keys(self, prefix: str = "") -> list[str]:
        def _list() -> list[str]:
            if not self.root.exists():
                return []
            keys = (
                p.relative_to(self.root).as_posix()
                for p in self.root.rglob("*")
                if p.is_file() and not p.name.startswith(".")
            )
            return sorted(k for k in keys if k.startswith(prefix))

        return await asyncio.to_thread(_list)

    async def check(self) -> None:
        probe = f".probe/{uuid.uuid4().hex}"
        try:
            await self.put(probe, b"ok", "text/plain")
            if await self.get(probe) != b"ok":
                raise RuntimeError("read back different bytes")
            await self.delete(probe)
        except OSError as exc:
            raise RuntimeError(f"cannot write to storage folder {self.root}: {exc}") from exc

    async def presigned_url(self, key: str, expires_seconds: int) -> str | None:
        return None
