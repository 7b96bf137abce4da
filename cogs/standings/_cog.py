"""/standings: NASCAR's official points after a race, the Chase/playoff picture, and the season's chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.charts.answer import ChartRequest, answer_with_chart
from bot.charts.specs import progression_chart
from bot.chase import ChasePicture, chase_picture
from bot.embeds.standings import (
    after_choice_label,
    chart_filename,
    not_found_message,
    page_count,
    standings_page_embed,
)
from bot.errors import NotFound
from cogs.charts import chart_renderer
from cogs.standings._buttons import StandingsPageButton, standings_pager
from db.models import Series
from db.models.standings import StandingsSnapshot
from db.repos.points_formats import format_for

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]


class Standings(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot
        self.standings_store = bot.store.standings

    async def cog_load(self) -> None:
        # Registered on the bot, not a message: pager buttons answer after a restart too.
        self.bot.add_dynamic_items(StandingsPageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(StandingsPageButton)

    @app_commands.command(name="standings")
    @app_commands.describe(
        series="Series (default: cup)",
        season="Season, e.g. 2026 (default: the latest with standings stored)",
        after="After which race of the season (its number; default: the latest stored)",
    )
    async def standings(
        self,
        interaction: discord.Interaction[PhotoFinish],
        series: SeriesChoice = "cup",
        season: app_commands.Range[int, 1949, 2100] | None = None,
        after: app_commands.Range[int, 1, 40] | None = None,
    ) -> None:
        """Official points standings: gaps to the leader and the cutoff, and who is in the Chase."""
        found = await self.standings_store.lookup(series=series, season=season, after_race=after)
        if found.snapshot is None:
            raise NotFound(not_found_message(found))
        snapshot = found.snapshot
        picture = chase_picture(snapshot, format_for(series, snapshot.season))
        await answer_with_chart(
            interaction,
            lambda chart: standings_page_embed(snapshot, picture, 0, chart=chart),
            view=standings_pager(snapshot, 0) if page_count(snapshot) > 1 else None,
            renderer=chart_renderer(self.bot),
            chart=await self._chart(snapshot, picture),
        )

    @standings.autocomplete("after")
    async def after_choices(
        self, interaction: discord.Interaction[PhotoFinish], typed: str
    ) -> list[app_commands.Choice[int]]:
        series: Series = getattr(interaction.namespace, "series", None) or "cup"
        season = getattr(interaction.namespace, "season", None)
        if season is None:
            seasons = await self.standings_store.seasons(series=series)
            season = seasons[0] if seasons else None
        stored = await self.standings_store.stored(series=series, season=season) if season else []
        labels = [(after_choice_label(s), s.after_race) for s in reversed(stored)]
        text = typed.strip().casefold()
        return [app_commands.Choice(name=label, value=number) for label, number in labels if text in label.casefold()][
            :25
        ]

    async def _chart(self, snapshot: StandingsSnapshot, picture: ChasePicture) -> ChartRequest | None:
        """The season's progression up to this race, when at least two races are stored."""
        if chart_renderer(self.bot) is None:
            return None
        progression = await self.standings_store.progression(
            series=snapshot.series, season=snapshot.season, until=snapshot.after_race
        )
        spec = progression_chart(progression, regular_season_races=picture.regular_season_races)
        if spec is None:
            return None
        return ChartRequest(
            key=("standings", snapshot.series, snapshot.season, snapshot.after_race),
            spec=spec,
            version=await self.bot.store.db.data_version(),
            filename=chart_filename(snapshot),
        )
