"""Trivia repository: settings, answers, streaks, leaderboards and stats per guild."""

from __future__ import annotations

import datetime as dt

from db.models.trivia import AnswerRecord
from db.repos.trivia import TriviaStore
from db.storage.sqlite import SqliteDatabase

T0 = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)
GUILD = 1


def answer(user_id: int, correct: bool, *, minutes: int = 0, points: int = 2) -> AnswerRecord:
    return AnswerRecord(
        user_id=user_id,
        answered_at=T0 + dt.timedelta(minutes=minutes),
        correct=correct,
        points=points if correct else 0,
    )


async def test_settings_default_until_changed_and_keep_unchanged_fields(blank_db: SqliteDatabase) -> None:
    trivia = TriviaStore(blank_db)
    assert (await trivia.get_settings(guild_id=GUILD)).time_limit_s == 20

    await trivia.update_settings(guild_id=GUILD, time_limit_s=45)
    updated = await trivia.update_settings(guild_id=GUILD, reveal_answer=False)

    assert updated == await trivia.get_settings(guild_id=GUILD)
    assert (updated.time_limit_s, updated.reveal_answer, updated.questions_per_game) == (45, False, 5)
    assert (await trivia.get_settings(guild_id=2)).time_limit_s == 20


async def test_settings_are_clamped_to_playable_values(blank_db: SqliteDatabase) -> None:
    trivia = TriviaStore(blank_db)
    updated = await trivia.update_settings(guild_id=GUILD, time_limit_s=1, questions_per_game=500, cooldown_s=-5)
    assert (updated.time_limit_s, updated.questions_per_game, updated.cooldown_s) == (10, 20, 0)


async def test_streaks_grow_with_right_answers_and_reset_on_a_wrong_one(blank_db: SqliteDatabase) -> None:
    trivia = TriviaStore(blank_db)
    for n, correct in enumerate([True, True, True, False, True]):
        (streak,) = await trivia.record_answers(
            guild_id=GUILD, question_key=f"q:{n}", answers=[answer(7, correct, minutes=n)]
        )
    assert (streak.current, streak.best) == (1, 3)


async def test_leaderboard_ranks_by_points_and_honours_the_period(blank_db: SqliteDatabase) -> None:
    trivia = TriviaStore(blank_db)
    await trivia.record_answers(
        guild_id=GUILD, question_key="old", answers=[answer(8, True, minutes=-60 * 24 * 10, points=3)]
    )
    await trivia.record_answers(guild_id=GUILD, question_key="new", answers=[answer(7, True), answer(8, False)])
    await trivia.record_answers(guild_id=2, question_key="new", answers=[answer(9, True, points=3)])

    all_time = await trivia.leaderboard(guild_id=GUILD)
    this_week = await trivia.leaderboard(guild_id=GUILD, since=T0 - dt.timedelta(days=7))

    assert [(r.rank, r.user_id, r.points, r.correct, r.answered) for r in all_time] == [
        (1, 8, 3, 1, 2),
        (2, 7, 2, 1, 1),
    ]
    assert [(r.user_id, r.points) for r in this_week] == [(7, 2), (8, 0)]


async def test_player_stats_give_totals_streaks_and_rank(blank_db: SqliteDatabase) -> None:
    trivia = TriviaStore(blank_db)
    await trivia.record_answers(guild_id=GUILD, question_key="a", answers=[answer(7, True), answer(8, True, points=3)])
    await trivia.record_answers(guild_id=GUILD, question_key="b", answers=[answer(7, False, minutes=1)])

    stats = await trivia.player_stats(guild_id=GUILD, user_id=7)
    nobody = await trivia.player_stats(guild_id=GUILD, user_id=99)

    assert (stats.points, stats.correct, stats.answered, stats.current_streak, stats.best_streak, stats.rank) == (
        2,
        1,
        2,
        0,
        1,
        2,
    )
    assert stats.accuracy == 0.5
    assert (nobody.answered, nobody.rank, nobody.accuracy) == (0, None, None)
