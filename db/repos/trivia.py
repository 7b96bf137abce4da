"""Trivia on the guild side: settings, answers with their points, streaks and leaderboards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from db.models.trivia import AnswerRecord, LeaderboardRow, PlayerStats, Streak, TriviaSettings
from db.repos.rows import to_utc_text
from db.storage.database import Database

# Bounds shared by the command options and the repository, so a stored setting is always playable.
TIME_LIMIT_RANGE = (10, 120)
QUESTIONS_RANGE = (1, 20)
COOLDOWN_RANGE = (0, 3600)


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


class TriviaStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_settings(self, *, guild_id: int) -> TriviaSettings:
        row = await self._db.fetch_one(
            """SELECT time_limit_s, questions_per_game, reveal_answer, cooldown_s
               FROM trivia_settings WHERE guild_id = ?""",
            (guild_id,),
        )
        if row is None:
            return TriviaSettings(guild_id=guild_id)
        return TriviaSettings(
            guild_id=guild_id,
            time_limit_s=row["time_limit_s"],
            questions_per_game=row["questions_per_game"],
            reveal_answer=bool(row["reveal_answer"]),
            cooldown_s=row["cooldown_s"],
        )

    async def update_settings(
        self,
        *,
        guild_id: int,
        time_limit_s: int | None = None,
        questions_per_game: int | None = None,
        reveal_answer: bool | None = None,
        cooldown_s: int | None = None,
    ) -> TriviaSettings:
        """Change the given settings (the rest stay), each clamped to its playable range."""
        current = await self.get_settings(guild_id=guild_id)
        updated = TriviaSettings(
            guild_id=guild_id,
            time_limit_s=_clamp(time_limit_s, TIME_LIMIT_RANGE) if time_limit_s is not None else current.time_limit_s,
            questions_per_game=(
                _clamp(questions_per_game, QUESTIONS_RANGE)
                if questions_per_game is not None
                else current.questions_per_game
            ),
            reveal_answer=reveal_answer if reveal_answer is not None else current.reveal_answer,
            cooldown_s=_clamp(cooldown_s, COOLDOWN_RANGE) if cooldown_s is not None else current.cooldown_s,
        )
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO trivia_settings (guild_id, time_limit_s, questions_per_game, reveal_answer, cooldown_s)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (guild_id) DO UPDATE SET time_limit_s = excluded.time_limit_s,
                       questions_per_game = excluded.questions_per_game,
                       reveal_answer = excluded.reveal_answer, cooldown_s = excluded.cooldown_s""",
                (
                    guild_id,
                    updated.time_limit_s,
                    updated.questions_per_game,
                    int(updated.reveal_answer),
                    updated.cooldown_s,
                ),
            )
        return updated

    async def record_answers(
        self, *, guild_id: int, question_key: str, answers: Sequence[AnswerRecord]
    ) -> list[Streak]:
        """Store a closed question's answers and move each player's streak, all in one transaction."""
        streaks: list[Streak] = []
        async with self._db.transaction():
            for answer in answers:
                await self._db.execute(
                    """INSERT INTO trivia_scores (guild_id, user_id, answered_at, question_key, correct, points)
                       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                    (
                        guild_id,
                        answer.user_id,
                        to_utc_text(answer.answered_at),
                        question_key,
                        int(answer.correct),
                        answer.points,
                    ),
                )
                grown = "CASE WHEN ?3 = 1 THEN trivia_streaks.current + 1 ELSE 0 END"
                row = await self._db.fetch_one(
                    f"""INSERT INTO trivia_streaks (guild_id, user_id, current, best) VALUES (?1, ?2, ?3, ?3)
                       ON CONFLICT (guild_id, user_id) DO UPDATE SET
                           current = {grown}, best = {self._db.dialect.greater("trivia_streaks.best", grown)}
                       RETURNING current, best""",
                    (guild_id, answer.user_id, int(answer.correct)),
                )
                assert row is not None
                streaks.append(Streak(user_id=answer.user_id, current=row["current"], best=row["best"]))
        return streaks

    async def leaderboard(
        self, *, guild_id: int, since: dt.datetime | None = None, limit: int = 10
    ) -> list[LeaderboardRow]:
        """Most points first (then most correct, then who got there first); all time or since an instant."""
        rows = await self._db.fetch(
            """SELECT user_id, sum(points) AS points, sum(correct) AS correct, count(*) AS answered
               FROM trivia_scores WHERE guild_id = ? AND answered_at >= ?
               GROUP BY user_id ORDER BY points DESC, correct DESC, min(answered_at), user_id LIMIT ?""",
            (guild_id, to_utc_text(since) if since else "", limit),
        )
        return [
            LeaderboardRow(
                rank=index + 1,
                user_id=row["user_id"],
                points=row["points"],
                correct=row["correct"],
                answered=row["answered"],
            )
            for index, row in enumerate(rows)
        ]

    async def player_stats(self, *, guild_id: int, user_id: int) -> PlayerStats:
        totals = await self._db.fetch_one(
            """SELECT coalesce(sum(points), 0) AS points, coalesce(sum(correct), 0) AS correct, count(*) AS answered
               FROM trivia_scores WHERE guild_id = ? AND user_id = ?""",
            (guild_id, user_id),
        )
        streak = await self._db.fetch_one(
            "SELECT current, best FROM trivia_streaks WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        assert totals is not None
        rank = None
        if totals["answered"]:
            ranked = await self._db.fetch_one(
                """SELECT count(*) + 1 FROM (SELECT sum(points) AS p FROM trivia_scores WHERE guild_id = ?
                   GROUP BY user_id) per_player WHERE p > ?""",
                (guild_id, totals["points"]),
            )
            rank = int(ranked[0]) if ranked else None
        return PlayerStats(
            user_id=user_id,
            points=totals["points"],
            correct=totals["correct"],
            answered=totals["answered"],
            current_streak=streak["current"] if streak else 0,
            best_streak=streak["best"] if streak else 0,
            rank=rank,
        )
