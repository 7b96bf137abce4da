"""Small key/value state of the bot itself (e.g. the command-sync hash, the console server's ids)."""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, ValidationError

from db.storage.database import Database

log = logging.getLogger(__name__)

CONSOLE_SERVER_KEY = "console_server"


class ConsoleServerIds(BaseModel):
    """Ids of the offline console's server: alerts, trivia scores and settings are keyed on them."""

    model_config = ConfigDict(frozen=True)

    guild: int
    channels: dict[str, int]
    roles: dict[str, int]
    members: dict[str, int]


class MetaStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_state(self, *, key: str) -> str | None:
        row = await self._db.fetch_one("SELECT value FROM bot_state WHERE key = ?", (key,))
        return str(row[0]) if row else None

    async def set_state(self, *, key: str, value: str) -> None:
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO bot_state (key, value) VALUES (?, ?)
                   ON CONFLICT(key) DO UPDATE SET value = excluded.value""",
                (key, value),
            )

    async def get_console_server(self) -> ConsoleServerIds | None:
        """The console server's ids from an earlier start; None before the first (or if the value is unreadable)."""
        value = await self.get_state(key=CONSOLE_SERVER_KEY)
        if value is None:
            return None
        try:
            return ConsoleServerIds.model_validate_json(value)
        except ValidationError:
            log.warning("Ignoring an unreadable %s value in bot_state", CONSOLE_SERVER_KEY)
            return None

    async def set_console_server(self, ids: ConsoleServerIds) -> None:
        await self.set_state(key=CONSOLE_SERVER_KEY, value=ids.model_dump_json())
