"""A trivia question: four choices, the right one among them, how hard it is, and where the fact comes from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from db.models import Source

Category = Literal["closest", "winners", "positions", "margins", "poles", "quotes"]
Difficulty = Literal["easy", "medium", "hard"]

CATEGORIES: tuple[Category, ...] = ("closest", "winners", "positions", "margins", "poles", "quotes")
CATEGORY_LABELS: dict[Category, str] = {
    "closest": "Closest finishes",
    "winners": "Race winners",
    "positions": "Finishing positions",
    "margins": "Winning margins",
    "poles": "Poles",
    "quotes": "Who said this?",
}
POINTS: dict[Difficulty, int] = {"easy": 1, "medium": 2, "hard": 3}
CHOICE_COUNT = 4
LETTERS = "ABCD"


class Question(BaseModel):
    """One multiple-choice question; `fact` is the sourced sentence shown when the answer is revealed."""

    model_config = ConfigDict(frozen=True)

    key: str  # stable across games, e.g. "closest-winner:3" or "position:120:5"
    category: Category
    prompt: str
    choices: tuple[str, ...]
    answer: int
    difficulty: Difficulty
    fact: str
    sources: tuple[Source, ...]

    @model_validator(mode="after")
    def _check(self) -> Question:
        if len(self.choices) != CHOICE_COUNT or len(set(self.choices)) != CHOICE_COUNT:
            raise ValueError(f"{self.key}: needs {CHOICE_COUNT} distinct choices, got {self.choices}")
        if not 0 <= self.answer < CHOICE_COUNT:
            raise ValueError(f"{self.key}: answer index {self.answer} out of range")
        if not self.sources:
            raise ValueError(f"{self.key}: a question needs a source")
        return self

    @property
    def correct_choice(self) -> str:
        return self.choices[self.answer]

    @property
    def points(self) -> int:
        return POINTS[self.difficulty]


def choice_label(index: int, choice: str) -> str:
    return f"{LETTERS[index]}. {choice}"
