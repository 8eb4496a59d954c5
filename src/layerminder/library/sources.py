"""Where a library import reads images from: a local folder or an S3 prefix."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

from layerminder.config import Settings

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


class ImportSource(Protocol):
    async def list(self) -> list[str]:
        """Every image's source id (a path or an s3:// URL), in a stable order."""
        ...

    async def read(self, source: str) -> bytes: ...


class FolderSource:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def list(self) -> list[str]:
        def _walk() -> list[str]:
            return sorted(
                str(p)
                for p in self.folder.rglob("*")
                if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )

        return await asyncio.to_thread(_walk)

    async def read(self, source: str) -> bytes:
        return await asyncio.to_thread(Path(source).read_bytes)


class S3Source:
    """Objects under s3://bucket/prefix, with the S3 endpoint and keys from the settings."""

    def __init__(self, url: str, settings: Settings) -> None:
        from layerminder.storage.s3 import S3Storage, parse_s3_url

        bucket, prefix = parse_s3_url(url)
        secret = settings.s3_secret_access_key
        self.base = f"s3://{bucket}/{prefix}"
        self.storage = S3Storage(
            bucket,
            prefix,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
        )

    async def list(self) -> list[str]:
        # list_keys follows every 1000-key page: no silent cap (the seed stopped at 100).
        keys = await self.storage.list_keys()
        return [self.base + key for key in keys if key.lower().endswith(IMAGE_SUFFIXES)]

    async def read(self, source: str) -> bytes:
        return await self.storage.get(source[len(self.base) :])


def open_source(location: str, settings: Settings) -> ImportSource:
    if location.startswith("s3://"):
        return S3Source(location, settings)
    folder = Path(location)
    if not folder.is_dir():
        raise ValueError(f"{location} is neither a folder nor an s3://bucket/prefix URL")
    return FolderSource(folder)


def title_for(source: str) -> str:
    stem = source.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ").replace("-", " ")
