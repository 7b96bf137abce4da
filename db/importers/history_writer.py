"""The history import's writer: compare each chunk of races with what is stored, write only what changed.

Used by db.importers.history.import_history inside its one transaction; rules for each row in
db.importers.history_rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from db.importers.history_csv import HistoryRace
from db.importers.history_rows import (
    RESULT_COLUMNS,
    STAGE_COLUMNS,
    ResultRow,
    StageRow,
    is_correction,
    laps,
    laps_led,
    unique_stage_positions,
)
from db.importers.resolve import NameResolver, ensure_source, history_source
from db.importers.summaries import refresh_seasons
from db.models import Series
from db.names import normalize_name
from db.repos.rows import to_utc_text
from db.storage.database import Database

CHUNK = 250  # races compared and written per round trip


Progress = Callable[[int], None]


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
    field_sources: str
    race: tuple[object, ...]  # name, track_id, track_called, winner_id, actual_laps


@dataclass(slots=True)
class _Prepared:
    race: HistoryRace
    track_id: int
    track_called: str | None
    results: list[ResultRow]
    stages: list[StageRow]

    @property
    def winner(self) -> ResultRow:
        return min(self.results, key=lambda row: row[0])

    @property
    def race_values(self) -> tuple[object, ...]:
        winner = self.winner
        return (self.race.name, self.track_id, self.track_called, winner[3], winner[6])


class HistoryWriter:
    def __init__(self, db: Database, series: Series, now: dt.datetime, progress: Progress | None):
        self.db = db
        self.series = series
        self.source = history_source(series)
        self.now = to_utc_text(now)
        self.progress = progress or (lambda _n: None)
        self.report = HistoryReport()
        self.names: NameResolver | None = None
        self.stored: dict[tuple[int, int], _Stored] = {}
        self.touched: set[int] = set()  # seasons whose races or results this import changed

    async def write(self, races: Iterable[HistoryRace]) -> HistoryReport:
        await ensure_source(self.db, self.source)
        self.names = await NameResolver.load(self.db)
        self.stored = await self._stored_races()
        chunk: list[_Prepared] = []
        for race in races:
            chunk.append(await self._prepare(race))
            if len(chunk) >= CHUNK:
                await self._write_chunk(chunk)
                chunk = []
        await self._write_chunk(chunk)
        # A whole table touches every season: the same statements then recompute wholesale.
        await refresh_seasons(self.db, ((self.series, season) for season in self.touched))
        self.report.tracks_created = self.names.created_tracks
        self.report.drivers_created = self.names.created_drivers
        return self.report

    async def _prepare(self, race: HistoryRace) -> _Prepared:
        assert self.names is not None
        self.report.races += 1
        self.report.rows += len(race.results) + len(race.skipped)
        self.report.skipped += [f"{race.season} race {race.race_number}: {reason}" for reason in race.skipped]
        repeated = race.duplicate_finishes()
        rows = race.results
        if repeated:
            # Two cars share a position (1964: non-starters tied for last); a position holds one car,
            # and picking one would be a guess, so neither row is imported. The report says so.
            dropped = [r for r in rows if r.finish in repeated]
            self.report.skipped.append(
                f"{race.season} race {race.race_number}: position {', '.join(map(str, repeated))} given to "
                f"{', '.join(r.driver for r in dropped)}; those rows were not imported"
            )
            rows = [r for r in rows if r.finish not in repeated]
        rows = sorted(rows, key=lambda r: r.finish)
        track_id = await self.names.track_id(race.track, length_miles=race.length_miles, surface=race.surface)
        canonical = self.names.track_name(track_id)
        called = race.track if normalize_name(race.track) != normalize_name(canonical) else None
        results: list[ResultRow] = []
        stages: list[StageRow] = []
        for row, completed, led in zip(rows, laps(rows), laps_led(rows), strict=True):
            driver_id = await self.names.driver_id(row.driver)
            results.append(
                (row.finish, row.start, row.car, driver_id, row.team, row.make, completed, led, row.status, row.points,
                 row.rating)
            )  # fmt: skip
            for stage, position in ((1, row.s1), (2, row.s2)):
                if position is not None:
                    stages.append((stage, position, row.car, driver_id, None))
        stages, doubled = unique_stage_positions(stages)
        for stage, position in doubled:
            # A stage position holds one car; one the table gives twice (Truck 2021 race 11) is left out.
            self.report.skipped.append(
                f"{race.season} race {race.race_number}: stage {stage} position {position} given to more than one "
                "car; not imported"
            )
        return _Prepared(race=race, track_id=track_id, track_called=called, results=results, stages=stages)

    async def _stored_races(self, *, after_id: int = 0) -> dict[tuple[int, int], _Stored]:
        rows = await self.db.fetch(
            """SELECT id, season, race_number, source, field_sources, name, track_id, track_called, winner_id,
                      actual_laps
               FROM races WHERE series = ? AND race_number IS NOT NULL AND id > ?""",
            (self.series, after_id),
        )
        return {(r[1], r[2]): _Stored(r[0], r[3], r[4], tuple(r)[5:]) for r in rows}

    async def _stored_rows(self, select: str, order: str, race_ids: list[int]) -> dict[int, list[tuple[object, ...]]]:
        grouped: dict[int, list[tuple[object, ...]]] = {}
        if not race_ids:
            return grouped
        marks = ",".join("?" * len(race_ids))
        for row in await self.db.fetch(f"{select} WHERE race_id IN ({marks}) ORDER BY race_id, {order}", race_ids):
            grouped.setdefault(row[0], []).append(tuple(row)[1:])
        return grouped

    async def _write_chunk(self, chunk: list[_Prepared]) -> None:
        if not chunk:
            return
        known = [self.stored[key].id for p in chunk if (key := (p.race.season, p.race.race_number)) in self.stored]
        results = await self._stored_rows(f"SELECT race_id, {RESULT_COLUMNS} FROM results", "finish", known)
        stages = await self._stored_rows(
            f"SELECT race_id, {STAGE_COLUMNS} FROM stage_results", "stage, position", known
        )
        new: list[_Prepared] = []
        replace: list[tuple[int, _Prepared, bool]] = []  # (race id, rows, whether to drop stored stages)
        for prepared in chunk:
            existing = self.stored.get((prepared.race.season, prepared.race.race_number))
            if existing is None:
                new.append(prepared)
                self.touched.add(prepared.race.season)
            elif existing.source == self.source[0] and existing.id in results:
                same_rows = (results.get(existing.id), stages.get(existing.id)) == (
                    prepared.results,
                    prepared.stages or None,
                )
                if same_rows and existing.race == prepared.race_values:
                    self.report.races_unchanged += 1
                else:
                    if not same_rows:
                        replace.append((existing.id, prepared, True))
                    corrected = not same_rows and is_correction(results.get(existing.id, []), prepared.results)
                    await self._update_own_race(existing, prepared, corrected=corrected)
                    self.touched.add(prepared.race.season)
                    self.report.races_corrected += corrected
                    self.report.races_filled += not corrected
            elif existing.id in results:
                # Bundled or feed results are richer (margin, cautions, pole): keep them untouched.
                self.report.races_kept += 1
            else:
                has_stages = existing.id in stages
                if has_stages:
                    prepared.stages = []  # stages another source stored are kept
                replace.append((existing.id, prepared, False))
                await self._fill_race(existing, prepared)
                self.touched.add(prepared.race.season)
            self.progress(1)
        await self._insert_races(new)
        await self._write_rows(replace)

    def _field_sources(self, raw: str, prepared: _Prepared) -> str:
        sources: dict[str, list[str]] = json.loads(raw) if raw else {}
        figures = ("results", "winner", "actual_laps", *(("stages",) if prepared.stages else ()))
        for figure in (*figures, *(("track_called",) if prepared.track_called else ())):
            keys = sources.setdefault(figure, [])
            if self.source[0] not in keys:
                keys.append(self.source[0])
        return json.dumps(sources)

    async def _update_own_race(self, existing: _Stored, prepared: _Prepared, *, corrected: bool) -> None:
        """A race we imported before that changed: rows changed upstream are a correction of an official result."""
        name, track_id, called, winner_id, laps = prepared.race_values
        corrected_now = self.db.dialect.greater("corrected", "?")
        await self.db.execute(
            f"""UPDATE races SET name = ?, track_id = ?, track_called = ?, winner_id = ?, actual_laps = ?,
                   field_sources = ?, corrected = {corrected_now}, updated_at = ? WHERE id = ?""",
            (name, track_id, called, winner_id, laps, self._field_sources(existing.field_sources, prepared),
             int(corrected), self.now, existing.id),
        )  # fmt: skip

    async def _fill_race(self, existing: _Stored, prepared: _Prepared) -> None:
        """A race known from elsewhere (schedule, feed) without results: add ours, fill empty figures only."""
        _name, _track, called, winner_id, laps = prepared.race_values
        await self.db.execute(
            """UPDATE races SET winner_id = coalesce(winner_id, ?), actual_laps = coalesce(actual_laps, ?),
                   track_called = coalesce(track_called, ?), field_sources = ?, updated_at = ? WHERE id = ?""",
            (winner_id, laps, called, self._field_sources(existing.field_sources, prepared), self.now, existing.id),
        )
        self.report.races_filled += 1

    async def _insert_races(self, new: list[_Prepared]) -> None:
        if not new:
            return
        before = await self.db.fetch_one("SELECT coalesce(max(id), 0) FROM races")
        rows = []
        for prepared in new:
            race = prepared.race
            name, track_id, called, winner_id, laps = prepared.race_values
            # nascaR.data has no dates: a placeholder day with date_known = 0, never shown as a date.
            rows.append(
                (self.series, race.season, race.race_number, name, track_id, called, f"{race.season:04d}-01-01",
                 laps, winner_id, self.source[0], self._field_sources("", prepared), self.now)
            )  # fmt: skip
        await self.db.execute_many(
            """INSERT INTO races (series, season, race_number, name, track_id, track_called, race_date, date_known,
                   points_race, actual_laps, status, winner_id, source, field_sources, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?, 'official', ?, ?, ?, ?)""",
            rows,
        )
        self.stored.update(await self._stored_races(after_id=int(before[0]) if before else 0))
        await self._write_rows([(self.stored[(p.race.season, p.race.race_number)].id, p, False) for p in new])
        self.report.races_added += len(new)

    async def _write_rows(self, races: list[tuple[int, _Prepared, bool]]) -> None:
        if not races:
            return
        await self.db.execute_many("DELETE FROM results WHERE race_id = ?", [(i,) for i, _, _ in races])
        await self.db.execute_many(
            "DELETE FROM stage_results WHERE race_id = ?", [(i,) for i, p, own in races if p.stages or own]
        )
        results = [(race_id, *row) for race_id, p, _ in races for row in p.results]
        stages = [(race_id, *row) for race_id, p, _ in races for row in p.stages]
        await self.db.execute_many(f"INSERT INTO results (race_id, {RESULT_COLUMNS}) VALUES ({'?, ' * 11}?)", results)
        await self.db.execute_many(
            f"INSERT INTO stage_results (race_id, {STAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", stages
        )
        self.report.results_written += len(results)
