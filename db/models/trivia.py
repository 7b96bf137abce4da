"""Trivia models: guild settings and scores, and the facts and pools questions are drawn from."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from db.models import Model, Series, Source


class TriviaSettings(Model):
    guild_id: int
    time_limit_s: int = 20
    questions_per_game: int = 5
    reveal_answer: bool = True
    cooldown_s: int = 30


class AnswerRecord(Model):
    """One user's answer to one question, as scored when the question closed."""

    user_id: int
    answered_at: dt.datetime
    correct: bool
    points: int = Field(ge=0)


class Streak(Model):
    user_id: int
    current: int
    best: int


class LeaderboardRow(Model):
    rank: int
    user_id: int
    points: int
    correct: int
    answered: int


class PlayerStats(Model):
    user_id: int
    points: int
    correct: int
    answered: int
    current_streak: int
    best_streak: int
    rank: int | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


class RaceFact(Model):
    """One race and the sources of the one figure a question is about."""

    race_id: int
    series: Series
    season: int
    name: str
    track: str
    race_date: dt.date
    winner: str | None
    margin_s: float | None
    pole: str | None
    field_size: int
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class FieldEntry:
    """One finisher. A plain frozen record, not a validated model: forty are read for every race asked about."""

    finish: int
    driver: str


RaceFigure = Literal["winner", "margin", "pole", "results"]


FIGURE_COLUMN: dict[RaceFigure, str] = {
    "winner": "winner_facts",
    "margin": "margin_facts",
    "pole": "pole_facts",
    "results": "result_facts",
}


@dataclass(frozen=True, slots=True)
class SeasonCounts:
    """The seasons holding a figure, in a fixed order, with how many races before each (for the n-th)."""

    seasons: tuple[tuple[str, int], ...] = ()
    before: tuple[int, ...] = ()
    total: int = 0

    def locate(self, index: int) -> tuple[str, int, int] | None:
        """(series, season, position within that season) of the index-th race, or None past the end."""
        if not 0 <= index < self.total:
            return None
        at = bisect.bisect_right(self.before, index) - 1
        series, season = self.seasons[at]
        return series, season, index - self.before[at]


@dataclass(frozen=True, slots=True)
class TriviaPools:
    """What trivia can ask about, as of one data version."""

    latest_season: int | None = None  # newest season with a recorded winner: "recent" and "old" start here
    closest_ids: tuple[int, ...] = ()
    quote_ids: tuple[int, ...] = ()
    races: Mapping[RaceFigure, SeasonCounts] = field(default_factory=dict)
    wins: Mapping[str, int] = field(default_factory=dict)  # races won, by driver name
    sources: Mapping[str, Source] = field(default_factory=dict)

    def count_races(self, figure: RaceFigure) -> int:
        counts = self.races.get(figure)
        return counts.total if counts else 0

    def source_list(self, keys: list[str]) -> tuple[Source, ...]:
        """Sources for keys in order, without repeats; a key without a sources row keeps its key as title."""
        seen: dict[str, Source] = {}
        for key in keys:
            if key:
                seen.setdefault(key, self.sources.get(key) or Source(key=key, title=key))
        return tuple(seen.values())
