"""/result: a race's result with its sources, and buttons for the full field, stages and quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.results._cog import Results

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Results(bot))
