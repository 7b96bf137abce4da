"""/trivia: games built from the store, with leaderboards and per-server settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.trivia._cog import Trivia

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Trivia(bot))
