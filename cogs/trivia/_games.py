"""Running games: one per channel, each a task that waits out deadlines on the bot's (virtualisable) timers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord

from bot.embeds.trivia import question_embed, reveal_embed, standings_embed
from bot.trivia.session import EndReason, TriviaSession
from cogs.trivia._views import question_view
from db.models.trivia import AnswerRecord

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

log = logging.getLogger(__name__)

STOP_EVENT = "trivia_stop"
# A breath between a reveal and the next question, so people can read the answer.
PAUSE_BETWEEN = dt.timedelta(seconds=5)


@dataclass
class Game:
    session: TriviaSession
    channel: discord.abc.Messageable
    reveal_answer: bool
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def is_live(self) -> bool:
        """A game whose task died (a crash, a restart) is over whatever its session says."""
        return self.session.ended is None and (self.task is None or not self.task.done())


class GameRunner:
    """Owns the live games of one bot process and the cooldown clock of each channel."""

    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot
        self.by_channel: dict[int, Game] = {}
        self.by_id: dict[str, Game] = {}
        self.ended_at: dict[int, dt.datetime] = {}

    def live_game(self, channel_id: int) -> Game | None:
        game = self.by_channel.get(channel_id)
        return game if game is not None and game.is_live else None

    @contextlib.asynccontextmanager
    async def launching(self, game: Game) -> AsyncIterator[None]:
        """Hold the channel while the first question is posted; run the game only if that worked."""
        self.by_channel[game.session.channel_id] = game
        self.by_id[game.session.game_id] = game
        try:
            yield
        except BaseException:
            self.by_channel.pop(game.session.channel_id, None)
            self.by_id.pop(game.session.game_id, None)
            raise
        game.task = asyncio.create_task(self._run(game), name=f"trivia-{game.session.game_id}")

    def stop(self, game: Game, *, by: int) -> None:
        game.session.finish("stopped", by=by)
        self.bot.dispatch(STOP_EVENT, game.session.game_id)

    def stop_all(self) -> None:
        for game in list(self.by_id.values()):
            if game.task is not None:
                game.task.cancel()

    async def _wait(self, game: Game, seconds: float) -> None:
        """Sleep until the deadline or a /trivia stop, whichever comes first."""
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await self.bot.wait_for(STOP_EVENT, check=lambda gid: gid == game.session.game_id, timeout=seconds)

    async def _run(self, game: Game) -> None:
        session = game.session
        try:
            while session.ended is None:
                await self._wait(game, session.seconds_left(self.bot.clock()))
                if session.ended is not None:
                    return
                await self._close_question(game)
                if session.ended is not None:
                    return
                await self._wait(game, PAUSE_BETWEEN.total_seconds())
                if session.ended is not None:
                    return
                question = session.open_next(self.bot.clock())
                assert session.deadline is not None
                await game.channel.send(
                    embed=question_embed(
                        question, number=session.number, total=len(session.questions), deadline=session.deadline
                    ),
                    view=question_view(session.game_id, session.number, question),
                    allowed_mentions=discord.AllowedMentions.none(),
                )
        except discord.HTTPException as error:
            log.warning("Trivia game %s in channel %s ended: %s", session.game_id, session.channel_id, error)
            session.finish("failed")
        finally:
            session.finish("failed")  # no-op unless the task died some other way
            self._forget(game)

    async def _close_question(self, game: Game) -> None:
        session = game.session
        outcome = session.close()
        streaks = await self.bot.store.trivia.record_answers(
            guild_id=session.guild_id,
            question_key=outcome.question.key,
            answers=[
                AnswerRecord(user_id=a.user_id, answered_at=a.answered_at, correct=a.correct, points=a.points)
                for a in outcome.answers
            ],
        )
        embeds = [
            reveal_embed(outcome, total=len(session.questions), reveal_answer=game.reveal_answer, streaks=streaks)
        ]
        # A /trivia stop that landed meanwhile has posted its own standings.
        if session.ended is None and (session.is_abandoned or not session.has_next):
            reason: EndReason = "abandoned" if session.is_abandoned else "finished"
            session.finish(reason)
            embeds.append(standings_embed(session.standings(), reason=reason, stopped_by=None))
        await game.channel.send(embeds=embeds, allowed_mentions=discord.AllowedMentions.none())

    def _forget(self, game: Game) -> None:
        session = game.session
        self.ended_at[session.channel_id] = self.bot.clock()
        if self.by_channel.get(session.channel_id) is game:
            del self.by_channel[session.channel_id]
        self.by_id.pop(session.game_id, None)
