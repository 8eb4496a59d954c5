"""Reference-library entries: a curated image, its metadata and its row in the vector index."""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, CreatedAt, UUIDPrimaryKey


def vector_id_for(reference_id: uuid.UUID) -> int:
    """A stable positive int64 id for FAISS, derived from the UUID (no sequence needed)."""
    return reference_id.int >> 65


class Reference(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "references"

    image_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("images.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    # The title in Korean where there is one (the starter set has them); pages fall back to title.
    title_ko: Mapped[str | None] = mapped_column(String(300), default=None)
    source: Mapped[str] = mapped_column(String(1000), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Which embedder indexed it; None until embedded. Vectors of different models never mix.
    embedding_model: Mapped[str | None] = mapped_column(String(128), default=None)
    vector_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    # float32 bytes: the index is rebuilt from these, without re-embedding, whenever it is stale.
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
