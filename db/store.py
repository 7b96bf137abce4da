"""The store: one object per area, each behind a small Protocol so another backend can stand in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from db.alerts import AlertKind, AlertSubscription, Delivery, DeliveryState, RaceWatch, SqliteAlerts
from db.careers import Career, SqliteCareers
from db.coverage import Coverage, SqliteCoverage
from db.driver_seasons import DriverSeasonStore, SqliteDriverSeasons
from db.events import EventStore, SqliteEvents
from db.finishes import SqliteFinishes
from db.models import Driver, Match, NotableFinish, Quote, RaceResult, RaceSummary, Series, Track
from db.quotes import SqliteQuotes
from db.race_facts import RaceFacts, SqliteRaceFacts
from db.races import SqliteRaces
from db.schedule import ScheduleView, SqliteSchedule
from db.spoilers import SpoilerStore, SqliteSpoilers
from db.sqlite import SqliteDatabase
from db.standings import SqliteStandings, StandingsStore
from db.tracks import SqliteDrivers, SqliteTracks
from db.trivia import AnswerRecord, LeaderboardRow, PlayerStats, SqliteTrivia, Streak, TriviaSettings
from db.trivia_facts import FieldEntry, RaceFact, SqliteTriviaFacts
from db.trivia_pools import RaceFigure, TriviaPools


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
    async def default_races(self, *, track_id: int, series: Series) -> list[RaceSummary]: ...
    async def race_result(self, *, race_id: int) -> RaceResult | None: ...


class QuoteStore(Protocol):
    async def find_quotes(
        self,
        *,
        speaker_id: int | None = None,
        race_id: int | None = None,
        search: str | None = None,
        limit: int = 10,
        shuffle: bool = False,
    ) -> list[Quote]: ...
    async def races_with_quotes(self) -> list[RaceSummary]: ...


class FinishStore(Protocol):
    async def closest_finishes(
        self, *, limit: int = 10, track_id: int | None = None, driver_id: int | None = None
    ) -> list[NotableFinish]: ...


class CareerStore(Protocol):
    async def driver_career(self, *, driver: Driver, latest: int = 5) -> Career: ...


class CoverageStore(Protocol):
    async def coverage(self) -> Coverage: ...


class RaceFactStore(Protocol):
    async def race_facts(self, *, race_id: int) -> RaceFacts | None: ...


class TriviaStore(Protocol):
    async def get_settings(self, *, guild_id: int) -> TriviaSettings: ...
    async def update_settings(
        self,
        *,
        guild_id: int,
        time_limit_s: int | None = None,
        questions_per_game: int | None = None,
        reveal_answer: bool | None = None,
        cooldown_s: int | None = None,
    ) -> TriviaSettings: ...
    async def record_answers(
        self, *, guild_id: int, question_key: str, answers: Sequence[AnswerRecord]
    ) -> list[Streak]: ...
    async def leaderboard(
        self, *, guild_id: int, since: dt.datetime | None = None, limit: int = 10
    ) -> list[LeaderboardRow]: ...
    async def player_stats(self, *, guild_id: int, user_id: int) -> PlayerStats: ...


class TriviaFactStore(Protocol):
    """`pools()` first: the other methods work within the pools it last returned (indexes count from them)."""

    async def pools(self) -> TriviaPools: ...
    async def closest_at(self, *, index: int) -> NotableFinish | None: ...
    async def race_at(self, *, figure: RaceFigure, index: int) -> RaceFact | None: ...
    async def race_field(self, *, race_id: int) -> list[FieldEntry]: ...
    async def quote_at(self, *, index: int) -> Quote | None: ...
    async def quote_race_id(self, *, quote_id: int) -> int | None: ...
    async def drivers_near(self, *, season: int, window: int, limit: int = 200) -> list[str]: ...
    async def track_names(self, *, series: Series) -> list[str]: ...
    async def margins_between(self, *, low: float, high: float, limit: int = 50) -> list[float]: ...
    async def career_wins(self, *, driver: str) -> int: ...


class ScheduleStore(Protocol):
    async def next_races(self, *, series: Series, now: dt.datetime, limit: int = 1) -> ScheduleView: ...
    async def season_schedule(self, *, series: Series, season: int, now: dt.datetime) -> ScheduleView: ...
    async def races_starting_between(self, *, start: dt.datetime, end: dt.datetime) -> list[RaceSummary]: ...
    async def set_race_start(self, *, race_id: int, start_utc: dt.datetime, now: dt.datetime) -> bool: ...


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
        self.tracks: TrackStore = SqliteTracks(db)
        self.drivers: DriverStore = SqliteDrivers(db)
        self.races: RaceStore = SqliteRaces(db)
        self.quotes: QuoteStore = SqliteQuotes(db)
        self.finishes: FinishStore = SqliteFinishes(db)
        self.careers: CareerStore = SqliteCareers(db)
        self.coverage: CoverageStore = SqliteCoverage(db)
        self.race_facts: RaceFactStore = SqliteRaceFacts(db)
        self.trivia: TriviaStore = SqliteTrivia(db)
        self.trivia_facts: TriviaFactStore = SqliteTriviaFacts(db)
        self.schedule: ScheduleStore = SqliteSchedule(db)
        self.alerts: AlertStore = SqliteAlerts(conn)
        self.standings: StandingsStore = SqliteStandings(db)
        self.events: EventStore = SqliteEvents(db)
        self.spoilers: SpoilerStore = SqliteSpoilers(db)
        self.driver_seasons: DriverSeasonStore = SqliteDriverSeasons(db)

    def data_changed(self) -> None:
        """Drop in-memory indexes after an import so lookups see the new names."""
        self.tracks.invalidate()
        self.drivers.invalidate()
