"""Small key/value state of the bot itself (e.g. the command-sync hash)."""

from __future__ import annotations

import aiosqlite

from db.connection import transaction


class SqliteMeta:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def get_state(self, *, key: str) -> str | None:
        async with self._conn.execute("SELECT value FROM bot_state WHERE key = ?", (key,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def set_state(self, *, key: str, value: str) -> None:
        async with transaction(self._conn):
            await self._conn.execute(
                """INSERT INTO bot_state (key, value) VALUES (?, ?)
                   ON CONFLICT(key) DO UPDATE SET value = excluded.value""",
                (key, value),
            )
