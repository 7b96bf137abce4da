"""One draw of trivia questions: the facts, the seeded RNG, what was asked already, and the decoy helpers.

The question makers (bot/trivia/asks.py) read facts and build questions through a `Draw`; the generator
(bot/trivia/generator.py) owns the draw loop. Neither imports the other's module back.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from bot.trivia.choices import age_weight, difficulty_of, fame_weight, pick_wrong, shuffle_in, wrong_margins
from bot.trivia.questions import Category, Difficulty, Question
from db.models import Source

if TYPE_CHECKING:
    from db.repos.trivia_facts import TriviaFactStore

WrongChoices = Callable[[], Awaitable[Sequence[str]] | Sequence[str]]


class Draw:
    """State of one `generate` call, shared by the makers: seen keys, the wanted difficulty, the newest season."""

    def __init__(self, facts: TriviaFactStore, rng: random.Random) -> None:
        self.facts = facts
        self.rng = rng
        self.latest: int | None = None
        self._want: Difficulty | None = None
        self._seen: set[str] = set()

    def begin(self, *, latest: int | None, difficulty: Difficulty | None, exclude: frozenset[str]) -> None:
        self.latest = latest
        self._want, self._seen = difficulty, set(exclude)

    def asked(self, key: str) -> None:
        self._seen.add(key)

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
