"""Import the nascaR.data history table (Cup 1949-, Xfinity 1982-, Truck 1995-) into the store.

One transaction for the whole file, so an interrupted import leaves the database as it was. Names
are resolved into dicts up front and rows are written with executemany: the full Cup table
(100k rows) imports in a few seconds. Races that already exist (bundled data, the feed) keep their
richer figures; history only fills what they lack. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import aiosqlite

from db.connection import data_transaction
from db.history_csv import HistoryError, HistoryRace, HistoryResult, count_rows, parse_history
from db.importers.resolve import HISTORY_SOURCE, NameResolver, ensure_source
from db.models import Series
from db.rows import to_utc_text

log = logging.getLogger(__name__)

SOURCE_KEY = HISTORY_SOURCE[0]
HISTORY_URLS: dict[str, str] = {
    "cup": "https://nascar.kylegrealis.com/cup_series.csv",
    "xfinity": "https://nascar.kylegrealis.com/xfinity_series.csv",
    "truck": "https://nascar.kylegrealis.com/truck_series.csv",
}

Progress = Callable[[int], None]
ResultRow = tuple[int, int | None, str, int, str | None, str | None, int | None, int, str, int | None, float | None]
StageRow = tuple[int, int, str, int, None]

RESULT_COLUMNS = "finish, start, car_number, driver_id, team, make, laps, laps_led, status, points, rating"
STAGE_COLUMNS = "stage, position, car_number, driver_id, points"


@dataclass
class HistoryReport:
    rows: int = 0
    races: int = 0
    races_added: int = 0
    races_filled: int = 0
    races_corrected: int = 0
    races_unchanged: int = 0
    races_kept: int = 0
    results_written: int = 0
    tracks_created: int = 0
    drivers_created: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.races_added or self.races_filled or self.races_corrected)


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    source: str
    winner_id: int | None
    actual_laps: int | None
    field_sources: str


@dataclass(slots=True)
class _Prepared:
    race: HistoryRace
    track_id: int
    results: list[ResultRow]
    stages: list[StageRow]
    own: bool = False

    @property
    def winner(self) -> ResultRow:
        return min(self.results, key=lambda row: row[0])


class _HistoryWriter:
    def __init__(self, conn: aiosqlite.Connection, series: Series, now: dt.datetime, progress: Progress | None):
        self.conn = conn
        self.series = series
        self.now = to_utc_text(now)
        self.progress = progress or (lambda _n: None)
        self.report = HistoryReport()

    async def write(self, races: list[HistoryRace]) -> HistoryReport:
        await ensure_source(self.conn, HISTORY_SOURCE)
        names = await NameResolver.load(self.conn)
        stored = await self._stored_races()
        stored_results = await self._stored_rows(f"SELECT race_id, {RESULT_COLUMNS} FROM results", "finish")
        stored_stages = await self._stored_rows(
            f"SELECT race_id, {STAGE_COLUMNS} FROM stage_results", "stage, position"
        )
        new: list[_Prepared] = []
        replace: list[tuple[int, _Prepared]] = []
        self.report.rows = count_rows(races)
        self.report.races = len(races)
        for race in races:
            repeated = race.duplicate_finishes()
            if repeated:
                # Two cars share a position (1964: non-starters tied for last); a position holds one car,
                # and picking one would be a guess, so neither row is imported. The report says so.
                dropped = [r for r in race.results if r.finish in repeated]
                self.report.skipped.append(
                    f"{race.season} race {race.race_number}: position {', '.join(map(str, repeated))} given to "
                    f"{', '.join(r.driver for r in dropped)}; those rows were not imported"
                )
            prepared = await self._prepare(race, [r for r in race.results if r.finish not in repeated], names)
            existing = stored.get((race.season, race.race_number))
            if existing is None:
                new.append(prepared)
            elif existing.source == SOURCE_KEY and existing.id in stored_results:
                if (stored_results.get(existing.id), stored_stages.get(existing.id)) == (
                    prepared.results,
                    prepared.stages or None,
                ):
                    self.report.races_unchanged += 1
                else:
                    prepared.own = True
                    replace.append((existing.id, prepared))
                    await self._update_own_race(existing, prepared)
            elif existing.id in stored_results:
                # Bundled or feed results are richer (margin, cautions, pole): keep them untouched.
                self.report.races_kept += 1
            else:
                replace.append((existing.id, prepared))
                await self._fill_race(existing, prepared, has_stages=existing.id in stored_stages)
            self.progress(1)
        await self._insert_races(new)
        await self._write_rows(replace)
        self.report.tracks_created = names.created_tracks
        self.report.drivers_created = names.created_drivers
        return self.report

    async def _prepare(self, race: HistoryRace, rows: list[HistoryResult], names: NameResolver) -> _Prepared:
        track_id = await names.track_id(race.track, length_miles=race.length_miles, surface=race.surface)
        results: list[ResultRow] = []
        stages: list[StageRow] = []
        for row in sorted(rows, key=lambda r: r.finish):
            driver_id = await names.driver_id(row.driver)
            # One 1950s row has no laps-led figure; the column is NOT NULL and "none recorded" reads as 0.
            results.append(
                (row.finish, row.start or None, row.car, driver_id, row.team, row.make, row.laps, row.led or 0,
                 row.status, row.points, row.rating)
            )  # fmt: skip
            for stage, position in ((1, row.s1), (2, row.s2)):
                if position is not None:
                    stages.append((stage, position, row.car, driver_id, None))
        stages.sort()
        return _Prepared(race=race, track_id=track_id, results=results, stages=stages)

    async def _stored_races(self) -> dict[tuple[int, int], _Stored]:
        async with self.conn.execute(
            """SELECT id, season, race_number, source, winner_id, actual_laps, field_sources FROM races
               WHERE series = ? AND race_number IS NOT NULL""",
            (self.series,),
        ) as cursor:
            rows = await cursor.fetchall()
        return {(r[1], r[2]): _Stored(r[0], r[3], r[4], r[5], r[6]) for r in rows}

    async def _stored_rows(self, select: str, order: str) -> dict[int, list[tuple[object, ...]]]:
        grouped: dict[int, list[tuple[object, ...]]] = {}
        async with self.conn.execute(
            f"""{select} WHERE race_id IN (SELECT id FROM races WHERE series = ? AND race_number IS NOT NULL)
                ORDER BY race_id, {order}""",
            (self.series,),
        ) as cursor:
            for row in await cursor.fetchall():
                grouped.setdefault(row[0], []).append(tuple(row[1:]))
        return grouped

    def _field_sources(self, raw: str, prepared: _Prepared) -> str:
        sources: dict[str, list[str]] = json.loads(raw) if raw else {}
        for figure in ("results", "winner", "actual_laps", *(("stages",) if prepared.stages else ())):
            keys = sources.setdefault(figure, [])
            if SOURCE_KEY not in keys:
                keys.append(SOURCE_KEY)
        return json.dumps(sources)

    async def _update_own_race(self, existing: _Stored, prepared: _Prepared) -> None:
        """A race we imported before whose rows changed upstream: a correction of an official result."""
        winner = prepared.winner
        await self.conn.execute(
            """UPDATE races SET name = ?, track_id = ?, winner_id = ?, actual_laps = ?, corrected = 1,
                   updated_at = ? WHERE id = ?""",
            (prepared.race.name, prepared.track_id, winner[3], winner[6], self.now, existing.id),
        )
        self.report.races_corrected += 1

    async def _fill_race(self, existing: _Stored, prepared: _Prepared, *, has_stages: bool) -> None:
        """A race known from elsewhere (schedule, feed) without results: add ours, fill empty figures only."""
        winner = prepared.winner
        if has_stages:
            prepared.stages = []
        await self.conn.execute(
            """UPDATE races SET winner_id = coalesce(winner_id, ?), actual_laps = coalesce(actual_laps, ?),
                   field_sources = ?, updated_at = ? WHERE id = ?""",
            (winner[3], winner[6], self._field_sources(existing.field_sources, prepared), self.now, existing.id),
        )
        self.report.races_filled += 1

    async def _insert_races(self, new: list[_Prepared]) -> None:
        if not new:
            return
        rows = []
        for prepared in new:
            race, winner = prepared.race, prepared.winner
            # nascaR.data has no dates: a placeholder day with date_known = 0, never shown as a date.
            rows.append(
                (self.series, race.season, race.race_number, race.name, prepared.track_id, f"{race.season:04d}-01-01",
                 winner[6], winner[3], self._field_sources("", prepared), self.now)
            )  # fmt: skip
        await self.conn.executemany(
            f"""INSERT INTO races (series, season, race_number, name, track_id, race_date, date_known, points_race,
                    actual_laps, status, winner_id, source, field_sources, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, 'official', ?, '{SOURCE_KEY}', ?, ?)""",
            rows,
        )
        stored = await self._stored_races()
        await self._write_rows([(stored[(p.race.season, p.race.race_number)].id, p) for p in new], fresh=True)
        self.report.races_added += len(new)

    async def _write_rows(self, races: list[tuple[int, _Prepared]], *, fresh: bool = False) -> None:
        if not races:
            return
        if not fresh:
            await self.conn.executemany("DELETE FROM results WHERE race_id = ?", [(i,) for i, _ in races])
            # Stages another source stored are kept (_fill_race then brings none of ours).
            await self.conn.executemany(
                "DELETE FROM stage_results WHERE race_id = ?", [(i,) for i, p in races if p.stages or p.own]
            )
        results = [(race_id, *row) for race_id, p in races for row in p.results]
        stages = [(race_id, *row) for race_id, p in races for row in p.stages]
        await self.conn.executemany(f"INSERT INTO results (race_id, {RESULT_COLUMNS}) VALUES ({'?, ' * 11}?)", results)
        await self.conn.executemany(
            f"INSERT INTO stage_results (race_id, {STAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", stages
        )
        self.report.results_written += len(results)


async def import_history(
    conn: aiosqlite.Connection,
    races: list[HistoryRace],
    *,
    series: Series = "cup",
    now: dt.datetime,
    digest: str | None = None,
    load_name: str | None = None,
    progress: Progress | None = None,
) -> HistoryReport:
    """Write parsed history races in one transaction; any error leaves the database unchanged."""
    async with data_transaction(conn):
        report = await _HistoryWriter(conn, series, now, progress).write(races)
        if digest is not None:
            await conn.execute(
                """INSERT INTO data_loads (name, sha256, loaded_at) VALUES (?, ?, ?)
                   ON CONFLICT(name) DO UPDATE SET sha256 = excluded.sha256, loaded_at = excluded.loaded_at
                   WHERE data_loads.sha256 IS NOT excluded.sha256""",
                (load_name or f"{SOURCE_KEY}:{series}", digest, to_utc_text(now)),
            )
    log.info("History import: %s", report)
    return report


def read_history_bytes(data: bytes, *, source: str) -> tuple[list[HistoryRace], str]:
    """Parse a downloaded or read file; returns the races and the file's sha256."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HistoryError(source, f"not UTF-8 text ({error})") from None
    return parse_history(text, source=source), hashlib.sha256(data).hexdigest()


__all__ = ["HISTORY_URLS", "HistoryError", "HistoryReport", "import_history", "read_history_bytes"]
