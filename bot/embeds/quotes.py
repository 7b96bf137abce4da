"""/quote and the "quotes from this race" button: who said it, where, to whom, and the source."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_FIELDS,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FOOTER_TEXT,
    cite,
    clip,
    day,
    join_within,
    source_lines,
)
from db.models import Quote

QUOTE_TEXT = 3000


def blockquote(text: str, limit: int) -> str:
    """The words as a Discord block quote, cut at `limit` characters."""
    return "\n".join(f"> {line}" for line in clip(text, limit).splitlines() if line.strip())


def attribution(quote: Quote) -> str:
    """Who said it, and to whom or where: "— Kyle Larson, to Jamie Little (via FOX: NASCAR on X)"."""
    return f"— {quote.speaker}, to {quote.said_to}" if quote.said_to else f"— {quote.speaker}"


def race_phrase(quote: Quote) -> str | None:
    if quote.race_name is None:
        return None
    when = f", {day(quote.race_date)}" if quote.race_date else ""
    return f"{quote.race_season} {quote.race_name}{when}" if quote.race_season else f"{quote.race_name}{when}"


def quote_embed(quote: Quote, *, note: str | None = None) -> discord.Embed:
    embed = discord.Embed(description=blockquote(quote.text, QUOTE_TEXT), colour=BRAND_COLOUR)
    embed.set_author(name=clip(f"{quote.speaker}{cite([quote.source])}", FIELD_NAME))
    if quote.context:
        embed.add_field(name="Context", value=clip(quote.context, FIELD_VALUE), inline=False)
    race = race_phrase(quote)
    if race:
        embed.add_field(name="Race", value=clip(race, FIELD_VALUE), inline=True)
    embed.add_field(name="Said to", value=clip(quote.said_to or "not named by the source", FIELD_VALUE), inline=True)
    said_on = day(quote.said_on) if quote.said_on else "not given by the source"
    embed.add_field(name="Date", value=said_on, inline=True)
    embed.add_field(name="Source", value=join_within(source_lines([quote.source]), FIELD_VALUE), inline=False)
    embed.set_footer(text=clip(note or "Words verbatim from the cited source.", FOOTER_TEXT))
    return embed


def quote_list_embed(
    title: str, quotes: Sequence[Quote], *, total: int | None = None, speakers_in_names: bool = True
) -> discord.Embed:
    """Several quotes, one field each, stopping before Discord's 6,000-character embed limit.

    `speakers_in_names=False` puts each speaker inside the field's value instead ("Quote 1" as its name):
    for a spoiler-safe page, where only values go behind tags and who spoke can tell who won.
    """
    embed = discord.Embed(title=clip(title, 256), colour=BRAND_COLOUR)
    if not quotes:
        embed.description = "No quotes are stored for this race."
        return embed
    reserve = 200  # room for the footer
    shown = 0
    for number, quote in enumerate(quotes[: EMBED_FIELDS - 1], start=1):
        speaker = f"{quote.speaker}{cite([quote.source])}"
        name = clip(speaker if speakers_in_names else f"Quote {number}", FIELD_NAME)
        said_by = "" if speakers_in_names else f"**{clip(speaker, 200)}**\n"
        to = f"\n— to {quote.said_to}" if quote.said_to else ""
        value = said_by + blockquote(quote.text, FIELD_VALUE - len(said_by) - len(to) - 40) + clip(to, 200)
        if len(embed) + len(name) + len(value) + reserve > EMBED_TOTAL:
            break
        embed.add_field(name=name, value=clip(value, FIELD_VALUE), inline=False)
        shown += 1
    count = total if total is not None else len(quotes)
    more = f" · {count - shown} more with /quote" if count > shown else ""
    keys = ", ".join(dict.fromkeys(q.source.key for q in quotes[:shown]))
    embed.set_footer(text=clip(f"{shown} of {count} quotes{more} · sources: {keys}", FOOTER_TEXT))
    return embed
