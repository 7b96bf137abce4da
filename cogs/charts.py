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
    # Not isinstance(cog, Charts): load_extension executes cogs.charts as a new module, so a cog that
    # imported this module before the extension loaded (cogs.drivers, cogs.closest) holds another Charts.
    renderer = getattr(bot.get_cog("Charts"), "renderer", None)
    return renderer if isinstance(renderer, ChartRenderer) else None


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Charts(bot))
