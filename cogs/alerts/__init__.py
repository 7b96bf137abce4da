"""/alerts: race reminders, official results and schedule changes posted to a server's channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.alerts._cog import Alerts

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Alerts(bot))
