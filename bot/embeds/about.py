"""/about: version, what the store covers, how fresh it is, and where it comes from."""

from __future__ import annotations

import discord

from bot.embeds.common import BRAND_COLOUR, FIELD_VALUE, FOOTER_TEXT, clip, join_within, source_lines, timestamp
from db.models import OFFICIAL_POLICY, SERIES_NAMES
from db.models.coverage import Coverage, SeriesCoverage


def season_span(seasons: tuple[int, ...]) -> str:
    if not seasons:
        return "none"
    return ", ".join(str(s) for s in seasons) if len(seasons) <= 6 else f"{seasons[0]}–{seasons[-1]} ({len(seasons)})"


def runs_text(runs: tuple[tuple[int, int], ...]) -> str:
    """1949–2023, 2025: runs of consecutive seasons, so a gap shows."""
    return ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in runs) or "none"


def races(count: int) -> str:
    return f"{count:,} race{'s' if count != 1 else ''}"


def series_value(record: SeriesCoverage) -> str:
    """What the store holds for one series, season by season, and where it came from."""
    lines = []
    if record.result_seasons:
        sources = ", ".join(record.result_source_keys)
        lines.append(f"Results: {runs_text(record.result_runs)} ({races(record.races_with_results)}) · {sources}")
    if record.partial_seasons:
        sources = ", ".join(record.schedule_source_keys)
        lines.append(
            f"Schedule or winner only: {runs_text(record.partial_runs)} ({races(record.partial_races)})"
            + (f" · {sources}" if sources else "")
        )
    if record.last_import is not None:
        lines.append(f"History imported {timestamp(record.last_import, 'f')}")
    return "\n".join(lines) or "nothing stored"


def feed_value(coverage: Coverage, feed_sync: bool | None) -> str:
    synced = (
        f"last answered {timestamp(coverage.last_feed_sync, 'f')} ({timestamp(coverage.last_feed_sync, 'R')})"
        if coverage.last_feed_sync
        else "never synced"
    )
    mode = {True: "kept fresh while the bot runs (FEED_SYNC on)", False: "FEED_SYNC off", None: ""}[feed_sync]
    return " · ".join(x for x in (f"NASCAR feed {synced}", mode) if x)


def about_embed(coverage: Coverage, *, version: str, feed_sync: bool | None = None) -> discord.Embed:
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
    for record in coverage.series:
        embed.add_field(name=SERIES_NAMES[record.series], value=clip(series_value(record), FIELD_VALUE), inline=False)
    fresh = [feed_value(coverage, feed_sync)]
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
    embed.set_footer(
        text=clip(
            f"Every figure the bot shows names its source in brackets, e.g. [W]. Results are {OFFICIAL_POLICY}.",
            FOOTER_TEXT,
        )
    )
    return embed
