"""/standings: official points, gaps to the leader and the cutoff, and the Chase/playoff status, paged."""

from __future__ import annotations

import math

import discord

from bot.chase import ChasePicture, Placing
from bot.embeds.common import (
    BRAND_COLOUR,
    CHOICE_NAME,
    EMBED_DESCRIPTION,
    FOOTER_TEXT,
    cite,
    clip,
    join_within,
    race_day,
)
from db.models import SERIES_NAMES
from db.models.standings import StandingsLookup, StandingsSnapshot, StoredStandings

PAGE_SIZE = 20  # a 16-driver cutoff line lands on the first page

STATUS_TEXT = {
    "in": "in",
    "in_on_win": "in on a win",
    "out": "out",
    "qualified": "made it",
    "missed": "missed it",
}


def page_count(snapshot: StandingsSnapshot) -> int:
    return max(1, math.ceil(len(snapshot.rows) / PAGE_SIZE))


def clamp_page(snapshot: StandingsSnapshot, page: int) -> int:
    return min(max(page, 0), page_count(snapshot) - 1)


def chart_filename(snapshot: StandingsSnapshot) -> str:
    return f"standings-{snapshot.series}-{snapshot.season}-{snapshot.after_race}.png"


def _status(placing: Placing, picture: ChasePicture) -> str:
    if placing.status is None:
        return ""
    if placing.status == "postseason":
        name = picture.fmt.name if picture.fmt else ""
        return " · in the Chase" if "Chase" in name else " · in the playoffs"
    text = STATUS_TEXT[placing.status]
    if placing.cutoff_gap is not None:
        side = "above" if placing.cutoff_gap > 0 else ("on" if placing.cutoff_gap == 0 else "below")
        amount = f"{abs(placing.cutoff_gap)} " if placing.cutoff_gap else ""
        text += f", {amount}{side} the line" if side != "on" else ", level with the line"
    return f" · {text}"


def standing_line(placing: Placing, picture: ChasePicture) -> str:
    row = placing.row
    car = f" #{row.car_number}" if row.car_number else ""
    gap = " · leader" if placing.gap_leader == 0 and row.position == 1 else f" (−{placing.gap_leader})"
    wins = f" · {row.wins} win{'s' if row.wins != 1 else ''}" if row.wins else ""
    return (
        f"`{row.position:>2}` **{clip(row.driver, 40)}**{car} · {row.points} pts{gap}{wins}{_status(placing, picture)}"
    )


def _format_line(picture: ChasePicture, season: int) -> str:
    fmt = picture.fmt
    if fmt is None:
        return f"_No championship format on record for {season}: no cutoff shown._"
    after = f" after {picture.regular_season_races} races" if picture.regular_season_races else ""
    win = f"; a win pays {fmt.win_points}" if fmt.win_points else ""
    checked = "" if fmt.verified else " (press reports, not checked against NASCAR's own page)"
    if fmt.entry == "points":
        return f"{fmt.name}: the top {fmt.field} on points{after} make it{win}{cite(fmt.sources)}{checked}"
    return (
        f"{fmt.name}: {fmt.field} drivers{after}, race winners in the top 30 first, then points{win}"
        f"{cite(fmt.sources)}{checked}; in or out as NASCAR's feed projects it."
    )


def _phase_line(picture: ChasePicture, snapshot: StandingsSnapshot) -> str | None:
    fmt = picture.fmt
    if fmt is None or picture.phase is None:
        return None
    if picture.phase == "regular" and picture.regular_season_races:
        return f"Regular season: {snapshot.after_race} of {picture.regular_season_races} races run."
    if picture.phase == "set":
        return f"The regular season is over: the {fmt.name} field is set."
    if picture.phase == "postseason":
        return f"{fmt.name}: race {snapshot.after_race}."
    return None


def _after_line(snapshot: StandingsSnapshot) -> str:
    race = snapshot.race
    where = f": {race.name} ({race.track.name}, {race_day(race)})" if race else ""
    if snapshot.official:
        return f"Official points after race {snapshot.after_race}{where}."
    return f"**Live points during race {snapshot.after_race}**{where}: unofficial until NASCAR posts the final points."


def standings_page_embed(
    snapshot: StandingsSnapshot, picture: ChasePicture, page: int, *, chart: str | None = None
) -> discord.Embed:
    """Page `page` (0-based, clamped) of the standings; `chart` names an attached PNG to show."""
    page = clamp_page(snapshot, page)
    placings = picture.placings[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines: list[str] = []
    for placing in placings:
        lines.append(standing_line(placing, picture))
        if picture.line_after is not None and placing.row.position == picture.line_after and picture.fmt:
            lines.append(f"── cutoff: the top {picture.fmt.field} make {picture.fmt.name} ──")
    head = [_after_line(snapshot), _format_line(picture, snapshot.season)]
    phase = _phase_line(picture, snapshot)
    if phase:
        head.append(phase)
    header = "\n".join(head) + "\n\n"
    body = join_within(lines, EMBED_DESCRIPTION - len(header)) if lines else "No drivers in these standings."
    embed = discord.Embed(
        title=clip(f"{snapshot.season} {SERIES_NAMES[snapshot.series]} standings", 256),
        description=clip(header + body, EMBED_DESCRIPTION),
        colour=BRAND_COLOUR,
    )
    if chart:
        embed.set_image(url=f"attachment://{chart}")
    first, last = page * PAGE_SIZE + 1, page * PAGE_SIZE + len(placings)
    state = "official" if snapshot.official else "live, unofficial"
    embed.set_footer(
        text=clip(
            f"Drivers {first}–{last} of {len(snapshot.rows)} · page {page + 1}/{page_count(snapshot)} · "
            f"source: {snapshot.source.key} ({snapshot.source.title}) · fetched {snapshot.fetched_at:%Y-%m-%d %H:%M} "
            f"UTC · {state}",
            FOOTER_TEXT,
        )
    )
    return embed


def stored_list(stored: list[StoredStandings]) -> str:
    """ "after races 9, 10, 11 (11 live)" for "not stored" messages."""
    numbers = ", ".join(str(s.after_race) for s in stored[-12:])
    more = "…, " if len(stored) > 12 else ""
    live = [str(s.after_race) for s in stored if not s.official]
    return f"after race{'s' if len(stored) > 1 else ''} {more}{numbers}" + (
        f" ({', '.join(live)} live)" if live else ""
    )


NEVER_RECOMPUTED = (
    "Standings come from NASCAR's points feed when the feed sync stores them; I never work them out from results."
)


def not_found_message(found: StandingsLookup) -> str:
    """Why there are no standings to show, and what is stored instead."""
    name = SERIES_NAMES[found.series]
    if found.season is None:
        return f"I have no official {name} standings stored yet. {NEVER_RECOMPUTED}"
    if found.stored:
        return (
            f"I have no {found.season} {name} standings after race {found.after_race}; "
            f"I have them {stored_list(list(found.stored))}."
        )
    seasons = f" Seasons I have: {', '.join(map(str, found.seasons[:10]))}." if found.seasons else ""
    return f"I have no official {found.season} {name} standings stored.{seasons} {NEVER_RECOMPUTED}"


def after_choice_label(stored: StoredStandings) -> str:
    """An autocomplete choice: "After race 11 · The Real Heroes 400 (live)"."""
    label = f"After race {stored.after_race}" + (f" · {stored.race_name}" if stored.race_name else "")
    return clip(label + ("" if stored.official else " (live)"), CHOICE_NAME)
