"""Questions from the store: sample a sourced fact with a seeded RNG, ask about one figure, add plausible decoys."""

from __future__ import annotations

import inspect
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from bot.trivia.asks import MAKERS
from bot.trivia.choices import age_weight, difficulty_of, fame_weight, pick_wrong, shuffle_in, wrong_margins
from bot.trivia.questions import CATEGORIES, Category, Difficulty, Question
from db.models import Source
from db.trivia_pools import RaceFigure, TriviaPools

if TYPE_CHECKING:
    from db.store import TriviaFactStore

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

WrongChoices = Callable[[], Awaitable[Sequence[str]] | Sequence[str]]


class QuestionGenerator:
    """Draws questions one fact at a time; the same seed over the same store gives the same questions."""

    def __init__(
        self, facts: TriviaFactStore, *, seed: int | None = None, time_budget_s: float | None = TIME_BUDGET_S
    ) -> None:
        self.facts = facts
        self.rng = random.Random(seed)
        self.time_budget_s = time_budget_s
        self.latest: int | None = None
        self._want: Difficulty | None = None
        self._seen: set[str] = set()

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
        self.latest = pools.latest_season
        self._want, self._seen = difficulty, set(exclude)
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
            question = await MAKERS[category](self, self.rng.randrange(sizes[category]))
            if question is not None:
                self._seen.add(question.key)
                questions.append(question)
        if len(questions) < count:
            log.info("Trivia: %d of %d questions for %s/%s", len(questions), count, categories, difficulty)
        return questions

    def _out_of_time(self, started: float) -> bool:
        return self.time_budget_s is not None and time.perf_counter() - started > self.time_budget_s

    async def build(
        self,
        *,
        key: str,
        category: Category,
        prompt: str,
        answer: str,
        wrong: WrongChoices,
        difficulty: Difficulty,
        fact: str,
        sources: Sequence[Source],
    ) -> Question | None:
        """The question, or None when it repeats, has the wrong difficulty, no source or too few decoys.

        Decoys are fetched last (they cost queries) and only for a question that will be used.
        """
        if key in self._seen or not sources or (self._want is not None and difficulty != self._want):
            return None
        made = wrong()
        decoys = list(await made if inspect.isawaitable(made) else made)
        if len(decoys) != 3:
            return None
        choices, index = shuffle_in(self.rng, answer, decoys)
        return Question(
            key=key,
            category=category,
            prompt=prompt,
            choices=choices,
            answer=index,
            difficulty=difficulty,
            fact=fact,
            sources=tuple(sources),
        )

    async def score(self, base: int, season: int, driver: str | None = None) -> Difficulty:
        """How obscure a fact is: the question's own base, the fact's age and how famous the answer is."""
        fame = fame_weight(await self.facts.career_wins(driver=driver)) if driver else 0
        return difficulty_of(base + age_weight(season, self.latest) + fame)

    async def era_drivers(self, season: int, *, answer: str, exclude: Sequence[str] = ()) -> list[str]:
        """Wrong drivers from the same era, widening the window until there are enough."""
        for window in (3, 10, 30, 100):
            near = await self.facts.drivers_near(season=season, window=window)
            wrong = pick_wrong(self.rng, near, answer=answer, exclude=exclude)
            if wrong:
                return wrong
        return []

    async def race_drivers(self, race_id: int, season: int, *, answer: str) -> list[str]:
        """Wrong drivers from the same race's top finishers, else from the same era."""
        field = (await self.facts.race_field(race_id=race_id))[:12]
        wrong = pick_wrong(self.rng, [e.driver for e in field], answer=answer)
        return wrong or await self.era_drivers(season, answer=answer)

    async def margin_decoys(self, answer: float) -> list[str]:
        real = await self.facts.margins_between(low=answer / 5, high=answer * 5)
        return wrong_margins(self.rng, answer, real)
