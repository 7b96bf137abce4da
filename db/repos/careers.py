"""A driver's record as far as the store knows it, per series, with what is not recorded.

Counted at write time (db/importers/summaries.py, per driver, series and season): reading a record costs the
same few rows for a driver with 10 starts or 10,000.

Poles: the race's pole where a source or the feed gives one (races.pole_driver_id); otherwise the car
that started first, where the results record start positions and exactly one car started first. A
start whose position is unknown (and whose race has no recorded pole) is counted as "not recorded",
never as "no pole". Laps led works the same way: a result without the figure is not a 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from db.models import Driver
from db.models.careers import Career, CareerResult, SeriesRecord
from db.repos.citations import fetch_sources, in_order
from db.repos.memo import ChangeMemo
from db.storage.database import Database

# Totals per series, maintained at write time (db/importers/summaries.py).
_RECORDS_SQL = """
SELECT series, starts, wins, top5, top10, poles_official + poles_unstarted AS poles_official, poles_from_start,
       poles_unknown, laps_led, laps_led_unknown, wins_on_record, first_season, last_season, best_finish, best_season
FROM driver_series_stats WHERE driver_id = ?
"""

_SOURCES_SQL = """
SELECT series, figure, source_key FROM driver_series_sources WHERE driver_id = ?
ORDER BY series, first_season, source_key
"""

_RESULT_COLUMNS = """r.id AS race_id, r.series, r.season, r.race_number, r.name AS race_name, r.race_date, r.date_known,
       t.name AS track, x.finish, x.car_number, x.status, x.laps_led, x.team, x.make"""
# The driver's rows in the races of their latest seasons with a start — as many as hold the latest `latest`
# starts (a running sum over at most `latest` seasons) — and in the races of the latest season with their
# best finish: bounded by those seasons, not by the career.
_LATEST_SQL = f"""SELECT * FROM (
    SELECT {_RESULT_COLUMNS}, 'latest' AS kind
    FROM results x JOIN races r ON r.id = x.race_id JOIN tracks t ON t.id = r.track_id
    WHERE x.driver_id = ? AND x.race_id IN (
        SELECT id FROM races WHERE series = ? AND season IN (
            SELECT season FROM (
                SELECT season, starts, sum(starts) OVER (ORDER BY season DESC) AS upto FROM (
                    SELECT l.season, l.starts FROM driver_season_stats l
                    WHERE l.driver_id = ? AND l.series = ? AND l.starts > 0 ORDER BY l.season DESC LIMIT ?) latest
            ) counted WHERE upto - starts < ?))
    ORDER BY r.season DESC, coalesce(r.race_number, 0) DESC, r.race_date DESC, r.id DESC LIMIT ?) latest_rows"""
_BEST_SQL = f"""SELECT * FROM (
    SELECT {_RESULT_COLUMNS}, 'best' AS kind
    FROM races r JOIN results x ON x.race_id = r.id JOIN tracks t ON t.id = r.track_id
    WHERE r.series = ? AND r.season = ? AND x.finish = ? AND x.driver_id = ?
    ORDER BY coalesce(r.race_number, 0) DESC, r.id DESC LIMIT 1) best_row"""

_COUNTS = ("starts", "wins", "top5", "top10", "poles_official", "poles_from_start", "poles_unknown", "laps_led_unknown",
           "wins_on_record")  # fmt: skip


def _result(row: Any) -> CareerResult:
    return CareerResult(
        race_id=row["race_id"],
        season=row["season"],
        race_number=row["race_number"],
        race_name=row["race_name"],
        race_date=dt.date.fromisoformat(row["race_date"]) if row["date_known"] else None,
        track=row["track"],
        finish=row["finish"],
        car_number=row["car_number"],
        status=row["status"],
        laps_led=row["laps_led"],
        team=row["team"],
        make=row["make"],
    )


class CareerStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # The same few drivers are asked for over and over; a record changes only with the data.
        self._memo: ChangeMemo[Career] = ChangeMemo(db, size=256)

    async def _rows(self, sql: str, params: Sequence[object]) -> list[Any]:
        return await self._db.fetch(sql, tuple(params))

    async def driver_career(self, *, driver: Driver, latest: int = 5) -> Career:
        """Read from the maintained totals: the same few rows whatever the length of the career."""
        return await self._memo.get((driver, latest), lambda: self._career(driver, latest))

    async def _career(self, driver: Driver, latest: int) -> Career:
        totals = await self._rows(_RECORDS_SQL, (driver.id,))
        keys: dict[tuple[str, str], list[str]] = {}
        for row in await self._rows(_SOURCES_SQL, (driver.id,)):
            keys.setdefault((row["series"], row["figure"]), []).append(row["source_key"])
        latest_rows: dict[str, list[CareerResult]] = {}
        best: dict[str, CareerResult] = {}
        branches: list[str] = []
        params: list[object] = []
        for row in totals:
            if row["starts"]:
                branches += [_LATEST_SQL, _BEST_SQL]
                params += [driver.id, row["series"], driver.id, row["series"], latest, latest, latest]
                params += [row["series"], row["best_season"], row["best_finish"], driver.id]
        if branches:
            for row in await self._rows(" UNION ALL ".join(branches), params):
                if row["kind"] == "latest":
                    latest_rows.setdefault(row["series"], []).append(_result(row))
                else:
                    best[row["series"]] = _result(row)
        wanted = [
            k
            for row in totals
            for figure in ("results", "pole", "winner")
            for k in keys.get((row["series"], figure), [])
        ]
        known = await fetch_sources(self._db, wanted)
        records = []
        for row in totals:
            series = row["series"]
            results, poles = keys.get((series, "results"), []), keys.get((series, "pole"), [])
            counts = {column: int(row[column]) for column in _COUNTS}
            records.append(
                SeriesRecord(
                    series=series,
                    **counts,
                    laps_led=row["laps_led"],
                    first_season=row["first_season"],
                    last_season=row["last_season"],
                    best_finish=best.get(series),
                    latest=tuple(latest_rows.get(series, ())),
                    result_sources=in_order(results, known),
                    pole_sources=in_order(poles, known),
                    sources=in_order([*results, *poles, *keys.get((series, "winner"), [])], known),
                )
            )
        records.sort(key=lambda r: (-r.starts, -r.wins_on_record, ("cup", "xfinity", "truck").index(r.series)))
        return Career(driver=driver, records=tuple(records))
