"""Tracks and drivers: exact and fuzzy lookup by name or alias."""

from __future__ import annotations

import aiosqlite

from db.connection import data_version
from db.fuzzy import NameIndex
from db.models import Driver, Match, Track


class _AliasedNames:
    """Names and aliases of one kind of entity, indexed in memory; rebuilt when the data version moves."""

    def __init__(self, conn: aiosqlite.Connection, *, table: str, alias_table: str, id_column: str) -> None:
        self._conn = conn
        self._alias_sql = f"SELECT alias FROM {alias_table} WHERE {id_column} = ? ORDER BY alias"
        self._sql = f"""SELECT id, name AS label, name FROM {table}
                        UNION ALL
                        SELECT a.{id_column}, a.alias, e.name
                        FROM {alias_table} a JOIN {table} e ON e.id = a.{id_column}"""
        self._index: NameIndex | None = None
        self._version: int | None = None

    def invalidate(self) -> None:
        self._index = None

    async def index(self) -> NameIndex:
        # Another process importing history moves the version too: its new names are found here at once.
        version = await data_version(self._conn)
        if self._index is None or version != self._version:
            async with self._conn.execute(self._sql) as cursor:
                rows = await cursor.fetchall()
            self._index = NameIndex((row[0], row[1], row[2]) for row in rows)
            self._version = version
        return self._index

    async def resolve(self, query: str, *, cutoff: float) -> int | None:
        """Exact name/alias first, then a confident fuzzy match; None when unsure."""
        index = await self.index()
        found = index.exact(query)
        if found is None:
            matches = index.search(query, limit=2, cutoff=cutoff)
            found = matches[0].id if matches else None
        return found

    async def aliases(self, entity_id: int) -> tuple[str, ...]:
        async with self._conn.execute(self._alias_sql, (entity_id,)) as cursor:
            return tuple(r[0] for r in await cursor.fetchall())


class SqliteTracks:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._names = _AliasedNames(conn, table="tracks", alias_table="track_aliases", id_column="track_id")

    def invalidate(self) -> None:
        self._names.invalidate()

    async def search_tracks(self, *, query: str, limit: int = 25) -> list[Match]:
        return (await self._names.index()).search(query, limit=limit)

    async def find_track(self, *, query: str) -> Track | None:
        track_id = await self._names.resolve(query, cutoff=85.0)
        return await self.get_track(track_id=track_id) if track_id is not None else None

    async def get_track(self, *, track_id: int) -> Track | None:
        async with self._conn.execute(
            """SELECT id, key, name, city, state, length_miles, surface, timezone FROM tracks WHERE id = ?""",
            (track_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return Track(**dict(row), aliases=await self._names.aliases(track_id))


class SqliteDrivers:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._names = _AliasedNames(conn, table="drivers", alias_table="driver_aliases", id_column="driver_id")

    def invalidate(self) -> None:
        self._names.invalidate()

    async def search_drivers(self, *, query: str, limit: int = 25) -> list[Match]:
        return (await self._names.index()).search(query, limit=limit)

    async def find_driver(self, *, query: str) -> Driver | None:
        driver_id = await self._names.resolve(query, cutoff=88.0)
        return await self.get_driver(driver_id=driver_id) if driver_id is not None else None

    async def get_driver(self, *, driver_id: int) -> Driver | None:
        async with self._conn.execute("SELECT id, name FROM drivers WHERE id = ?", (driver_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        aliases = await self._names.aliases(driver_id)
        return Driver(id=row["id"], name=row["name"], aliases=aliases)
