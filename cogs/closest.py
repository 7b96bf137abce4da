"""/closest: the closest finishes, ranked only as far as the sources rank them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.closest import closest_embed
from bot.embeds.common import CHOICES
from bot.errors import NotFound
from cogs._lookup import choices, resolve_driver, resolve_track

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
        track: app_commands.Range[str, 1, 100] | None = None,
        driver: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """The closest finishes on record, with their margins and sources."""
        store = self.bot.store
        found_track = await resolve_track(store, track) if track else None
        found_driver = await resolve_driver(store, driver) if driver else None
        finishes = await store.finishes.closest_finishes(
            limit=count,
            track_id=found_track.id if found_track else None,
            driver_id=found_driver.id if found_driver else None,
        )
        scope = "".join(
            part
            for part in (
                f" at {found_track.name}" if found_track else "",
                f" involving {found_driver.name}" if found_driver else "",
            )
        )
        if not finishes:
            raise NotFound(f"No closest finishes{scope} are stored.")
        await interaction.response.send_message(
            embed=closest_embed(finishes, scope=scope, requested=count),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @closest.autocomplete("track")
    async def track_autocomplete(
        self, interaction: discord.Interaction[PhotoFinish], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(await self.bot.store.tracks.search_tracks(query=current, limit=CHOICES))

    @closest.autocomplete("driver")
    async def driver_autocomplete(
        self, interaction: discord.Interaction[PhotoFinish], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(await self.bot.store.drivers.search_drivers(query=current, limit=CHOICES))


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Closest(bot))
