"""Leases: a name held by one owner until it expires, for the work several processes must not double.

Taking and renewing are one statement (an upsert that only overwrites a row that is ours or expired), so
two processes racing for a free name cannot both win on SQLite or PostgreSQL alike. Times are the owners'
clocks, in UTC text; hosts sharing a database must keep their clocks in step (NTP) well within the TTL.
"""

from __future__ import annotations

import datetime as dt

from db.models.leases import Lease
from db.repos.rows import parse_utc, to_utc_text
from db.storage.database import Database


class LeaseStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def take(self, *, name: str, owner: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """Hold `name` until now + ttl if it is free, expired or already ours; whether we hold it now."""
        async with self._db.transaction():
            changed = await self._db.execute(
                """INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
                   ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                   WHERE leases.owner = excluded.owner OR leases.expires_at < ?""",
                (name, owner, to_utc_text(now + ttl), to_utc_text(now)),
            )
        return changed == 1

    async def release(self, *, name: str, owner: str) -> None:
        async with self._db.transaction():
            await self._db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))

    async def named(self, *, prefix: str) -> dict[str, Lease]:
        """Every lease whose name starts with `prefix`, expired or not (a dead holder's stays until taken)."""
        rows = await self._db.fetch(
            "SELECT name, owner, expires_at FROM leases WHERE substr(name, 1, ?) = ?", (len(prefix), prefix)
        )
        out = {}
        for name, owner, expires in rows:
            expires_at = parse_utc(expires)
            assert expires_at is not None, "a NOT NULL column"
            out[str(name)] = Lease(name=str(name), owner=str(owner), expires_at=expires_at)
        return out
