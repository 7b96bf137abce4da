"""Read models for official points standings (what /standings and its chart need)."""

from __future__ import annotations

import datetime as dt

from db.models import Model, RaceSummary, Series, Source


class StandingRow(Model):
    """One driver's line as NASCAR's points feed gave it; None = the feed did not say."""

    position: int
    driver: str  # our spelling when we know the driver by NASCAR id, else the feed's
    driver_id: int | None  # ours, when known
    feed_driver_id: int
    car_number: str | None
    points: int
    starts: int | None = None
    wins: int | None = None
    top_5: int | None = None
    top_10: int | None = None
    poles: int | None = None
    laps_led: int | None = None
    stage_points: int | None = None
    playoff_points: int | None = None
    playoff_rank: int | None = None
    cutoff_delta: int | None = None
    in_chase: bool | None = None
    points_eligible: bool | None = None
    rookie: bool | None = None


class StoredStandings(Model):
    """One stored snapshot as a choice: the race it stands after and whether it is official."""

    after_race: int
    official: bool
    race_name: str | None  # None when the race itself is not in the store


class StandingsSnapshot(Model):
    series: Series
    season: int
    after_race: int
    official: bool  # False: live points captured during race `after_race`, not yet official
    race: RaceSummary | None  # the race after which they stood, when the store has it
    source: Source
    url: str
    fetched_at: dt.datetime
    season_points_races: int  # points races of the season in the store (for the Chase phase)
    rows: tuple[StandingRow, ...]

    @property
    def leader(self) -> StandingRow | None:
        return self.rows[0] if self.rows else None


class ProgressionLine(Model):
    feed_driver_id: int
    driver: str
    points: tuple[tuple[int, int], ...]  # (after race, points), in race order


class Progression(Model):
    """Points after each stored race for the leaders of the latest snapshot, for the season chart."""

    series: Series
    season: int
    after_races: tuple[int, ...]
    lines: tuple[ProgressionLine, ...]
    source: Source | None


class StandingsLookup(Model):
    """The answer to "standings for series/season/after": the snapshot, or what is stored instead."""

    series: Series
    season: int | None  # the season looked in (None: no season has standings)
    after_race: int | None  # as asked
    snapshot: StandingsSnapshot | None
    stored: tuple[StoredStandings, ...] = ()  # the season's snapshots, when the one asked for is missing
    seasons: tuple[int, ...] = ()  # seasons with standings, newest first, when the season has none
