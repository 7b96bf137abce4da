"""Pydantic models the repositories return: what a builder needs, never a database row."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

Series = Literal["cup", "xfinity", "truck"]
SERIES_NAMES: dict[str, str] = {
    "cup": "NASCAR Cup Series",
    "xfinity": "NASCAR Xfinity Series",
    "truck": "NASCAR Craftsman Truck Series",
}


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Source(Model):
    key: str
    title: str
    url: str | None = None
    published: dt.date | None = None
    publisher: str | None = None


class Track(Model):
    id: int
    key: str
    name: str
    city: str | None = None
    state: str | None = None
    length_miles: float | None = None
    surface: str | None = None
    timezone: str = "America/New_York"
    aliases: tuple[str, ...] = ()


class Driver(Model):
    id: int
    name: str
    aliases: tuple[str, ...] = ()


class RaceSummary(Model):
    """A race as a schedule line: enough for /next, /schedule and race pickers."""

    id: int
    series: Series
    season: int
    race_number: int | None
    name: str
    track: Track
    start_utc: dt.datetime | None
    race_date: dt.date
    date_known: bool = True  # False: race_date is a placeholder (history rows carry no date)
    tv: str | None = None
    points_race: bool = True
    scheduled_laps: int | None = None
    scheduled_miles: float | None = None
    status: Literal["scheduled", "provisional", "official"] = "scheduled"
    winner: str | None = None
    has_results: bool = False
    source: Source
    updated_at: dt.datetime


class ResultRow(Model):
    finish: int
    start: int | None
    car_number: str
    driver: str
    team: str | None
    make: str | None
    laps: int | None
    laps_led: int
    status: str
    points: int | None
    rating: float | None


class StageResult(Model):
    stage: int
    position: int
    driver: str
    car_number: str | None


class Pole(Model):
    driver: str
    time_s: float | None
    speed_mph: float | None


class RaceResult(Model):
    """A race with everything /result shows, and where each figure came from."""

    race: RaceSummary
    actual_laps: int | None
    actual_miles: float | None
    stage_ends: tuple[int, ...]
    cautions: int | None
    caution_laps: int | None
    lead_changes: int | None
    leaders: int | None
    margin_text: str | None
    margin_s: float | None
    average_speed_mph: float | None
    radio: str | None
    pole: Pole | None
    notes: tuple[str, ...]
    corrected: bool
    results: tuple[ResultRow, ...]
    stages: tuple[StageResult, ...]
    field_sources: dict[str, tuple[Source, ...]]
    quote_count: int = 0

    @property
    def winner(self) -> ResultRow | None:
        return self.results[0] if self.results else None

    def sources_for(self, *figures: str) -> tuple[Source, ...]:
        """Sources of the named figures, in order, without repeats; the race's own source last."""
        seen: dict[str, Source] = {}
        for figure in figures:
            for source in self.field_sources.get(figure, ()):
                seen.setdefault(source.key, source)
        return tuple(seen.values())


class Quote(Model):
    id: int
    text: str
    speaker: str
    context: str | None
    said_to: str | None
    said_on: dt.date | None
    race_name: str | None
    race_season: int | None
    race_date: dt.date | None
    source: Source


class NotableFinish(Model):
    id: int
    rank: int | None
    tied: bool
    margin_s: float
    winner: str
    runner_up: str | None
    track: str
    series: Series
    season: int
    race_name: str
    date_text: str
    points_race: bool
    note: str | None
    sources: tuple[Source, ...]


class Match(Model):
    """A fuzzy-match candidate for autocomplete or "did you mean"."""

    id: int
    label: str
    score: float
