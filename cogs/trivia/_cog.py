"""/trivia: the commands; the game itself is a TriviaSession run by GameRunner."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.trivia import (
    STALE_GAME,
    answer_reply,
    leaderboard_embed,
    question_embed,
    settings_embed,
    standings_embed,
    stats_embed,
)
from bot.errors import BadInput, NotFound, UserFacingError
from bot.trivia.generator import QuestionGenerator
from bot.trivia.questions import CATEGORIES, CATEGORY_LABELS
from bot.trivia.session import TriviaSession
from cogs.trivia._games import Game, GameRunner
from cogs.trivia._views import COG_NAME, AnswerButton, question_view
from db.repos.trivia import COOLDOWN_RANGE, QUESTIONS_RANGE, TIME_LIMIT_RANGE

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

CategoryChoice = Literal["any", "closest", "winners", "positions", "margins", "poles", "quotes"]
DifficultyChoice = Literal["any", "easy", "medium", "hard"]
Period = Literal["day", "week", "month", "all"]
PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}
NO_PERMISSION = "Only the player who started this game, or someone with Manage Messages, can stop it."


class Trivia(commands.Cog, name=COG_NAME):
    trivia = app_commands.Group(name="trivia", description="NASCAR trivia from the bot's sourced data", guild_only=True)

    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot
        self.games = GameRunner(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AnswerButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerButton)
        self.games.stop_all()

    def answer_click(self, *, game_id: str, number: int, choice: int, user_id: int) -> str:
        """A click on an answer button (from AnswerButton): always a short ephemeral reply, never an error."""
        game = self.games.by_id.get(game_id)
        if game is None or not game.is_live:
            return STALE_GAME
        result = game.session.answer(user_id=user_id, number=number, choice=choice, now=self.bot.clock())
        return answer_reply(result, reveal_answer=game.reveal_answer)

    def _check_can_start(self, channel_id: int, cooldown_s: int) -> None:
        if self.games.live_game(channel_id) is not None:
            raise BadInput("A trivia game is already running in this channel: join in, or wait for it to end.")
        ended = self.games.ended_at.get(channel_id)
        if ended is not None:
            wait = (ended + dt.timedelta(seconds=cooldown_s) - self.bot.clock()).total_seconds()
            if wait > 0:
                raise UserFacingError(f"Trivia is cooling down in this channel; try again in {math.ceil(wait)} s.")

    @trivia.command(name="play")
    @app_commands.describe(
        questions="How many questions (default: the server's setting)",
        category="Only questions of one kind",
        difficulty="Only easy, medium or hard questions",
    )
    async def play(
        self,
        interaction: discord.Interaction[PhotoFinish],
        questions: app_commands.Range[int, QUESTIONS_RANGE[0], QUESTIONS_RANGE[1]] | None = None,
        category: CategoryChoice = "any",
        difficulty: DifficultyChoice = "any",
    ) -> None:
        """Start a trivia game in this channel: four choices a question, points for the right one."""
        channel = interaction.channel
        assert interaction.guild_id is not None and channel is not None
        if not isinstance(channel, discord.abc.Messageable):
            raise BadInput("Trivia needs a text channel.")
        perms = interaction.app_permissions
        if not (perms.send_messages and perms.embed_links):
            raise UserFacingError("I need the Send Messages and Embed Links permissions here to run a game.")
        settings = await self.bot.store.trivia.get_settings(guild_id=interaction.guild_id)
        self._check_can_start(channel.id, settings.cooldown_s)
        generator = QuestionGenerator(self.bot.store.trivia_facts)  # unseeded: every game draws afresh
        picked = await generator.generate(
            count=questions or settings.questions_per_game,
            categories=CATEGORIES if category == "any" else (category,),
            difficulty=None if difficulty == "any" else difficulty,
        )
        if not picked:
            kind = "" if category == "any" else f" {CATEGORY_LABELS[category].lower()}"
            level = "" if difficulty == "any" else f" {difficulty}"
            raise NotFound(f"I have no{level}{kind} questions from my data yet; try another category or difficulty.")
        self._check_can_start(channel.id, settings.cooldown_s)  # another game may have started meanwhile
        session = TriviaSession(
            game_id=secrets.token_hex(4),
            guild_id=interaction.guild_id,
            channel_id=channel.id,
            starter_id=interaction.user.id,
            questions=picked,
            time_limit=dt.timedelta(seconds=settings.time_limit_s),
        )
        first = session.open_next(self.bot.clock())
        assert session.deadline is not None
        game = Game(session=session, channel=channel, reveal_answer=settings.reveal_answer)
        async with self.games.launching(game):
            await interaction.response.send_message(
                embed=question_embed(first, number=1, total=len(picked), deadline=session.deadline),
                view=question_view(session.game_id, 1, first),
                allowed_mentions=discord.AllowedMentions.none(),
            )

    @trivia.command(name="stop")
    async def stop(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """Stop the game in this channel (the player who started it, or Manage Messages)."""
        game = self.games.live_game(interaction.channel_id or 0)
        if game is None:
            raise NotFound("There is no trivia game running in this channel.")
        if interaction.user.id != game.session.starter_id and not interaction.permissions.manage_messages:
            raise UserFacingError(NO_PERMISSION)
        self.games.stop(game, by=interaction.user.id)
        await interaction.response.send_message(
            embed=standings_embed(game.session.standings(), reason="stopped", stopped_by=interaction.user.id),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @trivia.command(name="leaderboard")
    @app_commands.describe(period="Count answers from today, the last 7 or 30 days, or all time (default)")
    async def leaderboard(self, interaction: discord.Interaction[PhotoFinish], period: Period = "all") -> None:
        """This server's best trivia players."""
        assert interaction.guild_id is not None
        days = PERIOD_DAYS.get(period)
        since = self.bot.clock() - dt.timedelta(days=days) if days else None
        rows = await self.bot.store.trivia.leaderboard(guild_id=interaction.guild_id, since=since)
        await interaction.response.send_message(
            embed=leaderboard_embed(rows, period=period), allowed_mentions=discord.AllowedMentions.none()
        )

    @trivia.command(name="stats")
    @app_commands.describe(user="Whose stats (default: yours)")
    async def stats(self, interaction: discord.Interaction[PhotoFinish], user: discord.User | None = None) -> None:
        """Points, accuracy, rank and streaks of a player on this server."""
        assert interaction.guild_id is not None
        target: Any = user or interaction.user
        stats = await self.bot.store.trivia.player_stats(guild_id=interaction.guild_id, user_id=target.id)
        await interaction.response.send_message(
            embed=stats_embed(stats), allowed_mentions=discord.AllowedMentions.none()
        )

    # Its own top-level command (like Red's triviaset), not `/trivia settings`: Discord ignores
    # default_member_permissions on subcommands, so only a whole command can be hidden from non-admins.
    # The run-time check stays for servers that grant the command to others.
    @app_commands.command(name="triviaset")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.describe(
        time_limit="Seconds to answer each question",
        questions="Questions per game",
        reveal_answer="Show the right answer after each question",
        cooldown="Seconds between games in a channel",
    )
    async def settings(
        self,
        interaction: discord.Interaction[PhotoFinish],
        time_limit: app_commands.Range[int, TIME_LIMIT_RANGE[0], TIME_LIMIT_RANGE[1]] | None = None,
        questions: app_commands.Range[int, QUESTIONS_RANGE[0], QUESTIONS_RANGE[1]] | None = None,
        reveal_answer: bool | None = None,
        cooldown: app_commands.Range[int, COOLDOWN_RANGE[0], COOLDOWN_RANGE[1]] | None = None,
    ) -> None:
        """Show or change this server's trivia settings (Manage Server)."""
        assert interaction.guild_id is not None
        if not interaction.permissions.manage_guild:
            raise UserFacingError("You need the Manage Server permission to change trivia settings.")
        changed = {
            name: value
            for name, value in (
                ("time_limit_s", time_limit),
                ("questions_per_game", questions),
                ("reveal_answer", reveal_answer),
                ("cooldown_s", cooldown),
            )
            if value is not None
        }
        if changed:
            current = await self.bot.store.trivia.update_settings(
                guild_id=interaction.guild_id,
                time_limit_s=time_limit,
                questions_per_game=questions,
                reveal_answer=reveal_answer,
                cooldown_s=cooldown,
            )
        else:
            current = await self.bot.store.trivia.get_settings(guild_id=interaction.guild_id)
        await interaction.response.send_message(
            embed=settings_embed(current, changed=changed),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
