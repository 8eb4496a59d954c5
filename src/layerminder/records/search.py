"""Full-text search over records, one seam for two engines: SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import re
import uuid
from typing import Protocol

from sqlalchemy import String, cast, func, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from layerminder.models import Record

# The record fields a search reads; writing any of them refreshes the record's index entry.
SEARCHABLE = frozenset(
    {"title", "name", "story", "material", "keywords", "keywords_display", "keyword"}
)
MAX_WORDS = 12


def query_words(query: str) -> list[str]:
    """Letters and digits only (Hangul included): nothing a user types reaches either engine's
    query syntax."""
    return re.findall(r"\w+", query.lower())[:MAX_WORDS]


class FullText(Protocol):
    async def refresh(self, session: AsyncSession, record_id: uuid.UUID) -> None: ...

    def matches(self, words: list[str]) -> ColumnElement[bool]:
        """Every word matches, as a prefix (so 의자 finds 의자다 and oak finds oaken)."""
        ...


class SqliteFullText:
    """An FTS5 table (records_fts, made by a migration) with one row per record."""

    _BODY = (
        "coalesce(title, '') || ' ' || coalesce(name, '') || ' ' || coalesce(story, '') || ' ' "
        "|| coalesce(material, '') || ' ' || coalesce(keywords, '') || ' ' "
        "|| coalesce(keywords_display, '') || ' ' || coalesce(keyword, '')"
    )

    async def refresh(self, session: AsyncSession, record_id: uuid.UUID) -> None:
        # SQLite keeps a UUID as 32 hex digits, so the row is keyed the same way.
        await session.execute(
            text("DELETE FROM records_fts WHERE record_id = :id"), {"id": record_id.hex}
        )
        await session.execute(
            text(
                f"INSERT INTO records_fts (record_id, body) SELECT id, {self._BODY} "
                "FROM records WHERE id = :id"
            ),
            {"id": record_id.hex},
        )

    def matches(self, words: list[str]) -> ColumnElement[bool]:
        phrase = " ".join(f'"{word}"*' for word in words)
        return text(
            "records.id IN (SELECT record_id FROM records_fts WHERE records_fts MATCH :fts)"
        ).bindparams(fts=phrase)  # type: ignore[return-value]


class PostgresFullText:
    """to_tsvector over the columns at query time: a user's own records are few enough."""

    async def refresh(self, session: AsyncSession, record_id: uuid.UUID) -> None:
        return None

    def matches(self, words: list[str]) -> ColumnElement[bool]:
        document = func.to_tsvector(
            "simple",
            func.concat_ws(
                " ",
                Record.title,
                Record.name,
                Record.story,
                Record.material,
                cast(Record.keywords, String),
                cast(Record.keywords_display, String),
                Record.keyword,
            ),
        )
        query = func.to_tsquery("simple", " & ".join(f"{word}:*" for word in words))
        return document.op("@@")(query)


def full_text(session: AsyncSession) -> FullText:
    dialect = session.get_bind().dialect.name
    return SqliteFullText() if dialect == "sqlite" else PostgresFullText()
