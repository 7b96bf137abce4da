"""Questions from the store: sample a sourced fact with a seeded RNG, ask about one figure, add plausible decoys."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.trivia.asks import MAKERS
from bot.trivia.draw import Draw
from bot.trivia.questions import CATEGORIES, Category, Difficulty, Question
from db.models.trivia import RaceFigure, TriviaPools

if TYPE_CHECKING:
    from db.repos.trivia_facts import TriviaFactStore

log = logging.getLogger(__name__)

# Each attempt reads a handful of rows; a request that cannot be filled gives up after this many per question,
# or after the time budget, so an impossible filter still answers well inside Discord's 3 s.
ATTEMPTS_PER_QUESTION = 25
TIME_BUDGET_S = 1.5
# A category's weight is how many questions its rows can give, capped so 100k results do not drown
# 16 closest finishes. A race row gives a question per finisher; a close finish five kinds of question.
WEIGHT_CAP = 200
QUESTIONS_PER_ROW: dict[Category, int] = {"positions": 30, "closest": 5}
RACE_FIGURE: dict[Category, RaceFigure] = {
    "winners": "winner",
    "positions": "results",
    "margins": "margin",
    "poles": "pole",
}


class QuestionGenerator:
    """Draws questions one fact at a time; the same seed over the same store gives the same questions."""

    def __init__(
        self, facts: TriviaFactStore, *, seed: int | None = None, time_budget_s: float | None = TIME_BUDGET_S
    ) -> None:
        self.facts = facts
        self.rng = random.Random(seed)
        self.time_budget_s = time_budget_s
        self._draw = Draw(facts, self.rng)

    @staticmethod
    def count_facts(pools: TriviaPools, category: Category) -> int:
        if category == "closest":
            return len(pools.closest_ids)
        if category == "quotes":
            return len(pools.quote_ids)
        return pools.count_races(RACE_FIGURE[category])

    async def generate(
        self,
        *,
        count: int,
        categories: Sequence[Category] = CATEGORIES,
        difficulty: Difficulty | None = None,
        exclude: frozenset[str] = frozenset(),
    ) -> list[Question]:
        """Up to `count` distinct questions; fewer when the store cannot supply them."""
        pools = await self.facts.pools()  # one query while the data is unchanged; the facts below come from it
        self._draw.begin(latest=pools.latest_season, difficulty=difficulty, exclude=exclude)
        sizes = {category: self.count_facts(pools, category) for category in categories}
        pool = [category for category in categories if sizes[category] > 0]
        if not pool:
            return []
        weights = [min(sizes[c] * QUESTIONS_PER_ROW.get(c, 1), WEIGHT_CAP) for c in pool]
        questions: list[Question] = []
        started = time.perf_counter()
        for _ in range(count * ATTEMPTS_PER_QUESTION):
            if len(questions) >= count or self._out_of_time(started):
                break
            category = self.rng.choices(pool, weights)[0]
            question = await MAKERS[category](self._draw, self.rng.randrange(sizes[category]))
            if question is not None:
                self._draw.asked(question.key)
                questions.append(question)
        if len(questions) < count:
            log.info("Trivia: %d of %d questions for %s/%s", len(questions), count, categories, difficulty)
        return questions

    def _out_of_time(self, started: float) -> bool:
        return self.time_budget_s is not None and time.perf_counter() - started > self.time_budget_s
