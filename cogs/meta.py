"""/ping (a bare round trip, the benchmarks' baseline) and /about (version, coverage, sources)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.about import about_embed

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


def package_version() -> str:
    try:
        return version("photofinish")
    except PackageNotFoundError:
        return "unknown (not installed as a package)"


class Meta(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    @app_commands.command(name="ping")
    async def ping(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """Check that the bot is answering."""
        await interaction.response.send_message("Pong!", ephemeral=True)

    @app_commands.command(name="about")
    async def about(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """What Photo Finish knows: version, data coverage and freshness, sources."""
        coverage = await self.bot.store.coverage.coverage()
        feed = self.bot.get_cog("Feed")
        syncing = getattr(feed, "loop", None) is not None
        await interaction.response.send_message(
            embed=about_embed(coverage, version=package_version(), feed_sync=syncing),
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Meta(bot))
