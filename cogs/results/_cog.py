"""/result: a race's result with its sources, and buttons for the full field, stages and quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.common import CHOICES, clip, race_day
from bot.embeds.results import race_facts_embed, result_embed
from bot.embeds.spoilers import result_as_chosen
from bot.errors import NotFound
from cogs._lookup import TrackOption, match_race, race_label
from cogs.results._buttons import BUTTONS, result_view
from db.models import RaceSummary, Track

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]
NONE = discord.AllowedMentions.none()


def others_note(chosen: RaceSummary, races: list[RaceSummary]) -> str | None:
    """When the track hosted more than one race that season, name the others so the user can pick."""
    others = [r for r in races if r.season == chosen.season and r.id != chosen.id]
    if not others:
        return None
    listed = "; ".join(race_label(r) for r in others[:3])
    count = len(others) + 1
    return clip(
        f"{chosen.track.name} hosted {count} races in {chosen.season}. Also: {listed} "
        "— pick one with the `race` option.",
        500,
    )


class Results(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # Registered on the bot (not a message) so buttons posted before a restart still answer.
        self.bot.add_dynamic_items(*BUTTONS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*BUTTONS)

    async def pick_race(
        self, track: Track, series: SeriesChoice, season: int | None, race: str | None
    ) -> tuple[RaceSummary, list[RaceSummary]]:
        store = self.bot.store.races
        if season is None and not race:
            # Only the season it will show (its newest with a result): the rest of the track's history is not read.
            races = await store.default_races(track_id=track.id, series=series)
        else:
            races = await store.races_at_track(track_id=track.id, series=series, season=season)
        where = f"{track.name} in {season}" if season else track.name
        if not races:
            raise NotFound(f"No {series} races stored for {where}.")
        if race:
            chosen = match_race(races, race)
            if chosen is None:
                raise NotFound(f"That race isn't one of the {series} races at {where}; pick one from the list.")
            return chosen, races
        for candidates in ([r for r in races if r.has_results], [r for r in races if r.winner]):
            if candidates:
                return candidates[0], races
        latest = races[0]
        raise NotFound(
            f"No results stored for {where} yet. Latest on the schedule: {latest.season} {latest.name}, "
            f"{race_day(latest)}."
        )

    @app_commands.command(name="result")
    @app_commands.describe(
        track="Track name or nickname, e.g. kansas, dega",
        season="Season, e.g. 2024 (default: the latest with results)",
        series="Series (default: cup)",
        race="Which race, when the track hosts more than one",
        spoilers="True: winner, field and margin behind spoiler tags (default: this server's /spoilers setting)",
    )
    async def result(
        self,
        interaction: discord.Interaction[PhotoFinish],
        track: TrackOption,
        season: app_commands.Range[int, 1949, 2100] | None = None,
        series: SeriesChoice = "cup",
        race: app_commands.Range[str, 1, 100] | None = None,
        spoilers: bool | None = None,
    ) -> None:
        """The result of a race: winner, margin, top 10, stages, cautions, with sources."""
        chosen, races = await self.pick_race(track, series, season, race)
        note = others_note(chosen, races)
        hidden = spoilers if spoilers is not None else await self.server_hides_results(interaction.guild_id)
        result = await self.bot.store.races.race_result(race_id=chosen.id)
        if result is not None:
            await interaction.response.send_message(
                content=note,
                embed=result_as_chosen(result_embed(result), result.race, hidden=hidden),
                view=result_view(result, hidden=hidden),
                allowed_mentions=NONE,
            )
            return
        facts = await self.bot.store.race_facts.race_facts(race_id=chosen.id)
        if facts is None:
            raise NotFound("That race is no longer stored; please try again.")
        embed = result_as_chosen(race_facts_embed(facts), facts.race, hidden=hidden)
        await interaction.response.send_message(content=note, embed=embed, allowed_mentions=NONE)

    async def server_hides_results(self, guild_id: int | None) -> bool:
        """The server's /spoilers setting; outside a server (a DM) results are shown."""
        if guild_id is None:
            return False
        return (await self.bot.store.spoilers.get_settings(guild_id=guild_id)).hide_results

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
        needle = current.casefold().strip()
        return [
            app_commands.Choice(name=race_label(r), value=str(r.id))
            for r in races
            if needle in race_label(r).casefold() or needle == str(r.id)
        ][:CHOICES]
