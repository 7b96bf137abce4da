"""What a chart shows, as small frozen values: built from read models here, drawn in a worker process.

Specs hold only plain data (str, int, float, tuples) so they pickle cheaply to the renderer's process
and make a stable cache key together with the data version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from db.models import SERIES_NAMES, NotableFinish
from db.models.careers import DriverSeason
from db.models.standings import Progression


@dataclass(frozen=True)
class Line:
    label: str
    points: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ProgressionChart:
    title: str
    lines: tuple[Line, ...]
    marker_x: float | None  # a vertical line (end of the regular season), when inside the range
    marker_label: str | None
    source: str


@dataclass(frozen=True)
class SeasonBar:
    season: int
    starts: int
    wins: int
    top_10: int


@dataclass(frozen=True)
class DriverSeasonsChart:
    title: str
    seasons: tuple[SeasonBar, ...]
    source: str


@dataclass(frozen=True)
class Margin:
    race: str  # "2024 Kansas Speedway"
    winner: str
    runner_up: str | None
    seconds: float

    @property
    def result(self) -> str:
        return f"{self.winner} over {self.runner_up}" if self.runner_up else self.winner

    @property
    def label(self) -> str:
        return f"{self.race}: {self.result}"


@dataclass(frozen=True)
class MarginsChart:
    title: str
    margins: tuple[Margin, ...]
    source: str


ChartSpec = ProgressionChart | DriverSeasonsChart | MarginsChart


def progression_chart(progression: Progression, *, regular_season_races: int | None = None) -> ProgressionChart | None:
    """Points after each stored race for the season's leaders; None when fewer than two races are stored."""
    if len(progression.after_races) < 2:
        return None
    last = progression.after_races[-1]
    marker = regular_season_races if regular_season_races and regular_season_races < last else None
    source = progression.source.title if progression.source else "NASCAR points feed"
    return ProgressionChart(
        title=f"{progression.season} {SERIES_NAMES[progression.series]}: points after each race",
        lines=tuple(Line(label=line.driver, points=line.points) for line in progression.lines if line.points),
        marker_x=marker + 0.5 if marker else None,
        marker_label="end of the regular season" if marker else None,
        source=f"Official points: {source}",
    )


def driver_seasons_chart(
    driver: str, seasons: Sequence[DriverSeason], *, sources: Sequence[str] = ()
) -> DriverSeasonsChart | None:
    """Wins and top 10s per season; None for fewer than two seasons (one season is all on the card already)."""
    if len(seasons) < 2:
        return None
    cited = f": {', '.join(sources)}" if sources else ""
    return DriverSeasonsChart(
        title=f"{driver}: wins and top 10s per season",
        seasons=tuple(SeasonBar(s.season, s.starts, s.wins, s.top_10) for s in seasons),
        source=f"Races with full results stored{cited}",
    )


def margins_chart(finishes: Sequence[NotableFinish]) -> MarginsChart | None:
    """Margins of victory of the given finishes, in their order; None for fewer than two (nothing to compare)."""
    if len(finishes) < 2:
        return None
    margins = [Margin(f"{f.season} {f.track}", f.winner, f.runner_up, f.margin_s) for f in finishes]
    keys = sorted({s.key for f in finishes for s in f.sources})
    return MarginsChart(
        title="Closest finishes: margin of victory",
        margins=tuple(margins),
        source=f"Sources: {', '.join(keys)}" if keys else "Sources: bundled list of closest finishes",
    )
