"""Declarative base with stable constraint names and portable column types."""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData, TypeDecorator, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out; SQLite drops the zone, PostgreSQL keeps it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Where ids are stored as text (SQLite), each distinct id is parsed into a uuid.UUID once: a page
# of 50 records reads ~1,000 ids (records, their designs, recommendations and references, many
# of them the same images and references), and uuid.UUID(hex) took ~40 % of the page's time.
# UUIDs are immutable, so sharing one object per id is safe.
_parse_uuid = functools.lru_cache(maxsize=16384)(uuid.UUID)


def _uuid_from_text(value: str | None) -> uuid.UUID | None:
    return None if value is None else _parse_uuid(value)


class ParsedOnceUuid(Uuid[uuid.UUID]):
    """Uuid whose text form is parsed once per distinct value (the same column type)."""

    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        process = super().result_processor(dialect, coltype)  # type: ignore[no-untyped-call]
        if process is None or not self.as_uuid:
            return process  # native UUIDs (PostgreSQL): the driver made them already
        return _uuid_from_text


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: ParsedOnceUuid(),
        datetime: UTCDateTime(),
    }


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Timestamps(CreatedAt):
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# SQLite's full-text index of records: an FTS5 virtual table and its shadow tables, made by a
# migration and kept by the records search repository; no model describes them.
FTS_TABLE_PREFIX = "records_fts"


def is_modelled(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name`: compare everything but the full-text tables."""
    return not (type_ == "table" and (name or "").startswith(FTS_TABLE_PREFIX))
