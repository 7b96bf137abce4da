"""/about: version, what the store covers, how fresh it is, and where it comes from."""

from __future__ import annotations

import discord

from bot.embeds.common import BRAND_COLOUR, FIELD_VALUE, FOOTER_TEXT, clip, join_within, source_lines, timestamp
from db.coverage import Coverage


def season_span(seasons: tuple[int, ...]) -> str:
    if not seasons:
        return "none"
    return ", ".join(str(s) for s in seasons) if len(seasons) <= 6 else f"{seasons[0]}–{seasons[-1]} ({len(seasons)})"


def about_embed(coverage: Coverage, *, version: str) -> discord.Embed:
    embed = discord.Embed(
        title="Photo Finish",
        description="NASCAR race facts with their sources: results, quotes, closest finishes, schedules.",
        colour=BRAND_COLOUR,
    )
    embed.add_field(name="Version", value=clip(version, 100), inline=True)
    embed.add_field(
        name="Races",
        value=f"{coverage.races} ({coverage.races_with_results} with full results)",
        inline=True,
    )
    embed.add_field(name="Results", value=str(coverage.results), inline=True)
    embed.add_field(name="Quotes", value=str(coverage.quotes), inline=True)
    embed.add_field(name="Closest finishes", value=str(coverage.notable_finishes), inline=True)
    embed.add_field(name="Drivers · tracks", value=f"{coverage.drivers} · {coverage.tracks}", inline=True)
    embed.add_field(
        name="Seasons",
        value=f"{season_span(coverage.seasons)}; with results: {season_span(coverage.seasons_with_results)}",
        inline=False,
    )
    fresh = []
    if coverage.last_load is not None:
        fresh.append(f"Data last loaded {timestamp(coverage.last_load, 'f')} ({timestamp(coverage.last_load, 'R')})")
    if coverage.last_race_update is not None:
        fresh.append(f"Latest race change {timestamp(coverage.last_race_update, 'f')}")
    embed.add_field(name="Freshness", value="\n".join(fresh) or "No data loaded yet.", inline=False)
    embed.add_field(
        name=f"Sources ({len(coverage.sources)})",
        value=join_within(source_lines(coverage.sources), FIELD_VALUE) or "none",
        inline=False,
    )
    embed.set_footer(text=clip("Every figure the bot shows names its source in brackets, e.g. [W].", FOOTER_TEXT))
    return embed
