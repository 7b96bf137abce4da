"""The store: one object per area, each behind a small Protocol so another backend can stand in."""

from __future__ import annotations

from typing import Protocol

import aiosqlite

from db.models import Driver, Match, RaceResult, RaceSummary, Series, Track
from db.races import SqliteRaces
from db.tracks import SqliteDrivers, SqliteTracks


class TrackStore(Protocol):
    def invalidate(self) -> None: ...
    async def search_tracks(self, *, query: str, limit: int = 25) -> list[Match]: ...
    async def find_track(self, *, query: str) -> Track | None: ...
    async def get_track(self, *, track_id: int) -> Track | None: ...


class DriverStore(Protocol):
    def invalidate(self) -> None: ...
    async def search_drivers(self, *, query: str, limit: int = 25) -> list[Match]: ...
    async def find_driver(self, *, query: str) -> Driver | None: ...
    async def get_driver(self, *, driver_id: int) -> Driver | None: ...


class RaceStore(Protocol):
    async def race_summary(self, *, race_id: int) -> RaceSummary | None: ...
    async def races_at_track(
        self, *, track_id: int, series: Series, season: int | None = None
    ) -> list[RaceSummary]: ...
    async def race_result(self, *, race_id: int) -> RaceResult | None: ...


class Store:
    """Everything the cogs read and write, grouped by area."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self.tracks: TrackStore = SqliteTracks(conn)
        self.drivers: DriverStore = SqliteDrivers(conn)
        self.races: RaceStore = SqliteRaces(conn)

    def data_changed(self) -> None:
        """Drop in-memory indexes after an import so lookups see the new names."""
        self.tracks.invalidate()
        self.drivers.invalidate()
