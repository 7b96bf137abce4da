"""The game session without Discord: deadlines, one answer each, scoring, streaks, idleness."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.trivia.questions import Question
from bot.trivia.session import AnswerStatus, TriviaSession
from db.models import Source

T0 = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)
LIMIT = dt.timedelta(seconds=20)
SOURCE = Source(key="W", title="List of the closest NASCAR Cup Series finishes")


def question(n: int, *, answer: int = 0, difficulty: str = "medium") -> Question:
    return Question(
        key=f"q:{n}",
        category="winners",
        prompt=f"Question {n}?",
        choices=("A", "B", "C", "D"),
        answer=answer,
        difficulty=difficulty,  # type: ignore[arg-type]
        fact="A fact.",
        sources=(SOURCE,),
    )


def session(count: int = 3) -> TriviaSession:
    return TriviaSession(
        game_id="abc",
        guild_id=1,
        channel_id=2,
        starter_id=10,
        questions=[question(n) for n in range(count)],
        time_limit=LIMIT,
    )


def test_opening_a_question_sets_its_deadline() -> None:
    game = session()
    game.open_next(T0)
    assert game.number == 1
    assert game.deadline == T0 + LIMIT
    assert game.seconds_left(T0 + dt.timedelta(seconds=5)) == 15


def test_an_answer_before_the_deadline_is_accepted() -> None:
    game = session()
    game.open_next(T0)
    result = game.answer(user_id=10, number=1, choice=2, now=T0 + dt.timedelta(seconds=3))
    assert result.status is AnswerStatus.ACCEPTED and result.choice == 2


def test_a_second_answer_is_refused_and_the_first_kept() -> None:
    game = session()
    game.open_next(T0)
    game.answer(user_id=10, number=1, choice=1, now=T0)
    again = game.answer(user_id=10, number=1, choice=0, now=T0)
    assert again.status is AnswerStatus.ALREADY_ANSWERED and again.choice == 1
    outcome = game.close()
    assert [a.choice for a in outcome.answers] == [1]


def test_an_answer_at_or_after_the_deadline_is_too_late() -> None:
    game = session()
    game.open_next(T0)
    late = game.answer(user_id=10, number=1, choice=0, now=T0 + LIMIT)
    assert late.status is AnswerStatus.TOO_LATE
    assert game.close().answers == ()


def test_an_answer_to_an_earlier_question_is_too_late() -> None:
    game = session()
    game.open_next(T0)
    game.close()
    game.open_next(T0 + LIMIT)
    assert game.answer(user_id=10, number=1, choice=0, now=T0 + LIMIT).status is AnswerStatus.TOO_LATE


def test_closing_scores_by_difficulty_and_moves_streaks() -> None:
    game = TriviaSession(
        game_id="abc",
        guild_id=1,
        channel_id=2,
        starter_id=10,
        questions=[question(0, difficulty="hard"), question(1, difficulty="easy"), question(2)],
        time_limit=LIMIT,
    )
    for number, (first, second) in enumerate([(0, 1), (0, 0), (3, 0)], start=1):
        game.open_next(T0)
        game.answer(user_id=10, number=number, choice=first, now=T0)
        game.answer(user_id=20, number=number, choice=second, now=T0)
        game.close()
    alice, bob = game.scores[10], game.scores[20]
    assert (alice.points, alice.correct, alice.streak, alice.best_streak) == (4, 2, 0, 2)
    assert (bob.points, bob.correct, bob.streak, bob.best_streak) == (3, 2, 2, 2)
    assert [p.user_id for p in game.standings()] == [10, 20]


def test_two_questions_without_answers_abandon_the_game() -> None:
    game = session(5)
    game.open_next(T0)
    game.close()
    assert not game.is_abandoned
    game.open_next(T0)
    game.close()
    assert game.is_abandoned


def test_an_answer_resets_idleness() -> None:
    game = session(5)
    game.open_next(T0)
    game.close()
    game.open_next(T0)
    game.answer(user_id=10, number=2, choice=0, now=T0)
    game.close()
    game.open_next(T0)
    game.close()
    assert not game.is_abandoned


def test_after_the_game_ends_clicks_are_told_it_is_over() -> None:
    game = session()
    game.open_next(T0)
    game.finish("stopped", by=10)
    assert game.answer(user_id=10, number=1, choice=0, now=T0).status is AnswerStatus.GAME_OVER
    assert not game.has_next
    game.finish("finished")
    assert game.ended == "stopped" and game.stopped_by == 10


def test_no_question_opens_past_the_last_one() -> None:
    game = session(1)
    game.open_next(T0)
    game.close()
    with pytest.raises(RuntimeError):
        game.open_next(T0)
