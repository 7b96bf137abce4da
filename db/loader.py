"""Load dataset files into the store: one transaction per file, all or nothing, idempotent."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
from importlib import resources
from pathlib import Path

import aiosqlite

from db.connection import transaction
from db.dataset import Dataset, DatasetError, RaceSpec, parse_dataset
from db.names import normalize_name
from db.rows import to_utc_text

log = logging.getLogger(__name__)

# Load order matters only for references: sources and tracks before what cites them.
BUNDLED_FILES = (
    "sources.yaml",
    "tracks.yaml",
    "closest-finishes.yaml",
    "cup-2024.yaml",
    "cup-2026.yaml",
    "quotes.yaml",
)


def bundled_paths() -> list[Path]:
    folder = resources.files("db") / "data"
    return [Path(str(folder / name)) for name in BUNDLED_FILES]


class _Loader:
    """Writes one validated dataset inside an open transaction; raises DatasetError on a bad reference."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, now: dt.datetime) -> None:
        self.conn = conn
        self.path = path
        self.now = to_utc_text(now)
        self.driver_ids: dict[str, int] = {}

    def fail(self, where: str, message: str) -> DatasetError:
        return DatasetError(self.path, f"{where}: {message}")

    async def scalar(self, sql: str, params: tuple[object, ...]) -> object | None:
        async with self.conn.execute(sql, params) as cursor:
            row = await cursor.fetchone()
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
        """The driver with this name (normalised), created on first mention."""
        norm = normalize_name(name)
        if norm in self.driver_ids:
            return self.driver_ids[norm]
        found = await self.scalar("SELECT id FROM drivers WHERE name_norm = ?", (norm,))
        if found is None:
            found = await self.scalar("SELECT driver_id FROM driver_aliases WHERE alias_norm = ?", (norm,))
        if found is None:
            cursor = await self.conn.execute("INSERT INTO drivers (name, name_norm) VALUES (?, ?)", (name, norm))
            found = cursor.lastrowid
        self.driver_ids[norm] = int(str(found))
        return self.driver_ids[norm]

    async def load(self, data: Dataset) -> None:
        for source in data.sources:
            await self.conn.execute(
                """INSERT INTO sources (key, title, url, published, publisher) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(key) DO UPDATE SET title = excluded.title, url = excluded.url,
                       published = excluded.published, publisher = excluded.publisher""",
                (
                    source.key,
                    source.title,
                    source.url,
                    source.published.isoformat() if source.published else None,
                    source.publisher,
                ),
            )
        for i, track in enumerate(data.tracks):
            await self.conn.execute(
                """INSERT INTO tracks (key, name, city, state, length_miles, surface, timezone)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(key) DO UPDATE SET name = excluded.name, city = excluded.city,
                       state = excluded.state, length_miles = excluded.length_miles,
                       surface = excluded.surface, timezone = excluded.timezone""",
                (
                    track.key,
                    track.name,
                    track.city,
                    track.state,
                    track.length_miles,
                    track.surface,
                    track.timezone,
                ),
            )
            track_id = await self.track_id(f"tracks[{i}]", track.key)
            for alias in (track.name, *track.aliases):
                await self.add_alias("track_aliases", "track_id", track_id, alias, f"tracks[{i}].aliases")
        for i, driver in enumerate(data.drivers):
            driver_id = await self.driver_id(driver.name)
            await self.conn.execute("UPDATE drivers SET name = ? WHERE id = ?", (driver.name, driver_id))
            for alias in driver.aliases:
                await self.add_alias("driver_aliases", "driver_id", driver_id, alias, f"drivers[{i}].aliases")
        for i, race in enumerate(data.races):
            await self.load_race(f"races[{i}]", race)
        for i, quote in enumerate(data.quotes):
            where = f"quotes[{i}]"
            await self.check_source(f"{where}.source", quote.source)
            race_id = None
            if quote.race is not None:
                found = await self.scalar(
                    "SELECT id FROM races WHERE series = ? AND season = ? AND race_number = ?",
                    (quote.race.series, quote.race.season, quote.race.race_number),
                )
                if found is None:
                    raise self.fail(f"{where}.race", "no such race in the store")
                race_id = int(str(found))
            speaker = await self.driver_id(quote.speaker)
            await self.conn.execute(
                """INSERT INTO quotes (text, speaker_id, race_id, context, said_to, said_on, source)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(speaker_id, text) DO UPDATE SET race_id = excluded.race_id,
                       context = excluded.context, said_to = excluded.said_to,
                       said_on = excluded.said_on, source = excluded.source""",
                (
                    quote.text,
                    speaker,
                    race_id,
                    quote.context,
                    quote.said_to,
                    quote.said_on.isoformat() if quote.said_on else None,
                    quote.source,
                ),
            )
        for i, finish in enumerate(data.notable_finishes):
            where = f"notable_finishes[{i}]"
            for key in finish.sources:
                await self.check_source(f"{where}.sources", key)
            track_id = await self.track_id(f"{where}.track", finish.track)
            runner_up = await self.driver_id(finish.runner_up) if finish.runner_up else None
            await self.conn.execute(
                """INSERT INTO notable_finishes (rank, tied, margin_s, winner_id, runner_up_id, track_id,
                       series, season, race_name, date_text, race_date, points_race, note, sources)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(series, season, race_name) DO UPDATE SET rank = excluded.rank,
                       tied = excluded.tied, margin_s = excluded.margin_s, winner_id = excluded.winner_id,
                       runner_up_id = excluded.runner_up_id, track_id = excluded.track_id,
                       date_text = excluded.date_text, race_date = excluded.race_date,
                       points_race = excluded.points_race, note = excluded.note, sources = excluded.sources""",
                (
                    finish.rank,
                    int(finish.tied),
                    finish.margin_s,
                    await self.driver_id(finish.winner),
                    runner_up,
                    track_id,
                    finish.series,
                    finish.season,
                    finish.race_name,
                    finish.date_text,
                    finish.date.isoformat() if finish.date else None,
                    int(finish.points_race),
                    finish.note,
                    json.dumps(finish.sources),
                ),
            )

    async def add_alias(self, table: str, column: str, entity_id: int, alias: str, where: str) -> None:
        norm = normalize_name(alias)
        owner = await self.scalar(f"SELECT {column} FROM {table} WHERE alias_norm = ?", (norm,))
        if owner is not None and int(str(owner)) != entity_id:
            raise self.fail(where, f"alias '{alias}' already belongs to another entry")
        await self.conn.execute(
            f"INSERT OR IGNORE INTO {table} (alias_norm, alias, {column}) VALUES (?, ?, ?)",
            (norm, alias, entity_id),
        )

    async def load_race(self, where: str, race: RaceSpec) -> None:
        await self.check_source(f"{where}.source", race.source)
        for figure, keys in race.field_sources.items():
            for key in keys:
                await self.check_source(f"{where}.field_sources.{figure}", key)
        if race.pole is not None:
            await self.check_source(f"{where}.pole.source", race.pole.source)
        track_id = await self.track_id(f"{where}.track", race.track)
        start_utc = race.start_utc
        race_date = race.start_et.date() if race.start_et else race.date
        assert race_date is not None
        winner = race.winner or (race.results[0].driver if race.results else None)
        values = {
            "series": race.series,
            "season": race.season,
            "race_number": race.race_number,
            "name": race.name,
            "track_id": track_id,
            "start_utc": to_utc_text(start_utc) if start_utc else None,
            "race_date": race_date.isoformat(),
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
            cursor = await self.conn.execute(
                f"INSERT INTO races ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [values[c] for c in columns],
            )
            race_id = int(str(cursor.lastrowid))
        else:
            race_id = int(str(found))
            compared = [c for c in columns if c != "updated_at"]
            unchanged = await self.scalar(
                f"SELECT 1 FROM races WHERE id = ? AND {' AND '.join(f'{c} IS ?' for c in compared)}",
                (race_id, *[values[c] for c in compared]),
            )
            if unchanged is None:
                await self.conn.execute(
                    f"UPDATE races SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                    [*[values[c] for c in columns], race_id],
                )
        if race.results:
            await self.replace_results(race_id, race)

    async def replace_results(self, race_id: int, race: RaceSpec) -> None:
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
        async with self.conn.execute(
            """SELECT finish, start, car_number, driver_id, team, make, laps, laps_led, status, points, rating
               FROM results WHERE race_id = ? ORDER BY finish""",
            (race_id,),
        ) as cursor:
            existing = [tuple(row) for row in await cursor.fetchall()]
        if existing == [row[1:] for row in rows]:
            return
        await self.conn.execute("DELETE FROM results WHERE race_id = ?", (race_id,))
        await self.conn.execute("DELETE FROM stage_results WHERE race_id = ?", (race_id,))
        await self.conn.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        await self.conn.executemany(
            """INSERT INTO stage_results (race_id, stage, position, car_number, driver_id)
               VALUES (?, ?, ?, ?, ?)""",
            stage_rows,
        )
        if existing:
            # An official result that changed after it was stored is a correction: say so.
            await self.conn.execute("UPDATE races SET corrected = 1, updated_at = ? WHERE id = ?", (self.now, race_id))


def _read_dataset(path: Path) -> tuple[Dataset, str]:
    data = parse_dataset(path)
    return data, hashlib.sha256(path.read_bytes()).hexdigest()


async def load_dataset_file(conn: aiosqlite.Connection, path: Path, *, now: dt.datetime | None = None) -> bool:
    """Validate and load one file atomically; False when this exact file was loaded already."""
    data, digest = await asyncio.to_thread(_read_dataset, path)
    async with transaction(conn):
        async with conn.execute("SELECT sha256 FROM data_loads WHERE name = ?", (path.name,)) as cursor:
            row = await cursor.fetchone()
        if row is not None and row[0] == digest:
            return False
        await _Loader(conn, path, now or dt.datetime.now(dt.UTC)).load(data)
        await conn.execute(
            """INSERT INTO data_loads (name, sha256, loaded_at) VALUES (?, ?, ?)
               ON CONFLICT(name) DO UPDATE SET sha256 = excluded.sha256, loaded_at = excluded.loaded_at""",
            (path.name, digest, to_utc_text(now or dt.datetime.now(dt.UTC))),
        )
    log.info("Loaded dataset %s", path.name)
    return True


async def load_bundled(conn: aiosqlite.Connection) -> int:
    """Load the bundled files that are new or changed; returns how many were loaded."""
    loaded = 0
    for path in bundled_paths():
        if await load_dataset_file(conn, path):
            loaded += 1
    return loaded


__all__ = ["DatasetError", "bundled_paths", "load_bundled", "load_dataset_file"]
