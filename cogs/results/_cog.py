"""/result: a race's result with its sources, and buttons for the full field, stages and quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.results import others_note, race_facts_embed, result_embed, result_problem
from bot.embeds.spoilers import result_as_chosen
from bot.errors import NotFound
from cogs._lookup import TrackOption, TrackRaceOption
from cogs.results._buttons import BUTTONS, result_view

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]
NONE = discord.AllowedMentions.none()


class Results(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # Registered on the bot (not a message) so buttons posted before a restart still answer.
        self.bot.add_dynamic_items(*BUTTONS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*BUTTONS)

    @app_commands.command(name="result")
    @app_commands.describe(
        track="Track name or nickname, e.g. kansas, dega",
        season="Season, e.g. 2024 (default: the latest with results)",
        series="Series (default: cup)",
        race="Which race, when the track hosts more than one",
        spoilers="True: winner, field and margin behind spoiler tags (default: this server's /spoilers setting)",
    )
    async def result(
        self,
        interaction: discord.Interaction[PhotoFinish],
        track: TrackOption,
        season: app_commands.Range[int, 1949, 2100] | None = None,
        series: SeriesChoice = "cup",
        race: TrackRaceOption | None = None,
        spoilers: bool | None = None,
    ) -> None:
        """The result of a race: winner, margin, top 10, stages, cautions, with sources."""
        answer = await self.bot.store.results.at_track(track=track, series=series, season=season, race=race)
        problem = result_problem(answer)
        if problem is not None:
            raise NotFound(problem)
        note = others_note(answer)
        hidden = spoilers if spoilers is not None else await self.server_hides_results(interaction.guild_id)
        if answer.result is not None:
            result = answer.result
            await interaction.response.send_message(
                content=note,
                embed=result_as_chosen(result_embed(result), result.race, hidden=hidden),
                view=result_view(result, hidden=hidden),
                allowed_mentions=NONE,
            )
            return
        assert answer.facts is not None  # result_problem says so otherwise
        embed = result_as_chosen(race_facts_embed(answer.facts), answer.facts.race, hidden=hidden)
        await interaction.response.send_message(content=note, embed=embed, allowed_mentions=NONE)

    async def server_hides_results(self, guild_id: int | None) -> bool:
        """The server's /spoilers setting; outside a server (a DM) results are shown."""
        if guild_id is None:
            return False
        return (await self.bot.store.spoilers.get_settings(guild_id=guild_id)).hide_results
