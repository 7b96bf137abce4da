"""The full field of a race, one page at a time (a 43-car field fits in three pages)."""

from __future__ import annotations

import discord

from bot.embeds.common import BRAND_COLOUR, EMBED_DESCRIPTION, FOOTER_TEXT, car_text, cite, clip, join_within
from bot.embeds.results import gap_or_status, status_label
from db.models import RaceResult, ResultRow

PAGE_SIZE = 15


def page_count(result: RaceResult) -> int:
    return max(1, -(-len(result.results) // PAGE_SIZE))


def clamp_page(result: RaceResult, page: int) -> int:
    return min(max(page, 0), page_count(result) - 1)


def field_line(row: ResultRow, winner: ResultRow) -> str:
    start = f" (started {row.start})" if row.start is not None else ""
    team = " · ".join(x for x in (row.team, row.make) if x)
    laps = f" · {row.laps} laps" if row.laps is not None else ""
    led = f" · led {row.laps_led}" if row.laps_led else ""
    car = car_text(row.car_number)
    line = (
        f"`{row.finish:>2}` **{clip(row.driver, 40)}**{' ' + car if car else ''}{start} · "
        f"{gap_or_status(row, winner)}{laps}{led}"
    )
    return line + (f"\n      {clip(team, 60)}" if team else "")


def field_page_embed(result: RaceResult, page: int) -> discord.Embed:
    """Page `page` (0-based, clamped) of the finishing order."""
    race = result.race
    page = clamp_page(result, page)
    rows = result.results[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    winner = result.results[0] if result.results else None
    lines = [field_line(row, winner) for row in rows] if winner else ["No finishing order stored."]
    embed = discord.Embed(
        title=clip(f"{race.season} {race.name} — full field", 256),
        description=join_within(lines, EMBED_DESCRIPTION),
        colour=BRAND_COLOUR,
    )
    sources = cite(result.sources_for("results")) or cite([race.source])
    first = page * PAGE_SIZE + 1
    last = page * PAGE_SIZE + len(rows)
    embed.set_footer(
        text=clip(
            f"Cars {first}–{last} of {len(result.results)} · page {page + 1}/{page_count(result)} · "
            f"source{sources} · {status_label(race)}",
            FOOTER_TEXT,
        )
    )
    return embed
