"""/result: a race's result with its sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.common import CHOICE_NAME, CHOICES, clip, day
from bot.embeds.results import result_embed
from bot.errors import NotFound
from db.models import RaceSummary, Track

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]


def race_label(race: RaceSummary) -> str:
    return clip(f"{race.season} · {race.name} · {day(race.race_date)}", CHOICE_NAME)


class Results(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    async def resolve_track(self, query: str) -> Track:
        track = await self.bot.store.tracks.find_track(query=query)
        if track is None:
            suggestions = await self.bot.store.tracks.search_tracks(query=query, limit=3)
            hint = f" Did you mean {', '.join(m.label for m in suggestions)}?" if suggestions else ""
            raise NotFound(f"I don't know a track called “{clip(query, 60)}”.{hint}")
        return track

    async def pick_race(self, track: Track, series: SeriesChoice, season: int | None, race: str | None) -> RaceSummary:
        races = await self.bot.store.races.races_at_track(track_id=track.id, series=series, season=season)
        if race:
            chosen = next((r for r in races if str(r.id) == race or race_label(r) == race), None)
            if chosen is None:
                raise NotFound("That race isn't at this track; pick one from the list.")
            return chosen
        with_results = [r for r in races if r.has_results]
        if with_results:
            return with_results[0]
        where = f"{track.name} in {season}" if season else track.name
        if races:
            latest = races[0]
            raise NotFound(
                f"No results stored for {where} yet. Latest on the schedule: {latest.season} {latest.name}, "
                f"{day(latest.race_date)}."
            )
        raise NotFound(f"No {series} races stored for {where}.")

    @app_commands.command(name="result")
    @app_commands.describe(
        track="Track name or nickname, e.g. kansas, dega",
        season="Season, e.g. 2024 (default: the latest with results)",
        series="Series (default: cup)",
        race="Which race, when the track hosts more than one",
    )
    async def result(
        self,
        interaction: discord.Interaction[PhotoFinish],
        track: app_commands.Range[str, 1, 100],
        season: app_commands.Range[int, 1949, 2100] | None = None,
        series: SeriesChoice = "cup",
        race: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """The result of a race: winner, margin, top 10, stages, cautions, with sources."""
        found = await self.resolve_track(track)
        chosen = await self.pick_race(found, series, season, race)
        result = await self.bot.store.races.race_result(race_id=chosen.id)
        if result is None:
            raise NotFound(f"{chosen.season} {chosen.name} has no results stored yet ({day(chosen.race_date)}).")
        await interaction.response.send_message(
            embed=result_embed(result), allowed_mentions=discord.AllowedMentions.none()
        )

    @result.autocomplete("track")
    async def track_autocomplete(
        self, interaction: discord.Interaction[PhotoFinish], current: str
    ) -> list[app_commands.Choice[str]]:
        matches = await self.bot.store.tracks.search_tracks(query=current, limit=CHOICES)
        return [app_commands.Choice(name=clip(m.label, CHOICE_NAME), value=clip(m.label, 100)) for m in matches]

    @result.autocomplete("race")
    async def race_autocomplete(
        self, interaction: discord.Interaction[PhotoFinish], current: str
    ) -> list[app_commands.Choice[str]]:
        namespace = interaction.namespace
        track = await self.bot.store.tracks.find_track(query=str(namespace.track or ""))
        if track is None:
            return []
        season = namespace.season if isinstance(namespace.season, int) else None
        series: SeriesChoice = namespace.series if namespace.series in ("cup", "xfinity", "truck") else "cup"
        races = await self.bot.store.races.races_at_track(track_id=track.id, series=series, season=season)
        needle = current.casefold()
        return [
            app_commands.Choice(name=race_label(r), value=str(r.id))
            for r in races
            if needle in race_label(r).casefold()
        ][:CHOICES]


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Results(bot))
