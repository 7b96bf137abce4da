"""What the database holds, per series and season, for /about."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from db.models import Model, Series, Source


class SeasonCoverage(Model):
    season: int
    races: int
    with_results: int  # races whose full field is stored
    result_sources: tuple[str, ...] = ()  # where those fields come from
    schedule_sources: tuple[str, ...] = ()  # where the races without a field come from


class SeriesCoverage(Model):
    series: Series
    seasons: tuple[SeasonCoverage, ...]
    last_import: dt.datetime | None  # the series' last history import

    # Derived once per model (the store keeps one Coverage per data version): /about then costs the same
    # however many seasons are stored.
    @cached_property
    def result_seasons(self) -> tuple[int, ...]:
        return tuple(s.season for s in self.seasons if s.with_results)

    @cached_property
    def schedule_only_seasons(self) -> tuple[int, ...]:
        return tuple(s.season for s in self.seasons if not s.with_results)

    @cached_property
    def partial_seasons(self) -> tuple[int, ...]:
        """Seasons with a race whose field is not stored (schedule or winner only)."""
        return tuple(s.season for s in self.seasons if s.races > s.with_results)

    @cached_property
    def result_runs(self) -> tuple[tuple[int, int], ...]:
        return season_runs(self.result_seasons)

    @cached_property
    def partial_runs(self) -> tuple[tuple[int, int], ...]:
        return season_runs(self.partial_seasons)

    @cached_property
    def races_with_results(self) -> int:
        return sum(s.with_results for s in self.seasons)

    @cached_property
    def partial_races(self) -> int:
        return sum(s.races - s.with_results for s in self.seasons)

    @cached_property
    def result_source_keys(self) -> tuple[str, ...]:
        return tuple(sorted({k for s in self.seasons if s.with_results for k in s.result_sources}))

    @cached_property
    def schedule_source_keys(self) -> tuple[str, ...]:
        return tuple(sorted({k for s in self.seasons if s.races > s.with_results for k in s.schedule_sources}))


class Coverage(Model):
    races: int
    races_with_results: int
    results: int
    quotes: int
    notable_finishes: int
    drivers: int
    tracks: int
    seasons: tuple[int, ...]
    seasons_with_results: tuple[int, ...]
    last_load: dt.datetime | None
    last_race_update: dt.datetime | None
    sources: tuple[Source, ...]
    series: tuple[SeriesCoverage, ...] = ()
    last_feed_sync: dt.datetime | None = None  # the newest answer the feed gave us (sync or CLI)


def season_runs(seasons: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """Runs of consecutive seasons as (first, last), so a gap shows: 1949–2023, 2025."""
    runs: list[list[int]] = []
    for season in sorted(seasons):
        if runs and season == runs[-1][1] + 1:
            runs[-1][1] = season
        else:
            runs.append([season, season])
    return tuple((first, last) for first, last in runs)
