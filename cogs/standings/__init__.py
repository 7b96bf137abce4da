"""/standings: NASCAR's official points after a race, the Chase/playoff picture, and the season's chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.standings._cog import Standings

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Standings(bot))
