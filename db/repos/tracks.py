"""Tracks and drivers: lookup by name, alias, former name or nickname, under one matching policy (db.fuzzy)."""

from __future__ import annotations

from db.fuzzy import NameIndex, Resolution
from db.models import Alias, Driver, Match, Track
from db.repos.citations import fetch_sources
from db.storage.database import Database

# How much of the record each entity holds: the policy ranks "Richard Petty" (1,185 starts) before
# "Adam Petty" (1). Both come from the totals kept at write time (db/importers/summaries.py): a row per driver or
# track and series, however long the history.
_TRACK_WEIGHTS = "SELECT track_id, sum(races) FROM track_series_races GROUP BY track_id"
_DRIVER_WEIGHTS = "SELECT driver_id, sum(starts) FROM driver_series_stats GROUP BY driver_id"


class _AliasedNames:
    """Names and aliases of one kind of entity, indexed in memory; rebuilt when the data version moves."""

    def __init__(self, db: Database, *, table: str, alias_table: str, id_column: str, weights_sql: str) -> None:
        self._db = db
        self._alias_table = alias_table
        self._id_column = id_column
        self._weights_sql = weights_sql
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
        version = await self._db.data_version()
        if self._index is None or version != self._version:
            rows = await self._db.fetch(self._sql)
            weights = {int(r[0]): int(r[1]) for r in await self._db.fetch(self._weights_sql)}
            self._index = NameIndex(((row[0], row[1], row[2]) for row in rows), weights)
            self._version = version
        return self._index

    async def resolve(self, query: str) -> Resolution:
        return (await self.index()).resolve(query)

    async def names(self, entity_id: int) -> tuple[tuple[str, ...], tuple[Alias, ...]]:
        """Plain aliases, and the sourced names and nicknames with their seasons and sources."""
        seasons = self._alias_table == "track_aliases"  # drivers' names carry no seasons
        order = "coalesce(first_season, 0), alias" if seasons else "alias"
        rows = await self._db.fetch(
            f"SELECT * FROM {self._alias_table} WHERE {self._id_column} = ? ORDER BY kind <> 'name', {order}",
            (entity_id,),
        )
        sources = await fetch_sources(self._db, (str(r["source"]) for r in rows if r["source"]))
        plain = tuple(str(r["alias"]) for r in rows if r["kind"] == "alias")
        named = tuple(
            Alias(
                name=r["alias"],
                kind=r["kind"],
                first_season=r["first_season"] if seasons else None,
                last_season=r["last_season"] if seasons else None,
                source=sources.get(str(r["source"])) if r["source"] else None,
            )
            for r in rows
            if r["kind"] != "alias"
        )
        return plain, named


class TrackStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._names = _AliasedNames(
            db, table="tracks", alias_table="track_aliases", id_column="track_id", weights_sql=_TRACK_WEIGHTS
        )

    def invalidate(self) -> None:
        self._names.invalidate()

    async def search_tracks(self, *, query: str, limit: int = 25) -> list[Match]:
        return (await self._names.index()).search(query, limit=limit)

    async def find_track(self, *, query: str) -> Track | None:
        """The track the query certainly names (db.fuzzy's policy); None when unknown or ambiguous."""
        found = (await self._names.resolve(query)).found
        return await self.get_track(track_id=found) if found is not None else None

    async def get_track(self, *, track_id: int) -> Track | None:
        row = await self._db.fetch_one(
            """SELECT id, key, name, city, state, length_miles, surface, timezone FROM tracks WHERE id = ?""",
            (track_id,),
        )
        if row is None:
            return None
        aliases, names = await self._names.names(track_id)
        return Track(**dict(row), aliases=aliases, names=names)


class DriverStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._names = _AliasedNames(
            db, table="drivers", alias_table="driver_aliases", id_column="driver_id", weights_sql=_DRIVER_WEIGHTS
        )

    def invalidate(self) -> None:
        self._names.invalidate()

    async def search_drivers(self, *, query: str, limit: int = 25) -> list[Match]:
        return (await self._names.index()).search(query, limit=limit)

    async def find_driver(self, *, query: str) -> Driver | None:
        """The driver the query certainly names (db.fuzzy's policy); None when unknown or ambiguous."""
        found = (await self._names.resolve(query)).found
        return await self.get_driver(driver_id=found) if found is not None else None

    async def get_driver(self, *, driver_id: int) -> Driver | None:
        row = await self._db.fetch_one("SELECT id, name FROM drivers WHERE id = ?", (driver_id,))
        if row is None:
            return None
        aliases, names = await self._names.names(driver_id)
        return Driver(id=row["id"], name=row["name"], aliases=aliases, names=names)
