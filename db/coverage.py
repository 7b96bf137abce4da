"""What the store holds per series and season, and how fresh it is (for /about)."""

from __future__ import annotations

import datetime as dt

import aiosqlite

from db.memo import ChangeMemo
from db.models import Model, Series, Source
from db.rows import parse_utc, source_from


class SeasonCoverage(Model):
    season: int
    races: int
    with_results: int  # races whose full field is stored
    result_sources: tuple[str, ...] = ()  # where those fields come from
    schedule_sources: tuple[str, ...] = ()  # where the races without a field come from


class SeriesCoverage(Model):
    series: Series
    seasons: tuple[SeasonCoverage, ...]
    last_import: dt.datetime | None  # the series' last history import

    @property
    def result_seasons(self) -> tuple[int, ...]:
        return tuple(s.season for s in self.seasons if s.with_results)

    @property
    def schedule_only_seasons(self) -> tuple[int, ...]:
        return tuple(s.season for s in self.seasons if not s.with_results)


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
    series: tuple[SeriesCoverage, ...] = ()
    last_feed_sync: dt.datetime | None = None  # the newest answer the feed gave us (sync or CLI)


# One pass over races (by the series/season index), a primary-key probe per race for "has results".
_SEASONS_SQL = """
SELECT series, season, count(*) AS races, sum(has) AS with_results,
       group_concat(DISTINCT CASE WHEN has THEN coalesce(json_extract(field_sources, '$.results[0]'), source) END)
           AS result_sources,
       group_concat(DISTINCT CASE WHEN NOT has THEN source END) AS schedule_sources
FROM (SELECT r.series, r.season, r.source, r.field_sources,
             EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id) AS has
      FROM races r)
GROUP BY series, season ORDER BY series, season
"""


def _keys(concatenated: str | None) -> tuple[str, ...]:
    return tuple(sorted(k for k in (concatenated or "").split(",") if k))


class SqliteCoverage:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._memo: ChangeMemo[Coverage] = ChangeMemo(conn, size=1)

    async def _scalar(self, sql: str) -> object | None:
        async with self._conn.execute(sql) as cursor:
            row = await cursor.fetchone()
        return row[0] if row else None

    async def coverage(self) -> Coverage:
        # Counting a million results takes a moment: the answer only changes with the data.
        return await self._memo.get("coverage", self._coverage)

    async def _count(self, sql: str) -> int:
        return int(str(await self._scalar(sql) or 0))

    async def _coverage(self) -> Coverage:
        async with self._conn.execute(
            """SELECT key AS source_key, title AS source_title, url AS source_url,
                      published AS source_published, publisher AS source_publisher
               FROM sources ORDER BY key"""
        ) as cursor:
            sources = tuple(source_from(row) for row in await cursor.fetchall())
        by_series: dict[str, list[SeasonCoverage]] = {}
        async with self._conn.execute(_SEASONS_SQL) as cursor:
            for row in await cursor.fetchall():
                by_series.setdefault(row["series"], []).append(
                    SeasonCoverage(
                        season=row["season"],
                        races=row["races"],
                        with_results=row["with_results"],
                        result_sources=_keys(row["result_sources"]),
                        schedule_sources=_keys(row["schedule_sources"]),
                    )
                )
        async with self._conn.execute(
            "SELECT name, loaded_at FROM data_loads WHERE name LIKE 'nascaR.data:%'"
        ) as cursor:
            imports = {str(r[0]).split(":", 1)[1]: parse_utc(r[1]) for r in await cursor.fetchall()}
        series = tuple(
            SeriesCoverage(series=code, seasons=tuple(seasons), last_import=imports.get(code))
            for code, seasons in sorted(by_series.items(), key=lambda item: ("cup", "xfinity", "truck").index(item[0]))
        )
        every = [s for record in series for s in record.seasons]
        last_load = await self._scalar("SELECT max(loaded_at) FROM data_loads")
        last_update = await self._scalar("SELECT max(updated_at) FROM races")
        last_sync = await self._scalar("SELECT max(fetched_at) FROM raw_responses WHERE status = 200")
        return Coverage(
            races=sum(s.races for s in every),
            races_with_results=sum(s.with_results for s in every),
            results=await self._count("SELECT count(*) FROM results"),
            quotes=await self._count("SELECT count(*) FROM quotes"),
            notable_finishes=await self._count("SELECT count(*) FROM notable_finishes"),
            drivers=await self._count("SELECT count(*) FROM drivers"),
            tracks=await self._count("SELECT count(*) FROM tracks"),
            seasons=tuple(sorted({s.season for s in every})),
            seasons_with_results=tuple(sorted({s.season for s in every if s.with_results})),
            last_load=parse_utc(str(last_load)) if last_load else None,
            last_race_update=parse_utc(str(last_update)) if last_update else None,
            sources=sources,
            series=series,
            last_feed_sync=parse_utc(str(last_sync)) if last_sync else None,
        )
