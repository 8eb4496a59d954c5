"""SQL for images."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import Image, ImageKind


class ImageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, image: Image) -> Image:
        self.session.add(image)
        await self.session.flush()
        return image

    async def add_all(self, images: Sequence[Image]) -> None:
        self.session.add_all(images)
        await self.session.flush()

    async def get(self, image_id: uuid.UUID) -> Image | None:
        return await self.session.get(Image, image_id)

    async def get_many(self, image_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Image]:
        if not image_ids:
            return {}
        rows = await self.session.scalars(select(Image).where(Image.id.in_(image_ids)))
        return {image.id: image for image in rows}

    async def list_in_room(
        self, room_id: uuid.UUID, kind: str, limit: int, offset: int
    ) -> tuple[list[Image], int]:
        condition = (Image.room_id == room_id) & (Image.kind == kind)
        total = await self.session.scalar(select(func.count()).where(condition)) or 0
        rows = await self.session.scalars(
            select(Image)
            .where(condition)
            .order_by(Image.created_at.desc(), Image.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total

    async def storage_keys_of(self, owner_id: uuid.UUID) -> list[str]:
        """Every storage key of the owner's own images (not library references)."""
        rows = await self.session.scalars(
            select(Image.storage_key).where(
                Image.owner_id == owner_id, Image.kind != ImageKind.reference
            )
        )
        return list(rows)

    async def hand_over_references(self, owner_id: uuid.UUID, to_owner_id: uuid.UUID) -> None:
        """Library references belong to the library, not to the admin who added them."""
        await self.session.execute(
            update(Image)
            .where(Image.owner_id == owner_id, Image.kind == ImageKind.reference)
            .values(owner_id=to_owner_id)
        )

    async def delete_many(self, image_ids: Sequence[uuid.UUID]) -> list[str]:
        """Delete those of `image_ids` that exist; their storage keys, for the bytes to go."""
        if not image_ids:
            return []
        result = await self.session.execute(
            delete(Image).where(Image.id.in_(list(image_ids))).returning(Image.storage_key)
        )
        return list(result.scalars())
