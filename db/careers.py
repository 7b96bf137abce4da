"""A driver's record as far as the store knows it: starts, wins, top 5/10, poles, laps led, latest results."""

from __future__ import annotations

import datetime as dt

import aiosqlite

from db.citations import fetch_sources, figure_keys, in_order
from db.models import Driver, Model, Source


class CareerResult(Model):
    race_id: int
    season: int
    race_name: str
    race_date: dt.date | None  # None when the source gives no day (history imports)
    track: str
    finish: int
    car_number: str
    status: str
    laps_led: int


class Career(Model):
    """Figures count only races whose full results are stored; `wins_on_record` also counts
    races where only the winner is stored (e.g. from a schedule import)."""

    driver: Driver
    starts: int
    wins: int
    top5: int
    top10: int
    poles: int
    laps_led: int
    best_finish: CareerResult | None
    wins_on_record: int
    first_season: int | None
    last_season: int | None
    latest: tuple[CareerResult, ...]
    result_sources: tuple[Source, ...]
    sources: tuple[Source, ...]


_RESULT_SQL = """
SELECT r.id AS race_id, r.season, r.name AS race_name, r.race_date, r.date_known, t.name AS track, x.finish,
       x.car_number, x.status, x.laps_led, r.field_sources, r.source
FROM results x
JOIN races r ON r.id = x.race_id
JOIN tracks t ON t.id = r.track_id
WHERE x.driver_id = ?
ORDER BY r.season DESC, r.race_date DESC, r.race_number DESC, r.id DESC
"""


class SqliteCareers:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def driver_career(self, *, driver: Driver, latest: int = 5) -> Career:
        async with self._conn.execute(_RESULT_SQL, (driver.id,)) as cursor:
            rows = await cursor.fetchall()
        results = [
            CareerResult(
                race_id=row["race_id"],
                season=row["season"],
                race_name=row["race_name"],
                race_date=dt.date.fromisoformat(row["race_date"]) if row["date_known"] else None,
                track=row["track"],
                finish=row["finish"],
                car_number=row["car_number"],
                status=row["status"],
                laps_led=row["laps_led"],
            )
            for row in rows
        ]
        result_keys = [k for row in rows for k in figure_keys(row["field_sources"], "results", row["source"])]
        keys = list(result_keys)
        async with self._conn.execute(
            "SELECT season, field_sources, source FROM races WHERE winner_id = ?", (driver.id,)
        ) as cursor:
            won = list(await cursor.fetchall())
        async with self._conn.execute(
            "SELECT season, field_sources, source FROM races WHERE pole_driver_id = ?", (driver.id,)
        ) as cursor:
            poles = list(await cursor.fetchall())
        keys += [k for row in won for k in figure_keys(row["field_sources"], "winner", row["source"])]
        keys += [k for row in poles for k in figure_keys(row["field_sources"], "pole", row["source"])]
        seasons = [r.season for r in results] + [int(row["season"]) for row in (*won, *poles)]
        known = await fetch_sources(self._conn, keys)
        best = min(results, key=lambda r: r.finish, default=None)  # results are newest first: ties go to the latest
        return Career(
            driver=driver,
            starts=len(results),
            wins=sum(r.finish == 1 for r in results),
            top5=sum(r.finish <= 5 for r in results),
            top10=sum(r.finish <= 10 for r in results),
            poles=len(poles),
            laps_led=sum(r.laps_led for r in results),
            best_finish=best,
            wins_on_record=len(won),
            first_season=min(seasons, default=None),
            last_season=max(seasons, default=None),
            latest=tuple(results[:latest]),
            result_sources=in_order(result_keys, known),
            sources=in_order(keys, known),
        )
