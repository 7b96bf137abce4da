"""Spoiler-safe results: a result embed with everything that tells how the race went behind ||spoiler|| tags.

What stays visible: the title (the race's name and season), a header line the caller gives (track,
date, race number: what race this is, never how it ended), field names, the footer (status and
freshness) and the colour. What is hidden: the description (winner, runner-up, margin, notes) and
every field value (top 10, stages, pole, cautions, lead changes, laps, sources — a source's headline
often names the winner). The margin is hidden too: "by 0.001 s" names nobody, but it gives the story
away (a photo finish, or a runaway) before the fan chooses to look. Images and thumbnails are
dropped, since a picture cannot be put behind a tag. Discord does not render spoiler tags in titles,
field names or footers, so builders must keep results out of those (the result builders do).

Pure: embed in, embed out; no I/O.
"""

from __future__ import annotations

import discord

from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_DESCRIPTION,
    EMBED_TOTAL,
    FIELD_VALUE,
    MESSAGE_LIMIT,
    clip,
    race_day,
    timestamp,
)
from db.models import RaceSummary
from db.repos.spoilers import SpoilerSettings

TAGS = 4  # "||" on both sides
REVEAL_HINT = "Result hidden for fans watching on replay: tap the black bars to reveal."


def spoiler(text: str, limit: int) -> str:
    """`text` behind one spoiler tag, the whole within `limit` characters.

    Code blocks are flattened (Discord shows ``` blocks through a spoiler) and a `||` already in the
    text is broken up so it cannot close the tag early.
    """
    body = text.replace("```", "").replace("||", "|\u200b|").strip()
    return f"||{clip(body, limit - TAGS)}||" if body else ""


def result_header(race: RaceSummary) -> str:
    """What race this is, never how it ended: track, day (a Discord timestamp when the start is known), number."""
    when = timestamp(race.start_utc, "D") if race.start_utc else race_day(race)
    number = f"race {race.race_number} of the {race.season} season" if race.race_number else "non-points race"
    return f"**{race.track.name}** · {when} · {number}"


def spoiler_safe(embed: discord.Embed, *, header: str) -> discord.Embed:
    """A copy of `embed` with the description and field values behind spoiler tags, within Discord's limits."""
    safe = discord.Embed(title=embed.title, colour=embed.colour, url=embed.url, timestamp=embed.timestamp)
    if embed.author.name:
        safe.set_author(name=embed.author.name, url=embed.author.url, icon_url=embed.author.icon_url)
    if embed.footer.text:
        safe.set_footer(text=embed.footer.text, icon_url=embed.footer.icon_url)
    for item in embed.fields:
        value = spoiler(item.value or "", FIELD_VALUE)
        if value:
            safe.add_field(name=item.name or "\u200b", value=value, inline=bool(item.inline))
    top = clip(f"{header}\n{REVEAL_HINT}", EMBED_DESCRIPTION)
    # Tags on every field can push a full embed past 6,000 characters: the last fields give way first.
    while safe.fields and len(safe) + len(top) > EMBED_TOTAL:
        safe.remove_field(len(safe.fields) - 1)
    budget = min(EMBED_DESCRIPTION, EMBED_TOTAL - len(safe)) - len(top) - 2
    # The description's first line often is the header itself (the result builders start with it).
    body = (embed.description or "").removeprefix(header).lstrip("\n")
    hidden = spoiler(body, budget) if budget > TAGS + 1 else ""
    safe.description = top + (f"\n\n{hidden}" if hidden else "")
    return safe


def result_as_chosen(embed: discord.Embed, race: RaceSummary, *, hidden: bool) -> discord.Embed:
    """A page of a race's result as the reader chose it: spoiler-safe, or as it is."""
    return spoiler_safe(embed, header=result_header(race)) if hidden else embed


def spoiler_text(text: str) -> str:
    """Message content (a results alert's line) behind one tag, within Discord's 2,000 characters."""
    return spoiler(text, MESSAGE_LIMIT)


def spoiler_settings_embed(settings: SpoilerSettings, *, changed: bool) -> discord.Embed:
    """/spoilers settings: the server's spoiler-safe settings, as saved."""
    hidden = "hidden behind spoiler tags (race name and track stay visible)" if settings.hide_results else "shown"
    delay = (
        f"posted {settings.results_delay_h} h after the race is official"
        if settings.results_delay_h
        else "posted as soon as the race is official"
    )
    embed = discord.Embed(
        title="Spoiler settings saved" if changed else "Spoiler settings",
        description=f"Results in this server: **{hidden}**.\nResults alerts: **{delay}**"
        + (", spoiler-safe." if settings.hide_results else "."),
        colour=BRAND_COLOUR,
    )
    embed.set_footer(text="Change with /spoilers settings hide_results:… alert_delay_hours:… (Manage Server)")
    return embed
