"""The store: one repository per area, all over one `Database` (the storage port, db/storage/database.py).

Another backend stands in behind the port, not behind a copy of each repository's methods. The alert
ledger keeps its Protocol for now: the alert engine's fault tests drive it through that seam.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from db.alerts import AlertKind, AlertSubscription, Delivery, DeliveryState, RaceWatch, SqliteAlerts
from db.models import Series
from db.repos.careers import CareerStore
from db.repos.coverage import CoverageStore
from db.repos.driver_seasons import DriverSeasonStore
from db.repos.events import EventStore
from db.repos.finishes import FinishStore
from db.repos.quotes import QuoteStore
from db.repos.race_facts import RaceFactStore
from db.repos.races import RaceStore
from db.repos.results import ResultStore
from db.repos.schedule import ScheduleStore
from db.repos.spoilers import SpoilerStore
from db.repos.standings import StandingsStore
from db.repos.tracks import DriverStore, TrackStore
from db.repos.trivia import TriviaStore
from db.repos.trivia_facts import TriviaFactStore
from db.storage.sqlite import SqliteDatabase


class AlertStore(Protocol):
    async def save_subscription(
        self,
        *,
        guild_id: int,
        series: Series,
        channel_id: int,
        role_id: int | None,
        leads_min: Iterable[int],
        kinds: Iterable[AlertKind],
        now: dt.datetime,
    ) -> AlertSubscription: ...
    async def subscriptions(self, *, guild_id: int | None = None) -> list[AlertSubscription]: ...
    async def set_paused(self, *, guild_id: int, until: dt.datetime | None, now: dt.datetime) -> int: ...
    async def delete_subscriptions(self, *, guild_id: int) -> int: ...
    async def disable_channel(self, *, guild_id: int, channel_id: int, reason: str, now: dt.datetime) -> int: ...
    async def claim_delivery(
        self,
        *,
        key: str,
        kind: AlertKind,
        race_id: int,
        guild_id: int,
        channel_id: int,
        fire_at: dt.datetime,
        lead_min: int | None,
        now: dt.datetime,
        state: DeliveryState = "claimed",
        detail: str | None = None,
        owner: str | None = None,
    ) -> bool: ...
    async def adopt_claim(self, *, key: str, previous: str | None, owner: str) -> bool: ...
    async def mark_sent(
        self, *, key: str, message_id: int, late: bool, now: dt.datetime, detail: str | None = None
    ) -> None: ...
    async def mark_failed(self, *, key: str, detail: str, now: dt.datetime) -> None: ...
    async def mark_missed(self, *, key: str, detail: str, now: dt.datetime) -> None: ...
    async def note_attempt(self, *, key: str, detail: str) -> None: ...
    async def delivery(self, *, key: str) -> Delivery | None: ...
    async def ledger_keys(self, *, since: dt.datetime) -> set[str]: ...
    async def claims_before(self, *, before: dt.datetime) -> list[Delivery]: ...
    async def recent_deliveries(self, *, guild_id: int, limit: int = 10) -> list[Delivery]: ...
    async def race_watch(self, *, race_ids: Iterable[int]) -> dict[int, RaceWatch]: ...
    async def save_race_watch(self, *, seen: Iterable[RaceWatch], now: dt.datetime) -> None: ...


class Store:
    """Everything the cogs read and write, grouped by area."""

    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db
        conn = db.conn  # the alert ledger is not written against the port yet
        self.tracks = TrackStore(db)
        self.drivers = DriverStore(db)
        self.races = RaceStore(db)
        self.quotes = QuoteStore(db)
        self.finishes = FinishStore(db)
        self.careers = CareerStore(db)
        self.coverage = CoverageStore(db)
        self.race_facts = RaceFactStore(db)
        self.results = ResultStore(self.races, self.race_facts)
        self.trivia = TriviaStore(db)
        self.trivia_facts = TriviaFactStore(db)
        self.schedule = ScheduleStore(db)
        self.alerts: AlertStore = SqliteAlerts(conn)
        self.standings = StandingsStore(db)
        self.events = EventStore(db)
        self.spoilers = SpoilerStore(db)
        self.driver_seasons = DriverSeasonStore(db)

    def data_changed(self) -> None:
        """Drop in-memory indexes after an import so lookups see the new names."""
        self.tracks.invalidate()
        self.drivers.invalidate()
