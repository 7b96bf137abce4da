"""The planner: a pure function from races, subscriptions, the ledger and "now" to what to send when.

It never talks to Discord or the database; the service feeds it and acts on its answer, so every rule
(catch-up, pauses, change notices, results) is unit-tested here.
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


@dataclass(frozen=True)
class Missed:
    delivery: PlannedDelivery
    reason: str


@dataclass(frozen=True)
class Plan:
    scheduled: tuple[PlannedDelivery, ...]  # fire in the future: one scheduler job each
    due: tuple[PlannedDelivery, ...]  # send now: on time, or late while still useful
    missed: tuple[Missed, ...]  # record in the ledger and show in /alerts status, never send


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
    delivery: PlannedDelivery, subscription: AlertSubscription | None, now: dt.datetime
) -> tuple[Decision, str]:
    """What to do with one reminder at `now`, with the reason when it is not sent."""
    if subscription is None or subscription.disabled_reason or "reminder" not in subscription.kinds:
        return "missed", "alerts were turned off or disabled"
    if subscription.paused_at(min(now, delivery.fire_at)):
        return ("wait", "") if delivery.fire_at > now else ("missed", "alerts were paused")
    start, lead = delivery.race.start_utc, delivery.lead
    assert start is not None and lead is not None, "a reminder has a start and a lead"
    decision = catch_up(fire_at=delivery.fire_at, race_start=start, lead=lead, now=now)
    if decision == "missed":
        return decision, "the bot was offline at the reminder time and it was too late to be useful"
    return decision, ""


def _reminders(races: Iterable[RaceSummary], subscription: AlertSubscription) -> Iterable[PlannedDelivery]:
    for race in races:
        if race.series != subscription.series or race.start_utc is None:
            continue
        for lead in subscription.leads:
            fire_at = lead.before(race.start_utc)
            # Alerts apply from when they were last configured: no back-filling, no "missed" noise.
            if fire_at < subscription.updated_at:
                continue
            yield PlannedDelivery(
                key=delivery_key(
                    "reminder", race.id, race.start_utc, subscription.guild_id, subscription.channel_id, lead
                ),
                kind="reminder",
                race=race,
                guild_id=subscription.guild_id,
                channel_id=subscription.channel_id,
                role_id=subscription.role_id,
                series=subscription.series,
                lead=lead,
                fire_at=fire_at,
            )


def plan_reminders(
    races: Iterable[RaceSummary],
    subscriptions: Iterable[AlertSubscription],
    ledger: set[str],
    now: dt.datetime,
) -> Plan:
    """Every reminder not yet in the ledger: scheduled for later, due now, or missed."""
    races = list(races)
    scheduled: list[PlannedDelivery] = []
    due: list[PlannedDelivery] = []
    missed: list[Missed] = []
    for subscription in subscriptions:
        if subscription.disabled_reason or "reminder" not in subscription.kinds:
            continue
        for delivery in _reminders(races, subscription):
            if delivery.key in ledger:
                continue
            decision, reason = reminder_decision(delivery, subscription, now)
            if decision == "wait":
                scheduled.append(delivery)
            elif decision == "missed":
                missed.append(Missed(delivery, reason))
            else:
                due.append(delivery)
    by_time = sorted(scheduled, key=lambda d: (d.fire_at, d.key))
    return Plan(scheduled=tuple(by_time), due=tuple(sorted(due, key=lambda d: d.key)), missed=tuple(missed))


def _now_deliveries(
    kind: AlertKind,
    race: RaceSummary,
    subscriptions: Iterable[AlertSubscription],
    now: dt.datetime,
    previous_start: dt.datetime | None = None,
) -> list[PlannedDelivery]:
    """One delivery per active subscription of the race's series that wants this kind."""
    out = []
    for sub in subscriptions:
        if sub.series != race.series or kind not in sub.kinds or sub.disabled_reason:
            continue
        if sub.paused_at(now):
            continue
        out.append(
            PlannedDelivery(
                key=delivery_key(kind, race.id, race.start_utc, sub.guild_id, sub.channel_id, None),
                kind=kind,
                race=race,
                guild_id=sub.guild_id,
                channel_id=sub.channel_id,
                role_id=sub.role_id,
                series=sub.series,
                lead=None,
                fire_at=now,
                previous_start=previous_start,
            )
        )
    return out


def plan_change_notices(
    races: Iterable[RaceSummary],
    watch: Mapping[int, RaceWatch],
    subscriptions: Iterable[AlertSubscription],
    ledger: set[str],
    now: dt.datetime,
) -> list[PlannedDelivery]:
    """One notice per subscription when an upcoming race's start differs from the one we planned for."""
    subscriptions = list(subscriptions)
    notices = []
    for race in races:
        seen = watch.get(race.id)
        if seen is None or seen.start_utc is None or race.start_utc is None or seen.start_utc == race.start_utc:
            continue
        if race.start_utc <= now:
            continue
        notices += [
            d for d in _now_deliveries("changes", race, subscriptions, now, seen.start_utc) if d.key not in ledger
        ]
    return notices


def plan_results_alerts(
    race: RaceSummary, subscriptions: Iterable[AlertSubscription], ledger: set[str], now: dt.datetime
) -> list[PlannedDelivery]:
    """Results alerts for a race that is official; the ledger keeps each to one post."""
    if race.status != "official":
        return []
    return [d for d in _now_deliveries("results", race, subscriptions, now) if d.key not in ledger]


def newly_official(races: Iterable[RaceSummary], watch: Mapping[int, RaceWatch]) -> list[RaceSummary]:
    """Races we had seen unofficial that are official now (a safety net behind on_race_official)."""
    return [r for r in races if r.status == "official" and r.id in watch and watch[r.id].status != "official"]
