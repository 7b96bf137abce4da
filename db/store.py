"""The store: one repository per area, all over one `Database` (the storage port, db/storage/database.py).

Another backend stands in behind the port, not behind a copy of each repository's methods.
"""

from __future__ import annotations

from db.repos.alerts import AlertStore
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
from db.storage.database import Database


class Store:
    """Everything the cogs read and write, grouped by area."""

    def __init__(self, db: Database) -> None:
        self.db = db
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
        self.alerts = AlertStore(db)
        self.standings = StandingsStore(db)
        self.events = EventStore(db)
        self.spoilers = SpoilerStore(db)
        self.driver_seasons = DriverSeasonStore(db)

    def data_changed(self) -> None:
        """Drop in-memory indexes after an import so lookups see the new names."""
        self.tracks.invalidate()
        self.drivers.invalidate()
