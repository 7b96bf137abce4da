"""What is stored about a race that has no finishing order: laps, miles and their sources."""

from __future__ import annotations

from db.models import Model, RaceSummary, Source


class RaceFacts(Model):
    race: RaceSummary
    actual_laps: int | None
    actual_miles: float | None
    winner_sources: tuple[Source, ...]
    laps_sources: tuple[Source, ...]
