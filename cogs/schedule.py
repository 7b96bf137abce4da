"""/next and /schedule: the next race and a season's calendar, paginated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

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
from db.models import SERIES_NAMES
from db.schedule import ScheduleView

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]
PAGER_TIMEOUT_S = 600


class SchedulePager(discord.ui.View):
    """Previous/Next over a season; the pages are built from the view held here, no I/O on click."""

    def __init__(self, schedule: ScheduleView, season: int, page: int, bot: PhotoFinish) -> None:
        super().__init__(timeout=PAGER_TIMEOUT_S)
        self.schedule, self.season, self.page, self.bot = schedule, season, page, bot
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= page_count(self.schedule) - 1

    def embed(self) -> discord.Embed:
        return schedule_page_embed(self.schedule, self.season, self.page, self.bot.clock())

    async def _turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        self.page = min(max(self.page + step, 0), page_count(self.schedule) - 1)
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, +1)


class Schedule(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    @app_commands.command(name="next")
    @app_commands.describe(series="Series (default: cup)")
    async def next_race(self, interaction: discord.Interaction[PhotoFinish], series: SeriesChoice = "cup") -> None:
        """The next race: start time in your time zone, track, TV and laps."""
        now = self.bot.clock()
        view = await self.bot.store.schedule.next_races(series=series, now=now)
        embed = next_race_embed(view, now) if view.races else no_upcoming_embed(view)
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
                    embed=no_upcoming_embed(view), allowed_mentions=discord.AllowedMentions.none()
                )
                return
            latest = f" The latest season I have is {view.latest_season}." if view.latest_season else ""
            raise NotFound(f"I have no {season} {SERIES_NAMES[series]} schedule.{latest}")
        pager = SchedulePager(view, chosen, first_upcoming_page(view, now), self.bot)
        await interaction.response.send_message(
            embed=pager.embed(),
            view=pager if page_count(view) > 1 else discord.utils.MISSING,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Schedule(bot))
