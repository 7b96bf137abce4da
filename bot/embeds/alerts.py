"""Alert posts (reminders, change notices, official results) and the /alerts replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.alerts.planner import Delay
from bot.embeds.common import BRAND_COLOUR, FIELD_VALUE, FOOTER_TEXT, clip, join_within, timestamp
from bot.embeds.schedule import race_fields, race_title
from bot.embeds.spoilers import result_header
from bot.embeds.spoilers import spoiler_safe as hide_result
from db.models import SERIES_NAMES, RaceResult, RaceSummary
from db.models.alerts import AlertSubscription, Delivery, Lead

KIND_LABEL = {"reminder": "reminders", "results": "results when official", "changes": "schedule changes"}
STATE_LABEL = {"sent": "sent", "claimed": "sending…", "failed": "failed", "missed": "missed"}
REF_PREFIX = "ref "
LATE_BECAUSE: dict[Delay, str] = {
    "offline": "Posted late: the bot was offline at the reminder time.",
    "busy": "Posted late: many servers were due at once, and Discord lets a bot post only so fast.",
}


@dataclass(frozen=True)
class AlertMessage:
    """What the sender posts: content with the one allowed ping, an embed, and who may be mentioned."""

    content: str | None
    embed: discord.Embed
    allowed_mentions: discord.AllowedMentions


def alert_mentions(role_id: int | None) -> discord.AllowedMentions:
    """Only the configured alert role can ping; never everyone, users or replies."""
    if role_id is None:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False)


def ref_footer(nonce: str) -> str:
    """The marker the sender looks for in channel history after a crash (never shown as a figure)."""
    return f"Photo Finish alert · {REF_PREFIX}{nonce[:12]}"


def _ping(role_id: int | None) -> str:
    return f"<@&{role_id}> " if role_id is not None else ""


def _footer(race: RaceSummary, nonce: str) -> str:
    return clip(
        f"Source: {race.source.key} · data updated {race.updated_at:%Y-%m-%d} · {ref_footer(nonce)}", FOOTER_TEXT
    )


def reminder_message(
    race: RaceSummary, *, lead: Lead, role_id: int | None, late: Delay | None, nonce: str
) -> AlertMessage:
    """The reminder; `late` says why it is posted after its time (None: on time)."""
    assert race.start_utc is not None
    when = timestamp(race.start_utc, "R")
    content = f"{_ping(role_id)}🏁 **{race.name}** at {race.track.name} starts {when}."
    embed = discord.Embed(title=clip(race_title(race), 256), colour=BRAND_COLOUR)
    embed.description = f"Reminder set {lead} before the start." + (f"\n{LATE_BECAUSE[late]}" if late else "")
    for name, value in race_fields(race):
        embed.add_field(name=name, value=value, inline=True)
    embed.set_footer(text=_footer(race, nonce))
    return AlertMessage(content=content, embed=embed, allowed_mentions=alert_mentions(role_id))


def change_message(
    race: RaceSummary, *, previous_start: dt.datetime | None, role_id: int | None, nonce: str
) -> AlertMessage:
    assert race.start_utc is not None
    content = f"{_ping(role_id)}🕒 **{race.name}** has a new start time: {timestamp(race.start_utc, 'F')}."
    embed = discord.Embed(title=clip(f"Schedule change · {race_title(race)}", 256), colour=discord.Colour.orange())
    lines = [f"**Now:** {timestamp(race.start_utc, 'F')} ({timestamp(race.start_utc, 'R')})"]
    if previous_start is not None:
        lines.append(f"**Was:** ~~{timestamp(previous_start, 'F')}~~")
    lines.append("Reminders follow the new time.")
    embed.description = "\n".join(lines)
    embed.set_footer(text=_footer(race, nonce))
    return AlertMessage(content=content, embed=embed, allowed_mentions=alert_mentions(role_id))


def results_message(
    race: RaceSummary,
    result: RaceResult | None,
    *,
    role_id: int | None,
    nonce: str,
    full: discord.Embed | None,
    spoiler_safe: bool = False,
) -> AlertMessage:
    """The official result: the /result embed when the field is stored, else the winner line.

    Spoiler-safe (the server's setting): the race's name stays visible, the winner and the field go
    behind spoiler tags, and the content line names nobody."""
    winner = result.winner.driver if result and result.winner else race.winner
    embed = full or discord.Embed(title=clip(f"{race.season} {race.name}", 256), colour=BRAND_COLOUR)
    if full is None:
        embed.description = f"{race.track.name} · official" + (f"\nWinner: **{winner}**" if winner else "")
    embed.set_footer(text=_footer(race, nonce))
    if spoiler_safe:
        content = f"{_ping(role_id)}🏆 Official: **{race.name}** (result hidden: tap the black bars to reveal)."
        return AlertMessage(
            content=content,
            embed=hide_result(embed, header=result_header(race)),
            allowed_mentions=alert_mentions(role_id),
        )
    content = f"{_ping(role_id)}🏆 Official: **{race.name}**" + (f" won by **{winner}**." if winner else ".")
    return AlertMessage(content=content, embed=embed, allowed_mentions=alert_mentions(role_id))


def test_message(*, role_id: int | None, series: str) -> AlertMessage:
    content = f"{_ping(role_id)}🔔 Test alert from Photo Finish."
    embed = discord.Embed(
        title="Alerts work here",
        description=f"{SERIES_NAMES.get(series, series)} alerts will post in this channel.",
        colour=BRAND_COLOUR,
    )
    return AlertMessage(content=content, embed=embed, allowed_mentions=alert_mentions(role_id))


def subscription_line(sub: AlertSubscription, now: dt.datetime) -> str:
    role = f" · pings <@&{sub.role_id}>" if sub.role_id else ""
    leads = " ".join(str(lead) for lead in sub.leads)
    kinds = ", ".join(KIND_LABEL[k] for k in sub.kinds)
    line = f"**{SERIES_NAMES.get(sub.series, sub.series)}** → <#{sub.channel_id}>{role}\nLeads {leads} · {kinds}"
    if sub.disabled_reason:
        line += f"\n⛔ Disabled: {sub.disabled_reason}. Run `/alerts setup` again after fixing it."
    elif sub.paused_at(now):
        until = "until you resume" if sub.paused_until is None else f"until {timestamp(sub.paused_until, 'f')}"
        line += f"\n⏸️ Paused {until}"
    return line


def delivery_line(delivery: Delivery) -> str:
    what = f"{delivery.lead} reminder" if delivery.kind == "reminder" and delivery.lead else delivery.kind
    state = STATE_LABEL[delivery.state] + (" (late)" if delivery.late else "")
    detail = f" — {clip(delivery.detail, 120)}" if delivery.detail and delivery.state != "sent" else ""
    race = delivery.race_name or f"race {delivery.race_id}"
    return f"{timestamp(delivery.fire_at, 'f')} · {race} {what}: **{state}**{detail}"


def setup_embed(sub: AlertSubscription, upcoming: Sequence[tuple[dt.datetime, str]], now: dt.datetime) -> discord.Embed:
    embed = discord.Embed(title="Alerts set up", description=subscription_line(sub, now), colour=BRAND_COLOUR)
    if upcoming:
        lines = [f"{timestamp(at, 'f')} ({timestamp(at, 'R')}) · {clip(label, 80)}" for at, label in upcoming]
        embed.add_field(name="Next alerts", value=join_within(lines, FIELD_VALUE), inline=False)
    else:
        embed.add_field(name="Next alerts", value="No race with a known start time in the next week.", inline=False)
    return embed


def status_embed(
    subs: Sequence[AlertSubscription],
    upcoming: Sequence[tuple[dt.datetime, str]],
    recent: Sequence[Delivery],
    now: dt.datetime,
) -> discord.Embed:
    if not subs:
        return discord.Embed(
            title="Alerts are off",
            description="Set them up with `/alerts setup channel:#channel`.",
            colour=BRAND_COLOUR,
        )
    embed = discord.Embed(
        title="Alerts", description=join_within([subscription_line(s, now) for s in subs], 4000), colour=BRAND_COLOUR
    )
    next_lines = [f"{timestamp(at, 'f')} ({timestamp(at, 'R')}) · {clip(label, 80)}" for at, label in upcoming]
    embed.add_field(
        name="Next firings", value=join_within(next_lines, FIELD_VALUE) or "None planned yet.", inline=False
    )
    if recent:
        embed.add_field(
            name="Recent deliveries", value=join_within([delivery_line(d) for d in recent], FIELD_VALUE), inline=False
        )
    return embed
