"""/next and /schedule: start times as Discord timestamps (each reader's own zone), track, TV, laps."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import discord

from bot.embeds.common import BRAND_COLOUR, EMBED_DESCRIPTION, FOOTER_TEXT, clip, join_within, race_day, timestamp
from db.models import SERIES_NAMES, RaceSummary
from db.models.schedule import ScheduleView

PAGE_SIZE = 10


def race_title(race: RaceSummary) -> str:
    number = f"Race {race.race_number}: " if race.race_number else ""
    return f"{number}{race.name}"


def track_local(race: RaceSummary) -> str | None:
    """The start as a wall clock at the track ("3:00 PM EDT"), DST-correct through zoneinfo."""
    if race.start_utc is None:
        return None
    local = race.start_utc.astimezone(ZoneInfo(race.track.timezone))
    hour = local.strftime("%I").lstrip("0")
    return f"{hour}:{local:%M} {local:%p} {local.tzname()} at the track"


def start_text(race: RaceSummary) -> str:
    if race.start_utc is None:
        return f"{race_day(race)} (start time not announced)"
    return f"{timestamp(race.start_utc, 'F')} ({timestamp(race.start_utc, 'R')})"


def race_fields(race: RaceSummary) -> list[tuple[str, str]]:
    """Track, start, TV and laps as (name, value) pairs; a figure we don't have is left out, never guessed."""
    fields = [("Track", race.track.name + (f"\n{race.track.city}, {race.track.state}" if race.track.city else ""))]
    start = start_text(race)
    local = track_local(race)
    fields.append(("Start", f"{start}\n{local}" if local else start))
    if race.tv:
        fields.append(("TV", race.tv))
    if race.scheduled_laps:
        miles = f" ({race.scheduled_miles:g} mi)" if race.scheduled_miles else ""
        fields.append(("Laps", f"{race.scheduled_laps}{miles}"))
    return fields


def freshness(view: ScheduleView) -> str:
    return f"data updated {view.refreshed_at:%Y-%m-%d}" if view.refreshed_at else "no data loaded"


def next_race_embed(view: ScheduleView, now: dt.datetime) -> discord.Embed:
    race = view.races[0]
    description = f"{SERIES_NAMES[race.series]} · {race.season} season" + ("" if race.points_race else " · exhibition")
    missing = [year for year in range(now.year, race.season) if year not in view.seasons]
    if missing:
        # A season is missing from the data: don't let this read as "no racing until then".
        years = ", ".join(map(str, missing))
        description += f"\nI have no {years} schedule; this is the next race I know of."
    embed = discord.Embed(title=clip(f"Next: {race_title(race)}", 256), description=description, colour=BRAND_COLOUR)
    for name, value in race_fields(race):
        embed.add_field(name=name, value=value, inline=True)
    embed.set_footer(text=clip(f"Source: {race.source.key} ({race.source.title}) · {freshness(view)}", FOOTER_TEXT))
    return embed


def no_upcoming_embed(view: ScheduleView, now: dt.datetime) -> discord.Embed:
    """Off-season, a season missing from the data, or no schedule at all: say which, and how fresh.

    "Off-season" only when this year's schedule is stored and its last race is run; a year whose schedule
    is simply not loaded says so, whatever the month.
    """
    series = SERIES_NAMES[view.series]
    last = view.last_race
    if view.latest_season is None:
        text = f"I have no {series} schedule yet."
    elif now.year not in view.seasons:
        text = f"I have no {now.year} {series} schedule, so I can't tell you what's next."
        if last is not None:
            text += f" The latest race I have is the {last.season} {last.name} on {race_day(last)}."
    elif last is not None and last.season == now.year:
        text = (
            f"The {series} is in its off-season: the {last.season} season ended with {last.name} on "
            f"{race_day(last)}. The next schedule isn't loaded yet."
        )
    else:
        text = f"No upcoming {series} race in my data."
    embed = discord.Embed(title="No race coming up", description=text, colour=BRAND_COLOUR)
    embed.set_footer(text=f"Schedule {freshness(view)}")
    return embed


def schedule_line(race: RaceSummary, now: dt.datetime) -> str:
    if race.start_utc is not None:
        when = timestamp(race.start_utc, "F")
    else:
        when = race_day(race) if race.date_known else "date not in my sources"
    # A winner is shown whenever one is stored, with or without a start time (history rows have none).
    done = " ✅" if (race.winner or race.has_results) and race.is_official else ""
    tv = f" · {race.tv}" if race.tv else ""
    laps = f" · {race.scheduled_laps} laps" if race.scheduled_laps else ""
    number = f"`{race.race_number:>2}`" if race.race_number else "`  `"
    winner = f" · won by {race.winner}" if race.winner else ""
    track = race.track.name + (f" (then {race.track_called})" if race.track_called else "")
    return f"{number} **{race.name}** · {track}\n   {when}{tv}{laps}{done}{winner}"


def page_count(view: ScheduleView) -> int:
    return max(1, math.ceil(len(view.races) / PAGE_SIZE))


def schedule_page_embed(view: ScheduleView, season: int, page: int, now: dt.datetime) -> discord.Embed:
    pages = page_count(view)
    page = min(max(page, 0), pages - 1)
    chunk = view.races[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    embed = discord.Embed(title=f"{season} {SERIES_NAMES[view.series]} schedule", colour=BRAND_COLOUR)
    embed.description = clip(join_within([schedule_line(r, now) for r in chunk], EMBED_DESCRIPTION), EMBED_DESCRIPTION)
    sources = sorted({r.source.key for r in chunk})
    embed.set_footer(
        text=clip(
            f"Page {page + 1}/{pages} · {len(view.races)} races · sources: {', '.join(sources)} · {freshness(view)}",
            FOOTER_TEXT,
        )
    )
    return embed


def first_upcoming_page(view: ScheduleView, now: dt.datetime) -> int:
    """Open the season on the page with the next race, so `/schedule` lands where fans look."""
    for index, race in enumerate(view.races):
        moment = race.start_utc or dt.datetime.combine(race.race_date, dt.time(23, 59), dt.UTC)
        if moment > now:
            return index // PAGE_SIZE
    return page_count(view) - 1
