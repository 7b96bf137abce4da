"""/closest: the closest finishes, ranked only as far as the sources rank them."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_DESCRIPTION,
    FIELD_VALUE,
    FOOTER_TEXT,
    cite,
    clip,
    join_within,
    source_lines,
)
from db.models import SERIES_NAMES, NotableFinish

INTRO = "Closest first. Ranks are the sources' own; **T** marks a tie, **–** a finish the sources don't rank."


def rank_label(finish: NotableFinish) -> str:
    if finish.rank is None:
        return "–"
    return f"T{finish.rank}" if finish.tied else str(finish.rank)


def finish_line(finish: NotableFinish) -> str:
    who = (
        f"**{finish.winner}** over {finish.runner_up}"
        if finish.runner_up
        else f"**{finish.winner}** (runner-up not in our sources)"
    )
    extra = "" if finish.points_race else " · non-points"
    track = f"{finish.track_then} (now {finish.track})" if finish.track_then else finish.track
    return (
        f"`{rank_label(finish):>3}` **{finish.margin_s:.3f} s** — {who} · {finish.race_name}, {track}, "
        f"{finish.date_text}{extra}{cite(finish.sources)}"
    )


CHART_FILENAME = "closest-finishes.png"


def closest_embed(
    finishes: Sequence[NotableFinish], *, scope: str = "", requested: int | None = None, chart: str | None = None
) -> discord.Embed:
    """The list; `chart` names an attached PNG of the margins to show in it."""
    series = {f.series for f in finishes}
    series_name = SERIES_NAMES[next(iter(series))] if len(series) == 1 else "NASCAR"
    embed = discord.Embed(title=clip(f"Closest finishes — {series_name}{scope}", 256), colour=BRAND_COLOUR)
    lines = [finish_line(f) for f in finishes]
    if not lines:
        lines = ["No closest finishes are stored for that."]
    embed.description = join_within([INTRO, "", *lines], EMBED_DESCRIPTION)
    cited = {s.key: s for f in finishes for s in f.sources}
    if cited:
        embed.add_field(name="Sources", value=join_within(source_lines(cited.values()), FIELD_VALUE), inline=False)
    shown = f"{len(finishes)} shown" + (
        f" (only {len(finishes)} stored match)" if requested is not None and len(finishes) < requested else ""
    )
    unranked = " · – rows: the sources' ranking stops before them" if any(f.rank is None for f in finishes) else ""
    if chart:
        embed.set_image(url=f"attachment://{chart}")
    embed.set_footer(text=clip(f"{shown} · margins as published by the cited sources{unranked}", FOOTER_TEXT))
    return embed
