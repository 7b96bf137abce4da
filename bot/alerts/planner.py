"""The planner's rules, pure: delivery keys and nonces, the catch-up policy, what a reminder does at "now".

Nothing here talks to Discord or the database. Which jobs a plan needs and how each post is decided are
bot/alerts/batches.py; the service (bot/alerts/service.py) feeds both and acts on their answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from db.models import RaceSummary
from db.models.alerts import Lead, lead_minutes
from db.repos.alerts import AlertKind, AlertSubscription, RaceWatch

# Races are planned from LOOKBACK before now (to record reminders missed while the bot was down)
# to HORIZON ahead (longer than the longest lead, so every reminder gets its job in time).
LOOKBACK = dt.timedelta(days=2)
HORIZON = dt.timedelta(days=8)
# A reminder handed to us this long after its fire time still counts as on time (scheduler jitter).
ON_TIME_SLACK = dt.timedelta(minutes=1)
NONCE_LENGTH = 25  # Discord's limit for a string nonce

Decision = Literal["wait", "on_time", "late", "missed"]
# Why a reminder goes out late, or not at all: the bot was not running at its time (down, restarting), or
# it was, but so many servers were due at once that Discord's rate limit spread the posts out.
Delay = Literal["offline", "busy"]
MISSED_BECAUSE: dict[Delay, str] = {
    "offline": "the bot was offline at the reminder time and it was too late to be useful",
    "busy": "so many servers were due at once that it was too late to be useful when its turn came",
}


def delivery_key(
    kind: AlertKind,
    race_id: int,
    race_start: dt.datetime | None,
    guild_id: int,
    channel_id: int,
    lead: Lead | None,
) -> str:
    """`kind|race|start|guild|channel|lead minutes` (0: no lead): a new start makes new keys, so reminders follow it."""
    start = race_start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ") if race_start else "-"
    return f"{kind}|{race_id}|{start}|{guild_id}|{channel_id}|{lead_minutes(lead)}"


def delivery_nonce(key: str) -> str:
    """The same key always gives the same nonce, so Discord drops a re-send inside its dedup window."""
    return hashlib.sha256(key.encode()).hexdigest()[:NONCE_LENGTH]


@dataclass(frozen=True)
class PlannedDelivery:
    key: str
    kind: AlertKind
    race: RaceSummary
    guild_id: int
    channel_id: int
    role_id: int | None
    series: str
    lead: Lead | None  # reminders only
    fire_at: dt.datetime
    previous_start: dt.datetime | None = None  # change notices: the start we had announced

    @property
    def nonce(self) -> str:
        return delivery_nonce(self.key)


def catch_up(*, fire_at: dt.datetime, race_start: dt.datetime, lead: Lead, now: dt.datetime) -> Decision:
    """The catch-up policy: late only while useful (race not started, late by less than half the lead)."""
    if fire_at > now:
        return "wait"
    if now >= race_start:
        return "missed"
    lateness = now - fire_at
    if lateness <= ON_TIME_SLACK:
        return "on_time"
    if lateness < lead.delta / 2:
        return "late"
    return "missed"


def reminder_decision(
    delivery: PlannedDelivery, subscription: AlertSubscription | None, now: dt.datetime, *, delay: Delay = "offline"
) -> tuple[Decision, str]:
    """What to do with one reminder at `now`, with the reason when it is not sent (`delay`: why it is late)."""
    if subscription is None or subscription.disabled_reason or "reminder" not in subscription.kinds:
        return "missed", "alerts were turned off or disabled"
    if subscription.paused_at(min(now, delivery.fire_at)):
        return ("wait", "") if delivery.fire_at > now else ("missed", "alerts were paused")
    start, lead = delivery.race.start_utc, delivery.lead
    assert start is not None and lead is not None, "a reminder has a start and a lead"
    decision = catch_up(fire_at=delivery.fire_at, race_start=start, lead=lead, now=now)
    if decision == "missed":
        return decision, MISSED_BECAUSE[delay]
    return decision, ""


def newly_official(races: Iterable[RaceSummary], watch: Mapping[int, RaceWatch]) -> list[RaceSummary]:
    """Races we had seen unofficial that are official now (a safety net behind on_race_official)."""
    return [r for r in races if r.status == "official" and r.id in watch and watch[r.id].status != "official"]
