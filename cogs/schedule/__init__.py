"""/next and /schedule: the next race and a season's calendar, paginated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.schedule._cog import Schedule

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Schedule(bot))
