"""/driver: a driver's record from the store, closest finishes involving them, and a quote."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.charts.answer import ChartRequest, answer_with_chart
from bot.charts.specs import driver_seasons_chart
from bot.embeds.drivers import chart_filename, driver_embed
from cogs._lookup import DriverOption
from cogs.charts import chart_renderer
from db.models import Series
from db.models.careers import Career

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]


class Drivers(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    @app_commands.command(name="driver")
    @app_commands.describe(
        name="Driver name or nickname, e.g. Larson, The King",
        series="Series (default: the one with the most starts)",
    )
    async def driver(
        self,
        interaction: discord.Interaction[PhotoFinish],
        name: DriverOption,
        series: SeriesChoice | None = None,
    ) -> None:
        """A driver's record in the stored races, closest finishes and a quote, with sources."""
        store = self.bot.store
        career = await store.careers.driver_career(driver=name)
        closest = await store.finishes.closest_finishes(driver_id=name.id, limit=5)
        quotes = await store.quotes.find_quotes(speaker_id=name.id, limit=1, shuffle=True)
        quote = quotes[0] if quotes else None
        await answer_with_chart(
            interaction,
            lambda chart: driver_embed(career, closest, quote, series=series, chart=chart),
            view=None,
            renderer=chart_renderer(self.bot),
            chart=await self._chart(career, series),
        )

    async def _chart(self, career: Career, series: Series | None) -> ChartRequest | None:
        """Wins and top 10s per season in the series the card shows, when it has two seasons or more."""
        record = career.record(series)
        if record is None or chart_renderer(self.bot) is None:
            return None
        driver = career.driver
        seasons = await self.bot.store.driver_seasons.driver_seasons(driver_id=driver.id, series=record.series)
        spec = driver_seasons_chart(driver.name, seasons, sources=[s.key for s in record.result_sources])
        if spec is None:
            return None
        return ChartRequest(
            key=("driver", driver.id, record.series),
            spec=spec,
            version=await self.bot.store.db.data_version(),
            filename=chart_filename(driver.id, record.series),
        )


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Drivers(bot))
