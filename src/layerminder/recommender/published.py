"""The library's vector index as published in storage: versioned, reloaded when it changes."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from layerminder.recommender.index import VectorIndex
from layerminder.storage.base import ObjectMissing, ObjectStorage

MANIFEST_KEY = "library/manifest.json"


class PublishedIndex:
    """The newest index version in storage, loaded once per version by this process.

    Any process may publish (an import, a re-index); every other one sees the manifest's new
    version on its next look and loads that file, so API replicas and workers agree.
    """

    def __init__(self, storage: ObjectStorage) -> None:
        self._storage = storage
        self._loaded: tuple[str, VectorIndex] | None = None

    async def manifest(self) -> dict[str, Any] | None:
        """The published version's manifest (version, key, model_id, count), or None."""
        # One GET (not HEAD + GET): every recommendation and search asks, and on S3 each is a
        # request.
        try:
            data = await self._storage.get(MANIFEST_KEY)
        except ObjectMissing:
            return None
        manifest: dict[str, Any] = json.loads(data)
        return manifest

    async def current(self) -> VectorIndex | None:
        """The newest published index; reloaded when another process published a newer one."""
        manifest = await self.manifest()
        if manifest is None:
            return None
        if self._loaded is not None and self._loaded[0] == manifest["version"]:
            return self._loaded[1]
        data = await self._storage.get(manifest["key"])
        index = await asyncio.to_thread(VectorIndex.from_bytes, data)
        self._loaded = (manifest["version"], index)
        return index

    async def publish(self, index: VectorIndex) -> str:
        """Store `index` as a new version, point the manifest at it, drop the previous file."""
        data = await asyncio.to_thread(index.to_bytes)
        version = uuid.uuid4().hex
        key = f"library/index-{version}.bin"
        await self._storage.put(key, data, "application/octet-stream")
        manifest = {"version": version, "key": key, "model_id": index.model_id, "count": len(index)}
        previous = await self.manifest()
        await self._storage.put(MANIFEST_KEY, json.dumps(manifest).encode(), "application/json")
        if previous and previous.get("key") != key:
            await self._storage.delete(previous["key"])
        self._loaded = (version, index)
        return version
