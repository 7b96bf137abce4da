"""Tracks and drivers: exact and fuzzy lookup by name or alias."""

from __future__ import annotations

import aiosqlite

from db.fuzzy import NameIndex
from db.models import Driver, Match, Track


class SqliteTracks:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._index: NameIndex | None = None

    def invalidate(self) -> None:
        self._index = None

    async def _name_index(self) -> NameIndex:
        if self._index is None:
            async with self._conn.execute(
                """SELECT id, name AS label, name FROM tracks
                   UNION ALL
                   SELECT a.track_id, a.alias, t.name FROM track_aliases a JOIN tracks t ON t.id = a.track_id"""
            ) as cursor:
                rows = await cursor.fetchall()
            self._index = NameIndex((row[0], row[1], row[2]) for row in rows)
        return self._index

    async def search_tracks(self, *, query: str, limit: int = 25) -> list[Match]:
        return (await self._name_index()).search(query, limit=limit)

    async def find_track(self, *, query: str) -> Track | None:
        """Exact name/alias first, then a confident fuzzy match; None when unsure."""
        index = await self._name_index()
        track_id = index.exact(query)
        if track_id is None:
            matches = index.search(query, limit=2, cutoff=85.0)
            if not matches:
                return None
            track_id = matches[0].id
        return await self.get_track(track_id=track_id)

    async def get_track(self, *, track_id: int) -> Track | None:
        async with self._conn.execute(
            """SELECT id, key, name, city, state, length_miles, surface, timezone FROM tracks WHERE id = ?""",
            (track_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        async with self._conn.execute(
            "SELECT alias FROM track_aliases WHERE track_id = ? ORDER BY alias", (track_id,)
        ) as cursor:
            aliases = tuple(r[0] for r in await cursor.fetchall())
        return Track(**dict(row), aliases=aliases)


class SqliteDrivers:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._index: NameIndex | None = None

    def invalidate(self) -> None:
        self._index = None

    async def _name_index(self) -> NameIndex:
        if self._index is None:
            async with self._conn.execute(
                """SELECT id, name AS label, name FROM drivers
                   UNION ALL
                   SELECT a.driver_id, a.alias, d.name FROM driver_aliases a JOIN drivers d ON d.id = a.driver_id"""
            ) as cursor:
                rows = await cursor.fetchall()
            self._index = NameIndex((row[0], row[1], row[2]) for row in rows)
        return self._index

    async def search_drivers(self, *, query: str, limit: int = 25) -> list[Match]:
        return (await self._name_index()).search(query, limit=limit)

    async def find_driver(self, *, query: str) -> Driver | None:
        index = await self._name_index()
        driver_id = index.exact(query)
        if driver_id is None:
            matches = index.search(query, limit=2, cutoff=88.0)
            if not matches:
                return None
            driver_id = matches[0].id
        return await self.get_driver(driver_id=driver_id)

    async def get_driver(self, *, driver_id: int) -> Driver | None:
        async with self._conn.execute("SELECT id, name FROM drivers WHERE id = ?", (driver_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        async with self._conn.execute(
            "SELECT alias FROM driver_aliases WHERE driver_id = ? ORDER BY alias", (driver_id,)
        ) as cursor:
            aliases = tuple(r[0] for r in await cursor.fetchall())
        return Driver(id=row["id"], name=row["name"], aliases=aliases)
