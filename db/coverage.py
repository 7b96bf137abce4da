"""What the store holds and how fresh it is (for /about)."""

from __future__ import annotations

import datetime as dt

import aiosqlite

from db.models import Model, Source
from db.rows import parse_utc, source_from


class Coverage(Model):
    races: int
    races_with_results: int
    results: int
    quotes: int
    notable_finishes: int
    drivers: int
    tracks: int
    seasons: tuple[int, ...]
    seasons_with_results: tuple[int, ...]
    last_load: dt.datetime | None
    last_race_update: dt.datetime | None
    sources: tuple[Source, ...]


class SqliteCoverage:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def _scalar(self, sql: str) -> object | None:
        async with self._conn.execute(sql) as cursor:
            row = await cursor.fetchone()
        return row[0] if row else None

    async def _ints(self, sql: str) -> tuple[int, ...]:
        async with self._conn.execute(sql) as cursor:
            return tuple(int(row[0]) for row in await cursor.fetchall())

    async def coverage(self) -> Coverage:
        async def count(sql: str) -> int:
            return int(str(await self._scalar(sql) or 0))

        async with self._conn.execute(
            """SELECT key AS source_key, title AS source_title, url AS source_url,
                      published AS source_published, publisher AS source_publisher
               FROM sources ORDER BY key"""
        ) as cursor:
            sources = tuple(source_from(row) for row in await cursor.fetchall())
        last_load = await self._scalar("SELECT max(loaded_at) FROM data_loads")
        last_update = await self._scalar("SELECT max(updated_at) FROM races")
        return Coverage(
            races=await count("SELECT count(*) FROM races"),
            races_with_results=await count("SELECT count(DISTINCT race_id) FROM results"),
            results=await count("SELECT count(*) FROM results"),
            quotes=await count("SELECT count(*) FROM quotes"),
            notable_finishes=await count("SELECT count(*) FROM notable_finishes"),
            drivers=await count("SELECT count(*) FROM drivers"),
            tracks=await count("SELECT count(*) FROM tracks"),
            seasons=await self._ints("SELECT DISTINCT season FROM races ORDER BY season"),
            seasons_with_results=await self._ints(
                "SELECT DISTINCT r.season FROM races r WHERE r.id IN (SELECT race_id FROM results) ORDER BY r.season"
            ),
            last_load=parse_utc(str(last_load)) if last_load else None,
            last_race_update=parse_utc(str(last_update)) if last_update else None,
            sources=sources,
        )
