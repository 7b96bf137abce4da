"""/closest: the closest finishes, ranked only as far as the sources rank them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.charts.answer import ChartRequest, answer_with_chart
from bot.charts.specs import margins_chart
from bot.embeds.closest import CHART_FILENAME, closest_embed
from bot.errors import NotFound
from cogs._lookup import DriverOption, TrackOption
from cogs.charts import chart_renderer
from db.models import Driver, NotableFinish, Track

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


class Closest(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    @app_commands.command(name="closest")
    @app_commands.describe(
        count="How many to show (1-25, default 10)",
        track="Only finishes at this track",
        driver="Only finishes this driver won or lost",
    )
    async def closest(
        self,
        interaction: discord.Interaction[PhotoFinish],
        count: app_commands.Range[int, 1, 25] = 10,
        track: TrackOption | None = None,
        driver: DriverOption | None = None,
    ) -> None:
        """The closest finishes on record, with their margins and sources."""
        store = self.bot.store
        finishes = await store.finishes.closest_finishes(
            limit=count,
            track_id=track.id if track else None,
            driver_id=driver.id if driver else None,
        )
        scope = "".join(
            part
            for part in (
                f" at {track.name}" if track else "",
                f" involving {driver.name}" if driver else "",
            )
        )
        if not finishes:
            raise NotFound(f"No closest finishes{scope} are stored.")
        await answer_with_chart(
            interaction,
            lambda chart: closest_embed(finishes, scope=scope, requested=count, chart=chart),
            view=None,
            renderer=chart_renderer(self.bot),
            chart=await self._chart(finishes, count=count, track=track, driver=driver),
        )

    async def _chart(
        self, finishes: list[NotableFinish], *, count: int, track: Track | None, driver: Driver | None
    ) -> ChartRequest | None:
        """The margins side by side, cached by what was asked (count, track, driver)."""
        spec = margins_chart(finishes) if chart_renderer(self.bot) is not None else None
        if spec is None:
            return None
        return ChartRequest(
            key=("closest", count, track.id if track else None, driver.id if driver else None),
            spec=spec,
            version=await self.bot.store.db.data_version(),
            filename=CHART_FILENAME,
        )


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Closest(bot))
