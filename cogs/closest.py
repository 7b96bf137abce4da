"""/closest: the closest finishes, ranked only as far as the sources rank them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.charts.answer import ChartRequest, answer_with_chart
from bot.charts.specs import margins_chart
from bot.embeds.closest import CHART_FILENAME, closest_embed
from bot.embeds.common import CHOICES
from bot.errors import NotFound
from cogs._lookup import choices, resolve_driver, resolve_track
from cogs.charts import chart_renderer
from db.connection import data_version
from db.models import Driver, NotableFinish, Track

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
        await answer_with_chart(
            interaction,
            lambda chart: closest_embed(finishes, scope=scope, requested=count, chart=chart),
            view=None,
            renderer=chart_renderer(self.bot),
            chart=await self._chart(finishes, count=count, track=found_track, driver=found_driver),
        )

    async def _chart(
        self, finishes: list[NotableFinish], *, count: int, track: Track | None, driver: Driver | None
    ) -> ChartRequest | None:
        """The margins side by side, cached by what was asked (count, track, driver)."""
        spec = margins_chart(finishes) if chart_renderer(self.bot) is not None else None
        if spec is None:
            return None
        return ChartRequest(
            key=("closest", count, track.id if track else None, driver.id if driver else None),
            spec=spec,
            version=await data_version(self.bot.store.conn),
            filename=CHART_FILENAME,
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
