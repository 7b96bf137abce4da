"""Tracks, drivers and sources for importers: looked up by normalised name, created when missing.

Everything is loaded into dicts once per import so a 100k-row import does not query per row.
"""

from __future__ import annotations

import logging
import re

from db.names import normalize_name
from db.storage.database import Database, insert_id

log = logging.getLogger(__name__)

FEED_SOURCE = ("nascar-feed", "NASCAR public JSON feed (cf.nascar.com)", "https://cf.nascar.com", "NASCAR")
_HISTORY_TABLES = {"cup": ("nascaR.data", "Cup"), "xfinity": ("nascaR.data/xfinity", "Xfinity"),
                   "truck": ("nascaR.data/truck", "Truck")}  # fmt: skip


def history_source(series: str) -> tuple[str, str, str | None, str | None]:
    """Each nascaR.data table is its own source (the bundled sources.yaml describes them the same way).

    Names the importers meet for a track we know under another name are aliases in db/data/tracks.yaml.
    """
    key, label = _HISTORY_TABLES[series]
    title = f"nascaR.data {label} Series results (kyleGrealis/nascaR.data, {series}_series table)"
    return key, title, "https://github.com/kyleGrealis/nascaR.data", None


_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    return _SLUG.sub("-", normalize_name(name)).strip("-") or "track"


async def ensure_source(db: Database, source: tuple[str, str, str | None, str | None]) -> None:
    """Add the importer's source row unless it exists (the bundled sources.yaml may describe it better)."""
    await db.execute(
        "INSERT INTO sources (key, title, url, publisher) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        source,
    )


class NameResolver:
    """Track and driver ids by name for one import, inside the caller's transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._tracks: dict[str, int] = {}
        self._track_keys: dict[str, int] = {}
        self._track_names: dict[int, str] = {}
        self._drivers: dict[str, int] = {}
        self._driver_feed_ids: dict[int, int] = {}
        self._drivers_with_feed_id: set[int] = set()
        self.created_tracks = 0
        self.created_drivers = 0

    @classmethod
    async def load(cls, db: Database) -> NameResolver:
        resolver = cls(db)
        await resolver._load()
        return resolver

    async def _load(self) -> None:
        for track_id, key, name in await self._db.fetch("SELECT id, key, name FROM tracks"):
            self._track_keys[key] = track_id
            self._track_names[track_id] = name
            self._tracks.setdefault(normalize_name(name), track_id)
        for alias_norm, track_id in await self._db.fetch("SELECT alias_norm, track_id FROM track_aliases"):
            self._tracks.setdefault(alias_norm, track_id)
        for driver_id, name_norm, feed_id in await self._db.fetch("SELECT id, name_norm, feed_id FROM drivers"):
            self._drivers[name_norm] = driver_id
            if feed_id is not None:
                self._driver_feed_ids[feed_id] = driver_id
                self._drivers_with_feed_id.add(driver_id)
        for alias_norm, driver_id in await self._db.fetch("SELECT alias_norm, driver_id FROM driver_aliases"):
            self._drivers.setdefault(alias_norm, driver_id)

    async def track_id(self, name: str, *, length_miles: float | None = None, surface: str | None = None) -> int:
        """The track with this name or alias; a new track (key = slug of the name) when unknown."""
        norm = normalize_name(name)
        found = self._tracks.get(norm)
        if found is None:
            key = slugify(name)
            found = self._track_keys.get(key)
        if found is None:
            found = await insert_id(
                self._db,
                "INSERT INTO tracks (key, name, length_miles, surface) VALUES (?, ?, ?, ?)",
                (key, name, length_miles, surface if surface in ("paved", "dirt", "road", "street") else None),
            )
            self._track_keys[key] = found
            self._track_names[found] = name
            self.created_tracks += 1
            log.info("New track %s (%s)", name, key)
        self._tracks[norm] = found
        return found

    def track_name(self, track_id: int) -> str:
        """The track's name today (what a race's own name for it is compared with)."""
        return self._track_names.get(track_id, "")

    def remember_driver(self, name_or_alias_norm: str, driver_id: int) -> None:
        """A name or alias added during this import (e.g. a dataset file's drivers section)."""
        self._drivers.setdefault(name_or_alias_norm, driver_id)

    async def driver_id(self, name: str, *, feed_id: int | None = None) -> int:
        """The driver by NASCAR id, then by normalised name or alias; created on first mention."""
        if feed_id is not None and feed_id in self._driver_feed_ids:
            return self._driver_feed_ids[feed_id]
        norm = normalize_name(name)
        found = self._drivers.get(norm)
        if found is None:
            found = await insert_id(
                self._db,
                "INSERT INTO drivers (name, name_norm, feed_id) VALUES (?, ?, ?)",
                (name.strip(), norm, feed_id),
            )
            self._drivers[norm] = found
            self.created_drivers += 1
            if feed_id is not None:
                self._driver_feed_ids[feed_id] = found
                self._drivers_with_feed_id.add(found)
        elif feed_id is not None and found not in self._drivers_with_feed_id:
            await self._db.execute("UPDATE drivers SET feed_id = ? WHERE id = ?", (feed_id, found))
            self._driver_feed_ids[feed_id] = found
            self._drivers_with_feed_id.add(found)
        return found
