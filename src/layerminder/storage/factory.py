"""The one place a storage backend is chosen from settings."""

from __future__ import annotations

from layerminder.config import Settings
from layerminder.storage.base import ObjectStorage
from layerminder.storage.local import LocalFolderStorage


def build_storage(settings: Settings) -> ObjectStorage:
    if settings.storage_url.startswith("s3://"):
        from layerminder.storage.s3 import S3Storage

        return S3Storage.from_settings(settings)
    if settings.storage_url.startswith("memory:"):
        from layerminder.storage.memory import MemoryStorage

        return MemoryStorage()
    if settings.storage_url:
        raise ValueError(
            f"LAYERMINDER_STORAGE_URL must be empty (local folder) or s3://bucket/prefix, "
            f"got {settings.storage_url!r}"
        )
    return LocalFolderStorage(settings.storage_dir)
