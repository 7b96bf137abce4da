"""/result's lookup: which race at a track a fan means, and its result or its facts, in one call."""

from __future__ import annotations

from db.models import RaceSummary, Series, Track
from db.models.race_facts import TrackResult
from db.repos.race_facts import RaceFactStore
from db.repos.races import RaceStore


def match_race(races: list[RaceSummary], typed: str) -> RaceSummary | None:
    """The race a `race` option names: its id (from autocomplete), its label, or a unique part of its label."""
    for race in races:
        if race.named_by(typed):
            return race
    text = typed.strip().casefold()
    partial = [r for r in races if text and text in r.label.casefold()]
    return partial[0] if len(partial) == 1 else None


def default_choice(races: list[RaceSummary]) -> RaceSummary | None:
    """Without a `race`: the newest with its field stored, else the newest with a recorded winner."""
    for candidates in ([r for r in races if r.has_results], [r for r in races if r.winner]):
        if candidates:
            return candidates[0]
    return None


class ResultStore:
    def __init__(self, races: RaceStore, facts: RaceFactStore) -> None:
        self._races = races
        self._facts = facts

    async def at_track(self, *, track: Track, series: Series, season: int | None, race: str | None) -> TrackResult:
        if season is None and not race:
            # Only the season it will show (its newest with a result): the rest of the track's history is not read.
            races = await self._races.default_races(track_id=track.id, series=series)
        else:
            races = await self._races.races_at_track(track_id=track.id, series=series, season=season)
        chosen = (match_race(races, race) if race else default_choice(races)) if races else None
        result = await self._races.race_result(race_id=chosen.id) if chosen else None
        facts = await self._facts.race_facts(race_id=chosen.id) if chosen and result is None else None
        return TrackResult(
            track=track,
            series=series,
            season=season,
            races=tuple(races),
            race_asked=race or None,
            chosen=chosen,
            result=result,
            facts=facts,
        )
