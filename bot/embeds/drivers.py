"""/driver: a driver's record as far as the store knows it, closest finishes and a quote."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.embeds.closest import finish_line
from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_DESCRIPTION,
    FIELD_VALUE,
    FOOTER_TEXT,
    cite,
    clip,
    day,
    join_within,
    source_lines,
)
from bot.embeds.quotes import blockquote
from db.careers import Career, CareerResult
from db.models import NotableFinish, Quote


def career_result_line(result: CareerResult) -> str:
    status = "" if result.status.lower() == "running" else f" ({result.status.lower()})"
    led = f", led {result.laps_led}" if result.laps_led else ""
    return (
        f"`P{result.finish:<2}` {result.season} {result.race_name} · {result.track} · "
        f"{day(result.race_date) if result.race_date else result.season}{status}{led}"
    )


def coverage_phrase(career: Career) -> str:
    if career.starts == 0:
        return "No full race results are stored for this driver yet."
    seasons = (
        str(career.first_season)
        if career.first_season == career.last_season
        else f"{career.first_season}–{career.last_season}"
    )
    races = "race" if career.starts == 1 else "races"
    return f"Counted from the {career.starts} {races} with full results stored here ({seasons}), not a full career."


def driver_embed(career: Career, closest: Sequence[NotableFinish], quote: Quote | None) -> discord.Embed:
    driver = career.driver
    lines = []
    aliases = [a for a in driver.aliases if a.casefold() != driver.name.casefold()]
    if aliases:
        lines.append(f"Also known as: {', '.join(aliases)}")
    lines.append(coverage_phrase(career))
    embed = discord.Embed(
        title=clip(driver.name, 256), description=clip("\n".join(lines), EMBED_DESCRIPTION), colour=BRAND_COLOUR
    )
    source = cite(career.result_sources)
    if career.starts:
        for name, value in (
            ("Starts", career.starts),
            ("Wins", career.wins),
            ("Top 5", career.top5),
            ("Top 10", career.top10),
            ("Laps led", career.laps_led),
        ):
            embed.add_field(name=name, value=str(value), inline=True)
    if career.poles or career.starts:
        embed.add_field(name="Poles", value=str(career.poles), inline=True)
    if career.wins_on_record > career.wins:
        embed.add_field(
            name="Wins on record",
            value=f"{career.wins_on_record} (including races whose full results are not stored)",
            inline=False,
        )
    if career.best_finish is not None:
        embed.add_field(
            name="Best finish", value=clip(career_result_line(career.best_finish), FIELD_VALUE), inline=False
        )
    if career.latest:
        embed.add_field(
            name=f"Latest results{source}",
            value=join_within([career_result_line(r) for r in career.latest], FIELD_VALUE),
            inline=False,
        )
    if closest:
        embed.add_field(
            name="Closest finishes involved in",
            value=join_within([finish_line(f) for f in closest], FIELD_VALUE),
            inline=False,
        )
    if quote is not None:
        said = f"\n— {quote.said_to}" if quote.said_to else ""
        embed.add_field(
            name=f"Quote{cite([quote.source])}",
            value=clip(blockquote(quote.text, 600) + said, FIELD_VALUE),
            inline=False,
        )
    cited = {s.key: s for s in career.sources}
    for item in (*(s for f in closest for s in f.sources), *([quote.source] if quote else [])):
        cited.setdefault(item.key, item)
    if cited:
        embed.add_field(name="Sources", value=join_within(source_lines(cited.values()), FIELD_VALUE), inline=False)
    embed.set_footer(text=clip("Figures from stored results; see /about for coverage and freshness.", FOOTER_TEXT))
    return embed
