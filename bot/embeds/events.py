"""Discord Scheduled Events: the event's own fields for a race, and the /events answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import discord

from bot.embeds.common import BRAND_COLOUR, EMBED_DESCRIPTION, FIELD_VALUE, clip, join_within, timestamp
from bot.events.plan import EVENT_LENGTH, EventFields
from db.models import SERIES_NAMES, RaceSummary
from db.models.events import EventSubscription, GuildEvent

# Discord's limits for scheduled events (name 1–100, description up to 1,000, location 1–100).
EVENT_NAME = 100
EVENT_DESCRIPTION = 1000
EVENT_LOCATION = 100

SERIES_SHORT = {"cup": "NASCAR Cup", "xfinity": "NASCAR Xfinity", "truck": "NASCAR Truck"}


def event_ref(race_id: int) -> str:
    """Written into the description, so the sync recognises its own event after a crash."""
    return f"ref pf-ev-{race_id}"


def event_fields(race: RaceSummary) -> EventFields:
    """The event for a race with a known start: name, track as location, start and an estimated end."""
    assert race.start_utc is not None, "only races with a start time get an event"
    exhibition = "" if race.points_race else " (exhibition)"
    name = clip(f"{SERIES_SHORT[race.series]}: {race.name}{exhibition}", EVENT_NAME)
    place = ", ".join(x for x in (race.track.city, race.track.state) if x)
    location = clip(race.track.name + (f", {place}" if place else ""), EVENT_LOCATION)
    number = (
        f"Race {race.race_number} of the {race.season} {SERIES_NAMES[race.series]} season"
        if race.race_number
        else f"{race.season} {SERIES_NAMES[race.series]}, exhibition race"
    )
    details = " · ".join(
        x
        for x in (
            f"TV: {race.tv}" if race.tv else None,
            f"{race.scheduled_laps} laps" if race.scheduled_laps else None,
            f"{race.scheduled_miles:g} miles" if race.scheduled_miles else None,
        )
        if x
    )
    hours = int(EVENT_LENGTH.total_seconds() // 3600)
    lines = [
        number + (f"\n{details}" if details else ""),
        f"Start time from {race.source.title} [{race.source.key}]. The end is an estimate ({hours} h after the "
        "start): Discord needs one.",
        "Kept in step with the schedule by Photo Finish; a server admin can remove these with /events off.",
    ]
    ref = event_ref(race.id)
    description = clip("\n\n".join(lines), EVENT_DESCRIPTION - len(ref) - 2) + "\n\n" + ref
    return EventFields(
        name=name, description=description, location=location, start=race.start_utc, end=race.start_utc + EVENT_LENGTH
    )


def _event_line(row: GuildEvent) -> str:
    state = {
        "active": "",
        "creating": " · being created",
        "failed": " · Discord refused it",
        "removing": " · being removed",
        "removed": " · removed",
        "deleted_by_admin": " · deleted by an admin (not recreated)",
    }[row.state]
    detail = f" ({clip(row.detail, 80)})" if row.detail and row.state == "failed" else ""
    return f"{timestamp(row.start_utc, 'f')} · **{clip(row.name, 80)}**{state}{detail}"


def events_status_embed(
    subscriptions: Sequence[EventSubscription], events: Sequence[GuildEvent], now: dt.datetime
) -> discord.Embed:
    """Which series the server follows and the events kept for upcoming races."""
    embed = discord.Embed(title="Race events in this server", colour=BRAND_COLOUR)
    if not subscriptions:
        embed.description = "Race events are off. Start with `/events setup`."
        return embed
    lines = []
    for sub in subscriptions:
        state = f" — paused: {clip(sub.disabled_reason, 200)}" if sub.disabled_reason else ""
        lines.append(f"**{SERIES_NAMES[sub.series]}**{state}")
    upcoming = [e for e in events if e.start_utc > now and e.state != "removed"]
    embed.description = clip("\n".join(lines), EMBED_DESCRIPTION)
    embed.add_field(
        name=f"Upcoming ({len(upcoming)})",
        value=join_within([_event_line(e) for e in upcoming], FIELD_VALUE) if upcoming else "None yet.",
        inline=False,
    )
    embed.set_footer(text="One event per race, about 8 weeks ahead; start times follow the schedule.")
    return embed


def events_off_text(series: Sequence[str], removed: int, failed: int) -> str:
    if not series:
        return "Race events weren't set up in this server."
    names = ", ".join(SERIES_NAMES[s] for s in series)
    text = f"Race events are off for {names}. I removed {removed} event{'s' if removed != 1 else ''} I had made."
    if failed:
        text += f" {failed} could not be removed now; I'll try again."
    return text
