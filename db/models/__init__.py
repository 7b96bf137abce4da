"""Pydantic models the repositories return: what a builder needs, never a database row."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

Series = Literal["cup", "xfinity", "truck"]
FEED_SOURCE_KEY = "nascar-feed"

# Official means official. A result is official when
#   - NASCAR's feed marks the race's inspection complete ("feed"), or
#   - the next race of the same series has been run ("next_race"): NASCAR settles penalties and
#     protests before then, and its feed sometimes never flips the flag for an old race, or
#   - the source we hold it from publishes final results only (nascaR.data, the cited articles): "source".
# Until one of these holds, a feed result is provisional and says it can still change ("pending").
OFFICIAL_POLICY = (
    "official once NASCAR's feed marks inspection complete, or once the next race of the series has been run; "
    "results from published tables and articles are official as published"
)
OfficialBasis = Literal["feed", "next_race", "source", "pending", "scheduled"]
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


AliasKind = Literal["alias", "name", "nickname"]


class Alias(Model):
    """Another name of a track or driver: a plain alias, a name it carried in given seasons, or a nickname."""

    name: str
    kind: AliasKind = "alias"
    first_season: int | None = None
    last_season: int | None = None
    source: Source | None = None

    def applies_in(self, season: int) -> bool:
        """A name with known seasons covers them; one without seasons says nothing about any season."""
        if self.first_season is None and self.last_season is None:
            return False
        return (self.first_season or season) <= season <= (self.last_season or season)


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
    names: tuple[Alias, ...] = ()  # sourced names with their seasons, and nicknames

    def name_in(self, season: int) -> Alias | None:
        """The name the track carried in that season when it differs from today's and a source says so."""
        for alias in self.names:
            if alias.kind == "name" and alias.applies_in(season) and alias.name != self.name:
                return alias
        return None


class Driver(Model):
    id: int
    name: str
    aliases: tuple[str, ...] = ()
    names: tuple[Alias, ...] = ()  # nicknames with their sources


LABEL_LENGTH = 100


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
    track_called: str | None = None  # the track's name as this race's source gives it, when not today's
    status_source: str | None = None  # source key that set the status (e.g. nascar-feed)
    next_race_run: bool = False  # a later race of the same series has results stored

    @property
    def official_basis(self) -> OfficialBasis:
        """Which rule makes this result official, or why it is not yet. See OFFICIAL_POLICY."""
        if self.status == "official":
            return "feed" if self.status_source == FEED_SOURCE_KEY else "source"
        if self.status == "provisional":
            return "next_race" if self.next_race_run else "pending"
        return "scheduled"

    @property
    def is_official(self) -> bool:
        return self.official_basis in ("feed", "source", "next_race")

    @property
    def label(self) -> str:
        """How pickers name the race: "2024 · AdventHealth 400 · May 5", marked when only the winner is stored.

        History races have no recorded day (date_known false): their label carries the season only.
        Within the 100 characters Discord allows a choice.
        """
        when = f" · {self.race_date:%b} {self.race_date.day}" if self.date_known else ""
        missing = "" if self.has_results else (" (winner only)" if self.winner else " (no result yet)")
        text = f"{self.season} · {self.name}{when}{missing}"
        return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"

    def named_by(self, typed: str) -> bool:
        """Whether a `race` option's text means this race: its id (from autocomplete) or its label."""
        text = typed.strip().casefold()
        return text == str(self.id) or text == self.label.casefold()


class ResultRow(Model):
    finish: int
    start: int | None
    car_number: str
    driver: str
    team: str | None
    make: str | None
    laps: int | None
    laps_led: int | None  # None: the source did not record laps led for this car
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
    # "qualifying": the race's pole as the feed or a cited source gives it; "start": no such pole is stored,
    # so the car that started first per the results (the history table's Start column) is shown, and said so.
    basis: Literal["qualifying", "start"] = "qualifying"


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
    closest: NotableFinish | None = None  # this race in the sourced closest-finishes list
    starts_recorded: bool = True  # False: the source gives no start positions for this race
    track_then: Alias | None = None  # the track's name that season, when a source gives another than today's

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
    track_then: str | None = None  # the track's name that season, when a source gives another than today's


RaceResult.model_rebuild()


class Match(Model):
    """A fuzzy-match candidate for autocomplete or "did you mean"."""

    id: int
    label: str
    score: float
