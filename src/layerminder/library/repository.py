"""SQL for the reference library."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import Image, ImageKind, Reference


class ReferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, references: Sequence[Reference]) -> None:
        self.session.add_all(references)
        await self.session.flush()

    async def existing_sha256(self, hashes: Sequence[str]) -> set[str]:
        """Which of these content hashes the library already holds (one query)."""
        if not hashes:
            return set()
        rows = await self.session.scalars(
            select(Image.sha256)
            .join(Reference, Reference.image_id == Image.id)
            .where(Image.kind == ImageKind.reference, Image.sha256.in_(list(hashes)))
        )
        return set(rows)

    async def count(self, embedding_model: str | None = None) -> int:
        statement = select(func.count()).select_from(Reference)
        if embedding_model is not None:
            statement = statement.where(Reference.embedding_model == embedding_model)
        return int(await self.session.scalar(statement) or 0)

    async def vector_of(self, image_id: uuid.UUID, embedding_model: str) -> bytes | None:
        """The stored vector of the library entry for this image, if `embedding_model` made it."""
        return await self.session.scalar(
            select(Reference.vector).where(
                Reference.image_id == image_id, Reference.embedding_model == embedding_model
            )
        )

    async def by_vector_ids(self, vector_ids: Sequence[int]) -> dict[int, Reference]:
        if not vector_ids:
            return {}
        rows = await self.session.scalars(
            select(Reference).where(Reference.vector_id.in_(list(vector_ids)))
        )
        return {r.vector_id: r for r in rows}

    async def page(self, limit: int, offset: int) -> tuple[list[tuple[Reference, Image]], int]:
        total = await self.count()
        rows = await self.session.execute(
            select(Reference, Image)
            .join(Image, Image.id == Reference.image_id)
            .order_by(Reference.created_at.desc(), Reference.id)
            .limit(limit)
            .offset(offset)
        )
        return [(reference, image) for reference, image in rows], total

    async def vectors(
        self, embedding_model: str, batch: int = 5000
    ) -> AsyncIterator[list[tuple[int, bytes]]]:
        """Every stored vector of one embedder, in keyset-paged batches (no silent cap)."""
        last = -1
        while True:
            rows = (
                await self.session.execute(
                    select(Reference.vector_id, Reference.vector)
                    .where(
                        Reference.embedding_model == embedding_model,
                        Reference.vector.is_not(None),
                        Reference.vector_id > last,
                    )
                    .order_by(Reference.vector_id)
                    .limit(batch)
                )
            ).all()
            if not rows:
                return
            yield [(int(vid), bytes(vec)) for vid, vec in rows if vec is not None]
            last = int(rows[-1][0])

    async def get(self, reference_id: uuid.UUID) -> Reference | None:
        return await self.session.get(Reference, reference_id)

    async def delete(self, reference: Reference) -> Image | None:
        """Delete the reference and its image row; the image is returned for its storage key."""
        image = await self.session.get(Image, reference.image_id)
        await self.session.delete(reference)
        await (
            self.session.flush()
        )  # the reference row first: the image's delete would cascade to it
        if image is not None:
            await self.session.delete(image)
        return image

    async def images(self, image_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Image]:
        if not image_ids:
            return {}
        rows = await self.session.scalars(select(Image).where(Image.id.in_(list(image_ids))))
        return {image.id: image for image in rows}

    async def after(self, last_id: uuid.UUID | None, limit: int) -> list[tuple[Reference, Image]]:
        """Keyset paging by id: every entry once, however large the library."""
        statement = (
            select(Reference, Image)
            .join(Image, Image.id == Reference.image_id)
            .order_by(Reference.id)
            .limit(limit)
        )
        if last_id is not None:
            statement = statement.where(Reference.id > last_id)
        rows = await self.session.execute(statement)
        return [(reference, image) for reference, image in rows]

    async def existing_sources(self, sources: Sequence[str], batch: int = 500) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(sources), batch):
            rows = await self.session.scalars(
                select(Reference.source).where(
                    Reference.source.in_(list(sources[start : start + batch]))
                )
            )
            found.update(rows)
        return found

    async def count_by_model(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(Reference.embedding_model, func.count()).group_by(Reference.embedding_model)
        )
        return {model or "none": int(count) for model, count in rows}

    async def containing_any(
        self, words: Sequence[str], limit: int = 1000
    ) -> list[tuple[Reference, Image]]:
        """Entries whose title, Korean title, tags or source contain any of the words: the
        candidates the words search then ranks."""
        if not words:
            return []
        fields = (
            Reference.title,
            Reference.title_ko,
            Reference.source,
            cast(Reference.tags, String),
        )
        # The words are letters and digits only (see search.query_words): no LIKE wildcards.
        found = or_(*(func.lower(f).contains(word) for word in words for f in fields))
        rows = await self.session.execute(
            select(Reference, Image)
            .join(Image, Image.id == Reference.image_id)
            .where(found)
            .order_by(Reference.created_at.desc())
            .limit(limit)
        )
        return [(reference, image) for reference, image in rows]
