"""Trivia builders: within Discord's limits, sources on every reveal, replies that say what happened."""

from __future__ import annotations

import datetime as dt

from bot.embeds.common import EMBED_TOTAL, FIELD_VALUE
from bot.embeds.trivia import answer_reply, question_embed, reveal_embed, standings_embed
from bot.trivia.questions import Question
from bot.trivia.session import AnswerResult, AnswerStatus, PlayerScore, QuestionOutcome, ScoredAnswer
from db.models import Source

T0 = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)
W = Source(key="W", title="List of the closest NASCAR Cup Series finishes", url="https://en.wikipedia.org/x")


def question(prompt: str = "Who won the 2024 AdventHealth 400 at Kansas Speedway?") -> Question:
    return Question(
        key="winner:12",
        category="winners",
        prompt=prompt,
        choices=("Chris Buescher", "Kyle Larson", "Chase Elliott", "Denny Hamlin"),
        answer=1,
        difficulty="easy",
        fact="Kyle Larson won the 2024 AdventHealth 400 at Kansas Speedway.",
        sources=(W,),
    )


def test_question_embed_lists_the_choices_and_the_deadline() -> None:
    embed = question_embed(question(), number=1, total=5, deadline=T0)
    assert embed.title == "Question 1 of 5 · Race winners"
    assert "**B.** Kyle Larson" in (embed.description or "")
    assert f"<t:{int(T0.timestamp())}:R>" in (embed.description or "")


def test_a_huge_prompt_stays_within_discord_limits() -> None:
    embed = question_embed(question("x" * 10_000), number=1, total=5, deadline=T0)
    assert len(embed) <= EMBED_TOTAL


def test_reveal_shows_answer_fact_and_source() -> None:
    answers = (ScoredAnswer(1, 1, T0, True, 1), ScoredAnswer(2, 0, T0, False, 0))
    embed = reveal_embed(QuestionOutcome(1, question(), answers), total=5, reveal_answer=True)
    fields = {f.name: f.value or "" for f in embed.fields}
    assert embed.title == "Answer: B. Kyle Larson"
    assert embed.description == "Kyle Larson won the 2024 AdventHealth 400 at Kansas Speedway."
    assert "List of the closest NASCAR Cup Series finishes" in fields["Source"] and "**W**" in fields["Source"]
    assert "<@1>" in fields["Right"] and "<@2>" in fields["Wrong"]


def test_reveal_can_hide_the_answer_but_keeps_the_source() -> None:
    embed = reveal_embed(QuestionOutcome(1, question(), ()), total=5, reveal_answer=False)
    text = (embed.title or "") + (embed.description or "")
    assert "Kyle Larson" not in text
    assert any(f.name == "Source" for f in embed.fields)


def test_standings_of_a_crowd_fit_in_one_embed() -> None:
    crowd = [PlayerScore(user_id=10**17 + n, points=50 - n % 50, correct=3, answered=5) for n in range(500)]
    embed = standings_embed(crowd, reason="finished", stopped_by=None)
    assert len(embed) <= EMBED_TOTAL
    assert all(len(f.value or "") <= FIELD_VALUE for f in embed.fields)


def test_answer_replies_say_what_happened() -> None:
    q = question()
    assert "Locked in: **B. Kyle Larson**" in answer_reply(
        AnswerResult(AnswerStatus.ACCEPTED, q, 1), reveal_answer=True
    )
    assert "already answered" in answer_reply(AnswerResult(AnswerStatus.ALREADY_ANSWERED, q, 0), reveal_answer=True)
    assert "Kyle Larson" in answer_reply(AnswerResult(AnswerStatus.TOO_LATE, q), reveal_answer=True)
    assert "Kyle Larson" not in answer_reply(AnswerResult(AnswerStatus.TOO_LATE, q), reveal_answer=False)
    assert "game is over" in answer_reply(AnswerResult(AnswerStatus.GAME_OVER), reveal_answer=True)
