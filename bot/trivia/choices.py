"""Pure helpers for questions: plausible wrong choices, shuffling, formatting and difficulty."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence

from bot.trivia.questions import CHOICE_COUNT, Difficulty
from db.models.trivia import RaceFact

WRONG_COUNT = CHOICE_COUNT - 1


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def margin_text(seconds: float) -> str:
    return f"{seconds:.3f} s"


def pick_wrong(rng: random.Random, pool: Iterable[str], *, answer: str, exclude: Iterable[str] = ()) -> list[str]:
    """Three distinct wrong choices from a pool (deduplicated, order kept so the seed decides); [] if too few."""
    banned = {answer.casefold(), *(x.casefold() for x in exclude)}
    candidates = [x for x in dict.fromkeys(pool) if x.casefold() not in banned]
    if len(candidates) < WRONG_COUNT:
        return []
    return rng.sample(candidates, WRONG_COUNT)


def shuffle_in(rng: random.Random, answer: str, wrong: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """The answer and the wrong choices in a seeded order, and where the answer landed."""
    choices = [answer, *wrong]
    rng.shuffle(choices)
    return tuple(choices), choices.index(answer)


def wrong_margins(rng: random.Random, answer: float, real: Sequence[float]) -> list[str]:
    """Other margins of the same order: real ones first, then neighbours on the answer's own scale."""
    shown = margin_text(answer)
    pool = [margin_text(m) for m in real if margin_text(m) != shown and answer / 5 <= m <= answer * 5]
    pool = list(dict.fromkeys(pool))
    if len(pool) >= WRONG_COUNT:
        return rng.sample(pool, WRONG_COUNT)
    step = 10 ** math.floor(math.log10(answer)) if answer > 0 else 0.001
    made = [margin_text(answer + k * step) for k in range(-4, 6) if k and answer + k * step >= 0.001]
    made = [m for m in dict.fromkeys(made) if m != shown and m not in pool]
    return pool + rng.sample(made, WRONG_COUNT - len(pool))


def wrong_years(rng: random.Random, answer: int, *, first: int = 1949, last: int) -> list[str]:
    years = [str(y) for y in range(answer - 6, answer + 7) if y != answer and first <= y <= max(last, answer)]
    return rng.sample(years, WRONG_COUNT)


def wrong_positions(rng: random.Random, answer: int, field_size: int) -> list[str]:
    """Nearby finishing positions that exist in this field; [] when the field is too small."""
    near = [ordinal(p) for p in range(max(1, answer - 6), min(field_size, answer + 6) + 1) if p != answer]
    return rng.sample(near, WRONG_COUNT) if len(near) >= WRONG_COUNT else []


def age_weight(season: int, latest: int | None) -> int:
    """Old facts are obscure facts: 0 for the last few seasons, then 1, 2 and 3 past 10 and 25 years."""
    age = (latest or season) - season
    return 0 if age <= 2 else 1 if age <= 10 else 2 if age <= 25 else 3


def fame_weight(career_wins: int) -> int:
    """A household name is easier to guess than a one-off winner."""
    return -1 if career_wins >= 20 else 1 if career_wins == 0 else 0


def difficulty_of(score: int) -> Difficulty:
    return "easy" if score <= 1 else "medium" if score <= 3 else "hard"


def race_title(race: RaceFact) -> str:
    """ "the 2024 AdventHealth 400 at Kansas Speedway"; history names such as "100 Miles at X" name the track."""
    series = "" if race.series == "cup" else race.series.capitalize() + " "
    where = "" if " at " in race.name.casefold() else f" at {race.track}"
    return f"the {race.season} {series}{race.name}{where}"
