"""A race's stored facts without its finishing order (laps, miles, sources), and /result's whole answer."""

from __future__ import annotations

from db.models import Model, RaceResult, RaceSummary, Series, Source, Track


class RaceFacts(Model):
    race: RaceSummary
    actual_laps: int | None
    actual_miles: float | None
    winner_sources: tuple[Source, ...]
    laps_sources: tuple[Source, ...]


class TrackResult(Model):
    """/result's question in one answer: the races at the track it looked at, the race chosen, and its
    result (or, for a race stored without its field, its facts).

    `chosen` is None when there are no races, when the asked `race` is none of them, or when none of
    them has a result yet (the caller tells these apart from `races` and `race_asked`).
    """

    track: Track
    series: Series
    season: int | None
    races: tuple[RaceSummary, ...]
    race_asked: str | None = None
    chosen: RaceSummary | None = None
    result: RaceResult | None = None
    facts: RaceFacts | None = None

    @property
    def others(self) -> tuple[RaceSummary, ...]:
        """The chosen race's season's other races at the track."""
        chosen = self.chosen
        if chosen is None:
            return ()
        return tuple(r for r in self.races if r.season == chosen.season and r.id != chosen.id)
