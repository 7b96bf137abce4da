"""`photofinish db …`: schema version, row counts and a safe copy, for the backend in use."""

from __future__ import annotations

from pathlib import Path

from db.storage import pg_connection
from db.storage.backend import Backend
from db.storage.catalog import row_count, table_names
from db.storage.connection import connect, schema_version
from db.storage.sqlite import SqliteDatabase


async def schema_of(db: Backend) -> int:
    """The schema version the database is at (migrations applied)."""
    if isinstance(db, SqliteDatabase):
        return await schema_version(db.conn)
    async with db.pool.acquire() as conn:
        return await pg_connection.schema_version(conn)


async def table_counts(db: Backend) -> list[tuple[str, int]]:
    """Rows per table, by name (the full-text index's shadow tables and the schema version left out)."""
    return [(table, await row_count(db, table)) for table in await table_names(db)]


async def backup_into(source: Path, target: Path) -> None:
    """VACUUM INTO a new file: a consistent copy even while the bot writes."""
    conn = await connect(source)
    try:
        await conn.execute("VACUUM INTO ?", (str(target),))
    finally:
        await conn.close()
