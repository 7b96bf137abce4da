"""/ping: a bare round trip (also the baseline the benchmarks compare against)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


class Meta(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    @app_commands.command(name="ping")
    async def ping(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """Check that the bot is answering."""
        await interaction.response.send_message("Pong!", ephemeral=True)


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Meta(bot))
