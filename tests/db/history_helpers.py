"""The small hand-written nascaR.data tables the history-import tests use, and ways to read what they stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from db.importers.history import import_history, read_history_bytes
from db.storage.sqlite import SqliteDatabase

NOW = dt.datetime(2030, 3, 1, tzinfo=dt.UTC)
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "history" / "sample.csv"
TABLE = FIXTURE.read_text(encoding="utf-8")
HEADER = TABLE.splitlines()[0]


def csv_row(*fields: object) -> str:
    return "\n" + ",".join(str(f) for f in fields)


async def run_import(db: SqliteDatabase, table: str = TABLE, **kwargs: Any) -> Any:
    races, digest = read_history_bytes(table.encode(), source="test.csv")
    return await import_history(db, races, now=NOW, digest=digest, **kwargs)


async def fetch(db: SqliteDatabase, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.fetch(sql, params)]


async def snapshot(db: SqliteDatabase) -> dict[str, list[tuple[Any, ...]]]:
    tables = ("races", "results", "stage_results", "drivers", "tracks", "sources", "data_loads")
    return {t: await fetch(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}


async def race_id(db: SqliteDatabase, season: int, number: int) -> int:
    found = await fetch(
        db, "SELECT id FROM races WHERE series = 'cup' AND season = ? AND race_number = ?", season, number
    )
    return int(found[0][0])
