"""Look up source records by key (shared by the fan-side repositories)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from db.models import Source
from db.repos.rows import SOURCES_SQL, source_from
from db.storage.database import Database


async def fetch_sources(db: Database, keys: Iterable[str]) -> dict[str, Source]:
    """Sources by key; unknown keys are left out (callers fall back to a bare key)."""
    ordered = sorted(set(keys))
    if not ordered:
        return {}
    rows = await db.fetch(SOURCES_SQL + f" WHERE key IN ({','.join('?' * len(ordered))})", ordered)
    return {row["source_key"]: source_from(row) for row in rows}


def figure_keys(field_sources: str | None, figure: str, fallback: str) -> list[str]:
    """Source keys a race gives for one figure, or the race's own source when it names none."""
    mapping = json.loads(field_sources) if field_sources else {}
    keys = mapping.get(figure) if isinstance(mapping, dict) else None
    return [str(k) for k in keys] if keys else [fallback]


def in_order(keys: Iterable[str], known: dict[str, Source]) -> tuple[Source, ...]:
    """Sources for keys in first-seen order, without repeats; unknown keys kept as bare keys."""
    seen: dict[str, Source] = {}
    for key in keys:
        seen.setdefault(key, known.get(key) or Source(key=key, title=key))
    return tuple(seen.values())
