"""One trivia game, free of Discord: which question is open, until when, who answered what, and the score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from bot.trivia.questions import Question

EndReason = Literal["finished", "stopped", "abandoned", "failed"]
# Two questions in a row without a single answer: nobody is playing any more.
IDLE_LIMIT = 2


class AnswerStatus(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_ANSWERED = "already_answered"
    TOO_LATE = "too_late"
    GAME_OVER = "game_over"
    NOT_A_CHOICE = "not_a_choice"  # a custom_id no button of this question carries (forged)


@dataclass(frozen=True)
class AnswerResult:
    status: AnswerStatus
    question: Question | None = None
    choice: int | None = None  # what this user picked (the earlier pick when already answered)


@dataclass(frozen=True)
class ScoredAnswer:
    user_id: int
    choice: int
    answered_at: dt.datetime
    correct: bool
    points: int


@dataclass(frozen=True)
class QuestionOutcome:
    number: int  # 1-based
    question: Question
    answers: tuple[ScoredAnswer, ...]

    @property
    def correct_users(self) -> list[int]:
        return [a.user_id for a in self.answers if a.correct]


@dataclass
class PlayerScore:
    user_id: int
    points: int = 0
    correct: int = 0
    answered: int = 0
    streak: int = 0
    best_streak: int = 0


@dataclass
class TriviaSession:
    """Questions are opened one at a time with a deadline; answers are scored when the question closes."""

    game_id: str
    guild_id: int
    channel_id: int
    starter_id: int
    questions: Sequence[Question]
    time_limit: dt.timedelta
    index: int = -1
    deadline: dt.datetime | None = None
    is_open: bool = False
    ended: EndReason | None = None
    stopped_by: int | None = None
    idle_questions: int = 0
    scores: dict[int, PlayerScore] = field(default_factory=dict)
    _answers: dict[int, tuple[int, dt.datetime]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.questions:
            raise ValueError("a game needs at least one question")

    @property
    def number(self) -> int:
        """The 1-based number of the current (or last) question."""
        return self.index + 1

    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    @property
    def has_next(self) -> bool:
        return self.ended is None and self.index + 1 < len(self.questions)

    @property
    def is_abandoned(self) -> bool:
        return self.idle_questions >= IDLE_LIMIT

    def seconds_left(self, now: dt.datetime) -> float:
        return max(0.0, (self.deadline - now).total_seconds()) if self.deadline and self.is_open else 0.0

    def open_next(self, now: dt.datetime) -> Question:
        if not self.has_next:
            raise RuntimeError("no question left to open")
        if self.is_open:
            raise RuntimeError("close the current question first")
        self.index += 1
        self.deadline = now + self.time_limit
        self.is_open = True
        self._answers = {}
        return self.questions[self.index]

    def answer(self, *, user_id: int, number: int, choice: int, now: dt.datetime) -> AnswerResult:
        """One answer per user per question, accepted only while that question is open and before its deadline."""
        if self.ended is not None:
            return AnswerResult(AnswerStatus.GAME_OVER)
        question = self.questions[number - 1] if 1 <= number <= len(self.questions) else None
        if question is None or number != self.number or not self.is_open:
            return AnswerResult(AnswerStatus.TOO_LATE, question)
        if user_id in self._answers:
            return AnswerResult(AnswerStatus.ALREADY_ANSWERED, question, self._answers[user_id][0])
        if self.deadline is not None and now >= self.deadline:
            return AnswerResult(AnswerStatus.TOO_LATE, question)
        if not 0 <= choice < len(question.choices):
            return AnswerResult(AnswerStatus.NOT_A_CHOICE, question)
        self._answers[user_id] = (choice, now)
        return AnswerResult(AnswerStatus.ACCEPTED, question, choice)

    def close(self) -> QuestionOutcome:
        """Score the open question: points for the right answer, streaks moved, idleness counted."""
        question = self.current
        if question is None or not self.is_open:
            raise RuntimeError("no open question to close")
        self.is_open = False
        scored = []
        for user_id, (choice, at) in self._answers.items():
            correct = choice == question.answer
            points = question.points if correct else 0
            player = self.scores.setdefault(user_id, PlayerScore(user_id))
            player.answered += 1
            player.points += points
            if correct:
                player.correct += 1
                player.streak += 1
                player.best_streak = max(player.best_streak, player.streak)
            else:
                player.streak = 0
            scored.append(ScoredAnswer(user_id, choice, at, correct, points))
        self.idle_questions = 0 if scored else self.idle_questions + 1
        return QuestionOutcome(self.number, question, tuple(scored))

    def finish(self, reason: EndReason, *, by: int | None = None) -> None:
        """End the game; the first reason given stands."""
        if self.ended is None:
            self.ended = reason
            self.stopped_by = by
            self.is_open = False

    def standings(self) -> list[PlayerScore]:
        """Most points first, then most correct; ties keep who answered first."""
        return sorted(self.scores.values(), key=lambda p: (-p.points, -p.correct))
