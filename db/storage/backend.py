"""Which database the bot opens: the one place that picks a backend (SQLite today; PostgreSQL joins here).

Everything outside db/ opens storage through `open_db` and works with the `Database` port it yields.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from db.storage.connection import open_database
from db.storage.sqlite import SqliteDatabase


@asynccontextmanager
async def open_db(path: str | Path) -> AsyncIterator[SqliteDatabase]:
    """The database at DATABASE_PATH, migrated; closed on exit."""
    async with open_database(path) as conn:
        yield SqliteDatabase(conn)
