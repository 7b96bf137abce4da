"""Quotes: full-text search (SQLite FTS5, PostgreSQL tsvector), by speaker or race, and a random pick."""

from __future__ import annotations

import re

from db.models import Quote, RaceSummary
from db.repos.rows import QUOTE_SQL, RACE_SUMMARY_SQL, quote_from, race_summary_from
from db.storage.database import Database
from db.storage.dialect import SQLITE, Dialect

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str, dialect: Dialect = SQLITE) -> str | None:
    """User text → a safe full-text query: every word quoted (so no query syntax leaks), all required."""
    words = _WORD.findall(text)
    if not words:
        return None
    return dialect.search_terms(words[:16])


class QuoteStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def find_quotes(
        self,
        *,
        speaker_id: int | None = None,
        race_id: int | None = None,
        search: str | None = None,
        limit: int = 10,
        shuffle: bool = False,
    ) -> list[Quote]:
        """Quotes matching every given filter; `search` is free text matched with FTS5 (words, any order)."""
        where: list[str] = []
        params: list[object] = []
        if speaker_id is not None:
            where.append("q.speaker_id = ?")
            params.append(speaker_id)
        if race_id is not None:
            where.append("q.race_id = ?")
            params.append(race_id)
        if search is not None:
            query = fts_query(search, self._db.dialect)
            if query is None:
                return []
            where.append(self._db.dialect.quote_match())
            params.append(query)
        sql = QUOTE_SQL + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY random()" if shuffle else " ORDER BY r.race_date DESC, q.id"
        sql += " LIMIT ?"
        params.append(max(1, min(limit, 100)))
        rows = await self._db.fetch(sql, params)
        return [quote_from(row) for row in rows]

    async def races_with_quotes(self) -> list[RaceSummary]:
        """Races that have at least one quote, newest first (for the /quote race picker)."""
        sql = RACE_SUMMARY_SQL + " WHERE r.id IN (SELECT race_id FROM quotes) ORDER BY r.race_date DESC, r.id DESC"
        rows = await self._db.fetch(sql)
        return [race_summary_from(row) for row in rows]
