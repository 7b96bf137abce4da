"""Writes validated dataset rows inside an open transaction, resolving references or failing clearly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from db.importers.dataset import DatasetError, NameSpec, RaceSpec
from db.importers.resolve import NameResolver
from db.names import normalize_name
from db.repos.rows import to_utc_text
from db.storage.database import Database, insert_id


class DatasetWriter:
    """Row writers for one dataset file; every bad reference raises DatasetError naming the field."""

    def __init__(self, db: Database, path: Path, now: dt.datetime) -> None:
        self.db = db
        self.path = path
        self.now = to_utc_text(now)
        self._names: NameResolver | None = None
        self.touched: set[tuple[str, int]] = set()  # (series, season) of races this file added or changed

    def fail(self, where: str, message: str) -> DatasetError:
        return DatasetError(self.path, f"{where}: {message}")

    async def scalar(self, sql: str, params: tuple[object, ...]) -> object | None:
        row = await self.db.fetch_one(sql, params)
        return row[0] if row else None

    async def check_source(self, where: str, key: str) -> None:
        if await self.scalar("SELECT 1 FROM sources WHERE key = ?", (key,)) is None:
            raise self.fail(where, f"unknown source '{key}' (define it under sources:)")

    async def track_id(self, where: str, key: str) -> int:
        found = await self.scalar("SELECT id FROM tracks WHERE key = ?", (key,))
        if found is None:
            raise self.fail(where, f"unknown track '{key}' (define it under tracks:)")
        return int(str(found))

    async def driver_id(self, name: str) -> int:
        """The driver with this name or alias (normalised), created on first mention; as the importers do."""
        if self._names is None:
            self._names = await NameResolver.load(self.db)
        return await self._names.driver_id(name)

    async def add_alias(
        self, table: str, column: str, entity_id: int, alias: str, where: str, name: NameSpec | None = None
    ) -> None:
        """A plain alias, or (with `name`) a sourced name or nickname, which also upgrades a plain alias."""
        norm = normalize_name(alias)
        owner = await self.scalar(f"SELECT {column} FROM {table} WHERE alias_norm = ?", (norm,))
        if owner is not None and int(str(owner)) != entity_id:
            raise self.fail(where, f"alias '{alias}' already belongs to another entry")
        if name is None:
            await self.db.execute(
                f"INSERT INTO {table} (alias_norm, alias, {column}) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (norm, alias, entity_id),
            )
        else:
            await self.check_source(f"{where}.source", name.source)
            values: dict[str, object] = {"alias": name.name, "kind": name.kind, "source": name.source}
            if table == "track_aliases":  # drivers' names carry no seasons
                values.update(first_season=name.first, last_season=name.last)
            columns = ", ".join(values)
            updates = ", ".join(f"{c} = excluded.{c}" for c in values)
            changed = " OR ".join(self.db.dialect.differs(f"{table}.{c}", f"excluded.{c}") for c in values)
            marks = ", ".join("?" * len(values))
            await self.db.execute(
                f"""INSERT INTO {table} (alias_norm, {column}, {columns}) VALUES (?, ?, {marks})
                    ON CONFLICT(alias_norm) DO UPDATE SET {updates} WHERE {changed}""",
                (norm, entity_id, *values.values()),
            )
        if column == "driver_id" and self._names is not None:
            self._names.remember_driver(norm, entity_id)  # later rows of this file may use the alias

    async def load_race(self, where: str, race: RaceSpec) -> None:
        await self.check_source(f"{where}.source", race.source)
        for figure, keys in race.field_sources.items():
            for key in keys:
                await self.check_source(f"{where}.field_sources.{figure}", key)
        if race.pole is not None:
            await self.check_source(f"{where}.pole.source", race.pole.source)
        track_id = await self.track_id(f"{where}.track", race.track)
        start_utc = race.start_utc
        # A race no source dates keeps a placeholder day that is never shown (date_known = 0).
        race_date = race.start_et.date() if race.start_et else race.date or dt.date(race.season, 1, 1)
        winner = race.winner or (race.results[0].driver if race.results else None)
        values = {
            "series": race.series,
            "season": race.season,
            "race_number": race.race_number,
            "name": race.name,
            "track_id": track_id,
            "track_called": race.track_called,
            "start_utc": to_utc_text(start_utc) if start_utc else None,
            "race_date": race_date.isoformat(),
            "date_known": int(race.date_known),
            "tv": race.tv,
            "radio": race.radio,
            "points_race": int(race.points_race),
            "scheduled_laps": race.scheduled_laps,
            "scheduled_miles": race.scheduled_miles,
            "actual_laps": race.actual_laps,
            "actual_miles": race.actual_miles,
            "stage_ends": json.dumps(race.stage_ends),
            "status": race.status,
            "winner_id": await self.driver_id(winner) if winner else None,
            "cautions": race.cautions,
            "caution_laps": race.caution_laps,
            "lead_changes": race.lead_changes,
            "leaders": race.leaders,
            "margin_text": race.margin_text,
            "margin_s": race.margin_s,
            "average_speed_mph": race.average_speed_mph,
            "pole_driver_id": await self.driver_id(race.pole.driver) if race.pole else None,
            "pole_time_s": race.pole.time_s if race.pole else None,
            "pole_speed_mph": race.pole.speed_mph if race.pole else None,
            "notes": json.dumps(race.notes),
            "source": race.source,
            "field_sources": json.dumps(
                {
                    **race.field_sources,
                    **({"pole": [race.pole.source]} if race.pole and "pole" not in race.field_sources else {}),
                }
            ),
            "updated_at": self.now,
        }
        race_key: int | str
        if race.race_number is not None:
            key_sql, race_key = "race_number = ?", race.race_number
        else:
            key_sql, race_key = "race_number IS NULL AND name = ?", race.name
        found = await self.scalar(
            f"SELECT id FROM races WHERE series = ? AND season = ? AND {key_sql}",
            (race.series, race.season, race_key),
        )
        columns = list(values)
        if found is None:
            race_id = await insert_id(
                self.db,
                f"INSERT INTO races ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [values[c] for c in columns],
            )
            self.touched.add((race.series, race.season))
        else:
            race_id = int(str(found))
            compared = [c for c in columns if c != "updated_at"]
            unchanged = await self.scalar(
                f"SELECT 1 FROM races WHERE id = ? AND {' AND '.join(self.db.dialect.same(c, '?') for c in compared)}",
                (race_id, *[values[c] for c in compared]),
            )
            if unchanged is None:
                await self.db.execute(
                    f"UPDATE races SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                    [*[values[c] for c in columns], race_id],
                )
                self.touched.add((race.series, race.season))
        if race.results and await self.replace_results(race_id, race):
            self.touched.add((race.series, race.season))

    async def replace_results(self, race_id: int, race: RaceSpec) -> bool:
        """Store the race's field unless it is stored already; whether anything changed."""
        rows = []
        stage_rows = []
        for result in race.results:
            driver_id = await self.driver_id(result.driver)
            rows.append(
                (
                    race_id,
                    result.pos,
                    result.start,
                    result.car,
                    driver_id,
                    result.team,
                    result.make,
                    result.laps,
                    result.led,
                    result.status,
                    result.points,
                    result.rating,
                )
            )
            for stage_number, position in enumerate(result.stages, start=1):
                if position is not None:
                    stage_rows.append((race_id, stage_number, position, result.car, driver_id))
        found = await self.db.fetch(
            """SELECT finish, start, car_number, driver_id, team, make, laps, laps_led, status, points, rating
               FROM results WHERE race_id = ? ORDER BY finish""",
            (race_id,),
        )
        existing = [tuple(row) for row in found]
        if existing == [row[1:] for row in rows]:
            return False
        await self.db.execute("DELETE FROM results WHERE race_id = ?", (race_id,))
        await self.db.execute("DELETE FROM stage_results WHERE race_id = ?", (race_id,))
        await self.db.execute_many("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        await self.db.execute_many(
            """INSERT INTO stage_results (race_id, stage, position, car_number, driver_id)
               VALUES (?, ?, ?, ?, ?)""",
            stage_rows,
        )
        if existing:
            # An official result that changed after it was stored is a correction: say so.
            await self.db.execute("UPDATE races SET corrected = 1, updated_at = ? WHERE id = ?", (self.now, race_id))
        return True
