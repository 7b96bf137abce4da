"""No commands: owns the chart renderer's worker process for every cog that draws (started on first use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord.ext import commands

from bot.charts.pool import ChartRenderer

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


class Charts(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot
        self.renderer = ChartRenderer()

    async def cog_unload(self) -> None:
        # Bot.close() unloads every extension, so the worker process stops with the bot.
        await self.renderer.close()


def chart_renderer(bot: Any) -> ChartRenderer | None:
    """The shared renderer, or None when the charts extension is not loaded (answers go out without charts)."""
    cog = bot.get_cog("Charts")
    return cog.renderer if isinstance(cog, Charts) else None


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Charts(bot))
