"""A driver's record as far as the store knows it, per series: counted in SQL, with what is not recorded.

Poles: the race's pole where a source or the feed gives one (races.pole_driver_id); otherwise the car
that started first, where the results record start positions and exactly one car started first. A
start whose position is unknown (and whose race has no recorded pole) is counted as "not recorded",
never as "no pole". Laps led works the same way: a result without the figure is not a 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import aiosqlite

from db.citations import fetch_sources, figure_keys, in_order
from db.models import Driver, Model, Series, Source


class CareerResult(Model):
    race_id: int
    season: int
    race_number: int | None = None
    race_name: str
    race_date: dt.date | None  # None when the source gives no day (history imports)
    track: str
    finish: int
    car_number: str
    status: str
    laps_led: int | None  # None: not recorded for this race
    team: str | None = None
    make: str | None = None


class SeriesRecord(Model):
    """Figures count only races whose full results are stored; `wins_on_record` also counts races where
    only the winner is stored (e.g. from a schedule import)."""

    series: Series
    starts: int
    wins: int
    top5: int
    top10: int
    poles_official: int  # the race's recorded pole (feed or a cited source)
    poles_from_start: int  # started first per the results, where no pole is recorded
    poles_unknown: int  # starts where neither the pole nor the start position is recorded
    laps_led: int | None  # None: not recorded in any start
    laps_led_unknown: int  # starts without a laps-led figure
    wins_on_record: int
    first_season: int | None
    last_season: int | None
    best_finish: CareerResult | None
    latest: tuple[CareerResult, ...]
    result_sources: tuple[Source, ...]
    pole_sources: tuple[Source, ...]
    sources: tuple[Source, ...]

    @property
    def poles(self) -> int | None:
        """Poles counted; None when no start of the driver's has a recorded pole or start position."""
        counted = self.poles_official + self.poles_from_start
        return None if counted == 0 and self.poles_unknown == self.starts and self.starts else counted

    @property
    def latest_result(self) -> CareerResult | None:
        return self.latest[0] if self.latest else None


class Career(Model):
    """A driver's records, the series with the most starts first."""

    driver: Driver
    records: tuple[SeriesRecord, ...]

    def record(self, series: Series | None = None) -> SeriesRecord | None:
        """The record in one series, or the main one (most starts)."""
        if series is None:
            return self.records[0] if self.records else None
        return next((r for r in self.records if r.series == series), None)

    # The main series' figures, for callers that show one record.
    @property
    def starts(self) -> int:
        main = self.record()
        return main.starts if main else 0

    @property
    def wins(self) -> int:
        main = self.record()
        return main.wins if main else 0

    @property
    def top5(self) -> int:
        main = self.record()
        return main.top5 if main else 0

    @property
    def top10(self) -> int:
        main = self.record()
        return main.top10 if main else 0

    @property
    def poles(self) -> int | None:
        main = self.record()
        return main.poles if main else None

    @property
    def laps_led(self) -> int | None:
        main = self.record()
        return main.laps_led if main else None

    @property
    def wins_on_record(self) -> int:
        main = self.record()
        return main.wins_on_record if main else 0

    @property
    def best_finish(self) -> CareerResult | None:
        main = self.record()
        return main.best_finish if main else None

    @property
    def result_sources(self) -> tuple[Source, ...]:
        main = self.record()
        return main.result_sources if main else ()


# One row per (series, source of the results): the figures are summed in SQL, a handful of groups in Python.
_FIGURES_SQL = """
SELECT r.series, r.field_sources, r.source,
       count(*) AS starts,
       sum(x.finish = 1) AS wins,
       sum(x.finish <= 5) AS top5,
       sum(x.finish <= 10) AS top10,
       sum(r.pole_driver_id IS x.driver_id) AS poles_official,
       sum(r.pole_driver_id IS NULL AND x.start = 1 AND NOT EXISTS (
           SELECT 1 FROM results y WHERE y.race_id = x.race_id AND y.start = 1 AND y.finish <> x.finish))
           AS poles_from_start,
       sum(r.pole_driver_id IS NULL AND (
           (x.start IS NULL AND NOT EXISTS (SELECT 1 FROM results y WHERE y.race_id = x.race_id AND y.start = 1))
           OR (x.start = 1 AND EXISTS (
               SELECT 1 FROM results y WHERE y.race_id = x.race_id AND y.start = 1 AND y.finish <> x.finish))))
           AS poles_unknown,
       sum(x.laps_led) AS laps_led,
       sum(x.laps_led IS NULL) AS laps_led_unknown,
       min(r.season) AS first_season, max(r.season) AS last_season
FROM results x JOIN races r ON r.id = x.race_id
WHERE x.driver_id = ?
GROUP BY r.series, r.field_sources, r.source
"""

# Wins and poles in races whose field is not stored (schedules with a winner, a feed pole before results).
_RACE_ONLY_SQL = """
SELECT r.series, r.field_sources, r.source, r.season,
       r.winner_id IS ? AS won, r.pole_driver_id IS ? AS pole,
       EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id AND x.driver_id = ?) AS started
FROM races r WHERE r.winner_id = ? OR r.pole_driver_id = ?
"""

# The latest and the best results per series, ranked in SQL.
_RESULTS_SQL = """
SELECT * FROM (
    SELECT r.id AS race_id, r.series, r.season, r.race_number, r.name AS race_name, r.race_date, r.date_known,
           t.name AS track, x.finish, x.car_number, x.status, x.laps_led, x.team, x.make,
           row_number() OVER (PARTITION BY r.series
               ORDER BY r.season DESC, coalesce(r.race_number, 0) DESC, r.race_date DESC, r.id DESC) AS recent,
           row_number() OVER (PARTITION BY r.series
               ORDER BY x.finish, r.season DESC, coalesce(r.race_number, 0) DESC, r.id DESC) AS best
    FROM results x JOIN races r ON r.id = x.race_id JOIN tracks t ON t.id = r.track_id
    WHERE x.driver_id = ?
) WHERE recent <= ? OR best = 1
ORDER BY series, recent
"""


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


class _Tally:
    """One series' sums over its source groups, and the source keys behind each figure."""

    def __init__(self) -> None:
        self.sums: dict[str, int] = {}
        self.seasons: list[int] = []
        self.result_keys: list[str] = []
        self.pole_keys: list[str] = []
        self.other_keys: list[str] = []
        self.led_known = False

    def add_group(self, row: Any) -> None:
        for column in ("starts", "wins", "top5", "top10", "poles_official", "poles_from_start", "poles_unknown",
                       "laps_led_unknown"):  # fmt: skip
            self.sums[column] = self.sums.get(column, 0) + int(row[column] or 0)
        if row["laps_led"] is not None:
            self.led_known = True
            self.sums["laps_led"] = self.sums.get("laps_led", 0) + int(row["laps_led"])
        self.seasons += [int(row["first_season"]), int(row["last_season"])]
        results = figure_keys(row["field_sources"], "results", row["source"])
        self.result_keys += results
        if row["poles_official"]:
            self.pole_keys += figure_keys(row["field_sources"], "pole", row["source"])
        if row["poles_from_start"]:
            self.pole_keys += results  # the start positions are part of the results


class SqliteCareers:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def _rows(self, sql: str, params: Sequence[object]) -> list[Any]:
        async with self._conn.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def driver_career(self, *, driver: Driver, latest: int = 5) -> Career:
        tallies: dict[str, _Tally] = {}
        for row in await self._rows(_FIGURES_SQL, (driver.id,)):
            tallies.setdefault(row["series"], _Tally()).add_group(row)
        wins_on_record: dict[str, int] = {}
        for row in await self._rows(_RACE_ONLY_SQL, (driver.id,) * 5):
            tally = tallies.setdefault(row["series"], _Tally())
            if row["won"]:
                wins_on_record[row["series"]] = wins_on_record.get(row["series"], 0) + 1
                tally.other_keys += figure_keys(row["field_sources"], "winner", row["source"])
            if row["pole"] and not row["started"]:
                tally.sums["poles_official"] = tally.sums.get("poles_official", 0) + 1
                tally.pole_keys += figure_keys(row["field_sources"], "pole", row["source"])
            tally.seasons.append(int(row["season"]))
        latest_rows: dict[str, list[CareerResult]] = {}
        best: dict[str, CareerResult] = {}
        for row in await self._rows(_RESULTS_SQL, (driver.id, latest)):
            result = _result(row)
            if row["recent"] <= latest:
                latest_rows.setdefault(row["series"], []).append(result)
            if row["best"] == 1:
                best[row["series"]] = result
        keys = [k for t in tallies.values() for k in (*t.result_keys, *t.pole_keys, *t.other_keys)]
        known = await fetch_sources(self._conn, keys)
        records = [
            SeriesRecord(
                series=series,
                starts=t.sums.get("starts", 0),
                wins=t.sums.get("wins", 0),
                top5=t.sums.get("top5", 0),
                top10=t.sums.get("top10", 0),
                poles_official=t.sums.get("poles_official", 0),
                poles_from_start=t.sums.get("poles_from_start", 0),
                poles_unknown=t.sums.get("poles_unknown", 0),
                laps_led=t.sums.get("laps_led") if t.led_known else None,
                laps_led_unknown=t.sums.get("laps_led_unknown", 0),
                wins_on_record=wins_on_record.get(series, 0),
                first_season=min(t.seasons, default=None),
                last_season=max(t.seasons, default=None),
                best_finish=best.get(series),
                latest=tuple(latest_rows.get(series, ())),
                result_sources=in_order(t.result_keys, known),
                pole_sources=in_order(t.pole_keys, known),
                sources=in_order([*t.result_keys, *t.pole_keys, *t.other_keys], known),
            )
            for series, t in tallies.items()
        ]
        records.sort(key=lambda r: (-r.starts, -r.wins_on_record, ("cup", "xfinity", "truck").index(r.series)))
        return Career(driver=driver, records=tuple(records))
