"""Trivia embeds and replies: questions, reveals with their sources, standings, leaderboards, stats, settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import discord

from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    FIELD_VALUE,
    clip,
    join_within,
    source_lines,
    timestamp,
)
from bot.trivia.questions import CATEGORY_LABELS, LETTERS, Question, choice_label
from bot.trivia.session import AnswerResult, AnswerStatus, EndReason, PlayerScore, QuestionOutcome
from db.models.trivia import LeaderboardRow, PlayerStats, Streak, TriviaSettings

RIGHT_COLOUR = discord.Colour.green()
PERIOD_LABELS = {"day": "today", "week": "the last 7 days", "month": "the last 30 days", "all": "all time"}
STALE_GAME = "This trivia game is over. Start a new one with `/trivia play`."
NOT_A_CHOICE = "That button is not one of this question's choices, so it is no longer active."


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def points(count: int) -> str:
    return f"**{count}** point{'s' if count != 1 else ''}"


def question_embed(question: Question, *, number: int, total: int, deadline: dt.datetime) -> discord.Embed:
    lines = [question.prompt, ""]
    lines += [f"**{LETTERS[i]}.** {choice}" for i, choice in enumerate(question.choices)]
    lines += ["", f"⏱ Time's up {timestamp(deadline, 'R')}. One answer each."]
    embed = discord.Embed(
        title=clip(f"Question {number} of {total} · {CATEGORY_LABELS[question.category]}", EMBED_TITLE),
        description=clip("\n".join(lines), EMBED_DESCRIPTION),
        colour=BRAND_COLOUR,
    )
    plural = "s" if question.points != 1 else ""
    embed.set_footer(text=f"{question.difficulty.capitalize()} · {question.points} point{plural}")
    return embed


def _people(user_ids: Sequence[int], limit: int = FIELD_VALUE) -> str:
    return join_within((mention(u) for u in user_ids), limit) if user_ids else "nobody"


def reveal_embed(
    outcome: QuestionOutcome, *, total: int, reveal_answer: bool, streaks: Sequence[Streak] = ()
) -> discord.Embed:
    """The closed question: its answer and the sourced fact (unless the server hides answers), who got it."""
    question = outcome.question
    right = outcome.correct_users
    if reveal_answer:
        title = f"Answer: {choice_label(question.answer, question.correct_choice)}"
        description = question.fact
    else:
        title = "Time's up!"
        description = f"{len(right)} of {len(outcome.answers)} got it right."
    embed = discord.Embed(
        title=clip(title, EMBED_TITLE), description=clip(description, EMBED_DESCRIPTION), colour=RIGHT_COLOUR
    )
    if outcome.answers:
        hot = {s.user_id: s.current for s in streaks if s.current >= 2}
        lines = [f"{mention(u)} +{question.points}" + (f" · 🔥 {hot[u]} in a row" if u in hot else "") for u in right]
        embed.add_field(name="Right", value=join_within(lines, FIELD_VALUE) if lines else "nobody", inline=False)
        wrong = [a.user_id for a in outcome.answers if not a.correct]
        if wrong:
            embed.add_field(name="Wrong", value=_people(wrong), inline=False)
    else:
        embed.add_field(name="Answers", value="Nobody answered.", inline=False)
    sources = source_lines(question.sources)
    embed.add_field(
        name="Source" if len(sources) == 1 else "Sources", value=join_within(sources, FIELD_VALUE), inline=False
    )
    embed.set_footer(text=f"Question {outcome.number} of {total}")
    return embed


def standings_embed(standings: Sequence[PlayerScore], *, reason: EndReason, stopped_by: int | None) -> discord.Embed:
    headline = {
        "finished": "That's the game!",
        "stopped": f"Game stopped by {mention(stopped_by)}." if stopped_by else "Game stopped.",
        "abandoned": "Nobody answered two questions in a row, so the game ended.",
        "failed": "The game had to end early: I couldn't post in this channel.",
    }[reason]
    lines = [headline, ""]
    for place, player in enumerate(standings, start=1):
        lines.append(
            f"`{place:>2}` {mention(player.user_id)} · {points(player.points)} · "
            f"{player.correct}/{player.answered} right"
            + (f" · best run {player.best_streak}" if player.best_streak >= 2 else "")
        )
    if not standings:
        lines.append("No answers this game.")
    embed = discord.Embed(
        title="🏁 Final standings", description=join_within(lines, EMBED_DESCRIPTION), colour=BRAND_COLOUR
    )
    embed.set_footer(text="Scores count towards /trivia leaderboard.")
    return embed


def answer_reply(result: AnswerResult, *, reveal_answer: bool) -> str:
    """The ephemeral line a player sees after clicking a choice."""
    question = result.question
    if result.status is AnswerStatus.GAME_OVER or question is None:
        return STALE_GAME
    if result.status is AnswerStatus.NOT_A_CHOICE:
        return NOT_A_CHOICE
    if result.status is AnswerStatus.ACCEPTED and result.choice is not None:
        return f"Locked in: **{clip(choice_label(result.choice, question.choices[result.choice]), 120)}**."
    if result.status is AnswerStatus.ALREADY_ANSWERED and result.choice is not None:
        picked = clip(choice_label(result.choice, question.choices[result.choice]), 120)
        return f"You already answered this one (**{picked}**); one answer per question."
    answer = f" The answer was **{clip(question.correct_choice, 120)}**." if reveal_answer else ""
    return f"Too late: that question is closed.{answer}"


def leaderboard_embed(rows: Sequence[LeaderboardRow], *, period: str) -> discord.Embed:
    lines = [
        f"`{row.rank:>2}` {mention(row.user_id)} · {points(row.points)} · {row.correct}/{row.answered} right"
        for row in rows
    ]
    embed = discord.Embed(
        title=clip(f"Trivia leaderboard · {PERIOD_LABELS.get(period, period)}", EMBED_TITLE),
        description=join_within(lines, EMBED_DESCRIPTION) if lines else "No answers yet. Start with `/trivia play`.",
        colour=BRAND_COLOUR,
    )
    return embed


def stats_embed(stats: PlayerStats) -> discord.Embed:
    embed = discord.Embed(title="Trivia stats", description=mention(stats.user_id), colour=BRAND_COLOUR)
    if not stats.answered:
        embed.description = f"{mention(stats.user_id)} hasn't answered a trivia question here yet."
        return embed
    accuracy = f"{stats.accuracy:.0%}" if stats.accuracy is not None else "—"
    embed.add_field(name="Points", value=str(stats.points), inline=True)
    embed.add_field(name="Rank", value=f"#{stats.rank}" if stats.rank else "—", inline=True)
    embed.add_field(name="Right", value=f"{stats.correct}/{stats.answered} ({accuracy})", inline=True)
    embed.add_field(name="Streak", value=f"{stats.current_streak} now · best {stats.best_streak}", inline=True)
    return embed


def settings_embed(settings: TriviaSettings, *, changed: Mapping[str, object] | None = None) -> discord.Embed:
    lines = [
        f"Time per question: **{settings.time_limit_s} s**",
        f"Questions per game: **{settings.questions_per_game}**",
        f"Reveal the answer: **{'yes' if settings.reveal_answer else 'no'}**",
        f"Cooldown between games in a channel: **{settings.cooldown_s} s**",
    ]
    title = "Trivia settings updated" if changed else "Trivia settings"
    return discord.Embed(title=title, description="\n".join(lines), colour=BRAND_COLOUR)
