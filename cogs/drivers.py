"""/driver: a driver's record from the store, closest finishes involving them, and a quote."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.common import CHOICES
from bot.embeds.drivers import driver_embed
from cogs._lookup import choices, resolve_driver

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
        name: app_commands.Range[str, 1, 100],
        series: SeriesChoice | None = None,
    ) -> None:
        """A driver's record in the stored races, closest finishes and a quote, with sources."""
        store = self.bot.store
        found = await resolve_driver(store, name)
        career = await store.careers.driver_career(driver=found)
        closest = await store.finishes.closest_finishes(driver_id=found.id, limit=5)
        quotes = await store.quotes.find_quotes(speaker_id=found.id, limit=1, shuffle=True)
        await interaction.response.send_message(
            embed=driver_embed(career, closest, quotes[0] if quotes else None, series=series),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @driver.autocomplete("name")
    async def name_autocomplete(
        self, interaction: discord.Interaction[PhotoFinish], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(await self.bot.store.drivers.search_drivers(query=current, limit=CHOICES))


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Drivers(bot))
