"""/next and /schedule: the next race and a season's calendar, paginated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.schedule import (
    first_upcoming_page,
    next_race_embed,
    no_upcoming_embed,
    page_count,
    schedule_page_embed,
)
from bot.errors import NotFound
from cogs.schedule._buttons import SchedulePageButton, schedule_pager
from db.models import SERIES_NAMES

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]


class Schedule(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # Registered on the bot, not a message: pager buttons answer after a restart too.
        self.bot.add_dynamic_items(SchedulePageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(SchedulePageButton)

    @app_commands.command(name="next")
    @app_commands.describe(series="Series (default: cup)")
    async def next_race(self, interaction: discord.Interaction[PhotoFinish], series: SeriesChoice = "cup") -> None:
        """The next race: start time in your time zone, track, TV and laps."""
        now = self.bot.clock()
        view = await self.bot.store.schedule.next_races(series=series, now=now)
        embed = next_race_embed(view, now) if view.races else no_upcoming_embed(view, now)
        await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())

    @app_commands.command(name="schedule")
    @app_commands.describe(series="Series (default: cup)", season="Season, e.g. 2026 (default: this year's)")
    async def schedule(
        self,
        interaction: discord.Interaction[PhotoFinish],
        series: SeriesChoice = "cup",
        season: app_commands.Range[int, 1949, 2100] | None = None,
    ) -> None:
        """A season's race calendar with start times, TV and laps."""
        now = self.bot.clock()
        chosen = season or now.year
        view = await self.bot.store.schedule.season_schedule(series=series, season=chosen, now=now)
        if not view.races:
            if season is None:
                await interaction.response.send_message(
                    embed=no_upcoming_embed(view, now), allowed_mentions=discord.AllowedMentions.none()
                )
                return
            latest = f" The latest season I have is {view.latest_season}." if view.latest_season else ""
            raise NotFound(f"I have no {season} {SERIES_NAMES[series]} schedule.{latest}")
        page = first_upcoming_page(view, now)
        await interaction.response.send_message(
            embed=schedule_page_embed(view, chosen, page, now),
            view=schedule_pager(view, chosen, page) if page_count(view) > 1 else discord.utils.MISSING,
            allowed_mentions=discord.AllowedMentions.none(),
        )
