"""/driver: a driver's record as far as the store knows it, closest finishes and a quote.

Every figure is either known, with its source, or said to be not recorded: a 0 on this card is a 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.embeds.closest import finish_line
from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_DESCRIPTION,
    FIELD_VALUE,
    FOOTER_TEXT,
    NOT_RECORDED,
    cite,
    clip,
    day,
    join_within,
    source_lines,
    status_text,
)
from bot.embeds.quotes import attribution, blockquote
from db.models import SERIES_NAMES, NotableFinish, Quote, Series
from db.models.careers import Career, CareerResult, SeriesRecord

SHORT_SERIES: dict[str, str] = {"cup": "Cup", "xfinity": "Xfinity", "truck": "Truck"}


def career_result_line(result: CareerResult) -> str:
    status = "" if result.status.lower() == "running" else f" ({status_text(result.status)})"
    led = f", led {result.laps_led}" if result.laps_led else ""
    when = day(result.race_date) if result.race_date else str(result.season)
    return f"`P{result.finish:<2}` {result.season} {result.race_name} · {result.track} · {when}{status}{led}"


def seasons_phrase(record: SeriesRecord) -> str:
    first, last = record.first_season, record.last_season
    return str(first) if first == last else f"{first}–{last}"


def coverage_phrase(record: SeriesRecord | None, series: Series | None) -> str:
    if record is None or record.starts == 0:
        where = f" in the {SERIES_NAMES[series]}" if series else ""
        return f"No full race results are stored for this driver{where} yet."
    races = "race" if record.starts == 1 else "races"
    return (
        f"{SERIES_NAMES[record.series]}: counted from the {record.starts:,} {races} with full results stored here "
        f"({seasons_phrase(record)}){cite(record.result_sources)}: not a full career where races are missing."
    )


def unknown_tail(unknown: int, starts: int) -> str:
    if not unknown:
        return ""
    return f"\n{NOT_RECORDED} for {unknown:,} of {starts:,} starts"


def poles_value(record: SeriesRecord) -> str:
    """What is counted, with its source, and what is not recorded."""
    poles = record.poles
    if poles is None:
        return f"{NOT_RECORDED} (the source gives no start positions){cite(record.pole_sources)}"
    if record.poles_official and record.poles_from_start:
        what = f"{record.poles_official:,} recorded poles + {record.poles_from_start:,} starts from P1"
    elif record.poles_from_start:
        what = "started from pole"
    else:
        what = "recorded poles"
    return f"{poles:,} ({what}){cite(record.pole_sources)}" + unknown_tail(record.poles_unknown, record.starts)


def laps_led_value(record: SeriesRecord) -> str:
    if record.laps_led is None:
        return NOT_RECORDED
    return f"{record.laps_led:,}" + unknown_tail(record.laps_led_unknown, record.starts)


def team_value(record: SeriesRecord) -> str:
    latest = record.latest_result
    if latest is None:
        return NOT_RECORDED
    team = " · ".join(x for x in (latest.team, latest.make) if x) or f"{NOT_RECORDED} in the latest result"
    number = f" race {latest.race_number}" if latest.race_number else f" {latest.race_name}"
    return f"{team}\n(latest result: {latest.season}{number})"


def other_series_line(career: Career, shown: SeriesRecord | None) -> str | None:
    others = [r for r in career.records if r is not shown and r.starts]
    if not others:
        return None
    parts = [f"{SHORT_SERIES[r.series]} ({r.starts:,} starts, {r.wins:,} wins)" for r in others]
    return f"Also in: {', '.join(parts)} — pick one with the `series` option."


def nickname_line(career: Career) -> str | None:
    driver = career.driver
    plain = [a for a in driver.aliases if a.casefold() != driver.name.casefold()]
    sourced = [f"{n.name}{cite([n.source] if n.source else [])}" for n in driver.names]
    names = [*sourced, *plain]
    return f"Also known as: {', '.join(names)}" if names else None


def add_figures(embed: discord.Embed, record: SeriesRecord) -> None:
    for name, value in (
        ("Starts", f"{record.starts:,}"),
        ("Wins", f"{record.wins:,}"),
        ("Top 5", f"{record.top5:,}"),
        ("Top 10", f"{record.top10:,}"),
        ("Laps led", laps_led_value(record)),
        ("Poles", poles_value(record)),
    ):
        embed.add_field(name=name, value=clip(value, FIELD_VALUE), inline=True)
    embed.add_field(name=f"Team{cite(record.result_sources)}", value=clip(team_value(record), FIELD_VALUE), inline=True)


def chart_filename(driver_id: int, series: Series) -> str:
    return f"driver-{driver_id}-{series}.png"


def driver_embed(
    career: Career,
    closest: Sequence[NotableFinish],
    quote: Quote | None,
    *,
    series: Series | None = None,
    chart: str | None = None,
) -> discord.Embed:
    """The card; `chart` names an attached PNG (wins and top 10s per season) to show in it."""
    record = career.record(series)
    lines = [line for line in (nickname_line(career), coverage_phrase(record, series)) if line]
    others = other_series_line(career, record)
    if others:
        lines.append(others)
    embed = discord.Embed(
        title=clip(career.driver.name, 256),
        description=clip("\n".join(lines), EMBED_DESCRIPTION),
        colour=BRAND_COLOUR,
    )
    if record is not None and record.starts:
        add_figures(embed, record)
    if record is not None and record.wins_on_record > record.wins:
        embed.add_field(
            name="Wins on record",
            value=f"{record.wins_on_record:,} (including races whose full results are not stored)",
            inline=False,
        )
    if record is not None and record.best_finish is not None:
        embed.add_field(
            name="Best finish", value=clip(career_result_line(record.best_finish), FIELD_VALUE), inline=False
        )
    if record is not None and record.latest:
        embed.add_field(
            name=f"Latest results{cite(record.result_sources)}",
            value=join_within([career_result_line(r) for r in record.latest], FIELD_VALUE),
            inline=False,
        )
    if closest:
        embed.add_field(
            name="Closest finishes involved in",
            value=join_within([finish_line(f) for f in closest], FIELD_VALUE),
            inline=False,
        )
    if quote is not None:
        embed.add_field(
            name=f"Quote{cite([quote.source])}",
            value=clip(blockquote(quote.text, 600) + "\n" + attribution(quote), FIELD_VALUE),
            inline=False,
        )
    cited = {s.key: s for s in (record.sources if record else ())}
    for name in career.driver.names:
        if name.source is not None:
            cited.setdefault(name.source.key, name.source)
    for item in (*(s for f in closest for s in f.sources), *([quote.source] if quote else [])):
        cited.setdefault(item.key, item)
    if cited:
        embed.add_field(name="Sources", value=join_within(source_lines(cited.values()), FIELD_VALUE), inline=False)
    if chart:
        embed.set_image(url=f"attachment://{chart}")
    embed.set_footer(text=clip("Figures from stored results; see /about for coverage and freshness.", FOOTER_TEXT))
    return embed
