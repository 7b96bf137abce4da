"""Load dataset files into the store: one transaction per file, all or nothing, idempotent."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
from importlib import resources
from pathlib import Path

from db.importers.dataset import Dataset, DatasetError, parse_dataset
from db.importers.dataset_writer import DatasetWriter
from db.importers.summaries import refresh_seasons
from db.repos.rows import to_utc_text
from db.storage.database import Database

log = logging.getLogger(__name__)

# Load order matters only for references: sources and tracks before what cites them.
BUNDLED_FILES = (
    "sources.yaml",
    "tracks.yaml",
    "closest-finishes.yaml",
    "cup-2024.yaml",
    "cup-2025.yaml",
    "cup-2026.yaml",
    "quotes.yaml",
)


def bundled_paths() -> list[Path]:
    folder = resources.files("db") / "data"
    return [Path(str(folder / name)) for name in BUNDLED_FILES]


async def write_dataset(writer: DatasetWriter, data: Dataset) -> None:
    """Write every section of one file; sources and tracks first since the rest cites them."""
    for source in data.sources:
        await writer.db.execute(
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
        await writer.db.execute(
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
        track_id = await writer.track_id(f"tracks[{i}]", track.key)
        for alias in (track.name, *track.aliases):
            await writer.add_alias("track_aliases", "track_id", track_id, alias, f"tracks[{i}].aliases")
        for j, name in enumerate(track.names):
            await writer.add_alias("track_aliases", "track_id", track_id, name.name, f"tracks[{i}].names[{j}]", name)
    for i, driver in enumerate(data.drivers):
        driver_id = await writer.driver_id(driver.name)
        await writer.db.execute("UPDATE drivers SET name = ? WHERE id = ?", (driver.name, driver_id))
        for alias in driver.aliases:
            await writer.add_alias("driver_aliases", "driver_id", driver_id, alias, f"drivers[{i}].aliases")
        for j, name in enumerate(driver.names):
            where = f"drivers[{i}].names[{j}]"
            await writer.add_alias("driver_aliases", "driver_id", driver_id, name.name, where, name)
    for i, race in enumerate(data.races):
        await writer.load_race(f"races[{i}]", race)
    for i, quote in enumerate(data.quotes):
        where = f"quotes[{i}]"
        await writer.check_source(f"{where}.source", quote.source)
        race_id = None
        if quote.race is not None:
            found = await writer.scalar(
                "SELECT id FROM races WHERE series = ? AND season = ? AND race_number = ?",
                (quote.race.series, quote.race.season, quote.race.race_number),
            )
            if found is None:
                raise writer.fail(f"{where}.race", "no such race in the store")
            race_id = int(str(found))
        speaker = await writer.driver_id(quote.speaker)
        await writer.db.execute(
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
            await writer.check_source(f"{where}.sources", key)
        track_id = await writer.track_id(f"{where}.track", finish.track)
        runner_up = await writer.driver_id(finish.runner_up) if finish.runner_up else None
        await writer.db.execute(
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
                await writer.driver_id(finish.winner),
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


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise DatasetError(path, f"cannot read file ({error.strerror})") from None


async def _loaded_digest(db: Database, name: str) -> str | None:
    row = await db.fetch_one("SELECT sha256 FROM data_loads WHERE name = ?", (name,))
    return str(row[0]) if row is not None else None


async def load_dataset_file(db: Database, path: Path, *, now: dt.datetime | None = None) -> bool:
    """Validate and load one file atomically; False when this exact file was loaded already."""
    digest = await asyncio.to_thread(_digest, path)
    # Every start checks every bundled file: an unchanged file costs one read, no parse and no write lock.
    if await _loaded_digest(db, path.name) == digest:
        return False
    data = await asyncio.to_thread(parse_dataset, path)
    async with db.data_transaction():
        if await _loaded_digest(db, path.name) == digest:
            return False  # another process loaded it meanwhile
        writer = DatasetWriter(db, path, now or dt.datetime.now(dt.UTC))
        await write_dataset(writer, data)
        await refresh_seasons(db, writer.touched)
        await db.execute(
            """INSERT INTO data_loads (name, sha256, loaded_at) VALUES (?, ?, ?)
               ON CONFLICT(name) DO UPDATE SET sha256 = excluded.sha256, loaded_at = excluded.loaded_at""",
            (path.name, digest, to_utc_text(now or dt.datetime.now(dt.UTC))),
        )
    log.info("Loaded dataset %s", path.name)
    return True


async def load_bundled(db: Database) -> int:
    """Load the bundled files that are new or changed; returns how many were loaded."""
    loaded = 0
    for path in bundled_paths():
        if await load_dataset_file(db, path):
            loaded += 1
    return loaded


__all__ = ["DatasetError", "bundled_paths", "load_bundled", "load_dataset_file"]
