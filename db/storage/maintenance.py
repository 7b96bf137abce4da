"""`photofinish db …`: schema version, row counts and a safe copy, for the backend in use."""

from __future__ import annotations

from pathlib import Path

from db.storage.connection import connect, schema_version
from db.storage.sqlite import SqliteDatabase


async def schema_of(db: SqliteDatabase) -> int:
    """The schema version the database is at (migrations applied)."""
    return await schema_version(db.conn)


async def table_counts(db: SqliteDatabase) -> list[tuple[str, int]]:
    """Rows per table, by name (the full-text index's shadow tables left out)."""
    tables = await db.fetch(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'quotes_fts%' ORDER BY name"
    )
    counts = []
    for (table,) in tables:
        row = await db.fetch_one(f'SELECT count(*) FROM "{table}"')
        counts.append((str(table), int(row[0]) if row else 0))
    return counts


async def backup_into(source: Path, target: Path) -> None:
    """VACUUM INTO a new file: a consistent copy even while the bot writes."""
    conn = await connect(source)
    try:
        await conn.execute("VACUUM INTO ?", (str(target),))
    finally:
        await conn.close()
