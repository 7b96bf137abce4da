"""Fan-out batches: one job per (kind, race, start, lead) instead of one per guild, and the per-post rules.

A batch names what to announce (a reminder `lead` minutes before a race, a start-time change, an official
result for the servers with a given results delay) and when. Which servers get it is decided a page at
a time when the batch runs (bot/alerts/fanout.py), and whether each post is on time, late or missed is
decided when that post is made. Pure: no Discord, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.alerts.planner import ON_TIME_SLACK, Delay, PlannedDelivery, delivery_key, reminder_decision
from db.models import RaceSummary
from db.models.alerts import Lead, StartChange, lead_minutes
from db.repos.alerts import AlertKind, AlertSubscription, RaceWatch

RESULTS_USEFUL_FOR = dt.timedelta(days=1)
PostDecision = Literal["on_time", "late", "missed", "skip"]


@dataclass(frozen=True)
class Batch:
    kind: AlertKind
    race: RaceSummary
    fire_at: dt.datetime
    lead: Lead | None = None  # reminders only
    delay_h: int = 0  # results only: the servers whose results delay is this many hours
    previous_start: dt.datetime | None = None  # change notices: the start we had announced

    @property
    def id(self) -> str:
        start = self.race.start_utc.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ") if self.race.start_utc else "-"
        return f"batch|{self.kind}|{self.race.id}|{start}|{lead_minutes(self.lead)}|{self.delay_h}"


def reminder_batches(races: Iterable[RaceSummary], leads: Mapping[str, Iterable[Lead]]) -> list[Batch]:
    """One batch per race and lead time that some subscription of the race's series wants."""
    out = []
    for race in races:
        if race.start_utc is None:
            continue
        for lead in sorted(leads.get(race.series, ()), reverse=True):
            out.append(Batch("reminder", race, lead.before(race.start_utc), lead=lead))
    return out


def change_batches(races: Iterable[RaceSummary], watch: Mapping[int, RaceWatch], now: dt.datetime) -> list[Batch]:
    """One notice batch per upcoming race whose start differs from the one we planned for.

    This is how a move is noticed; the service records it (seen_changes) and plans the notices from what
    is recorded (notice_batches), so every process on the database tells its own servers."""
    out = []
    for race in races:
        seen = watch.get(race.id)
        if seen is None or seen.start_utc is None or race.start_utc is None or seen.start_utc == race.start_utc:
            continue
        if race.start_utc > now:
            out.append(Batch("changes", race, now, previous_start=seen.start_utc))
    return out


def watch_of(race: RaceSummary) -> RaceWatch:
    """The race as the planner saw it now, for the watch."""
    return RaceWatch(race_id=race.id, start_utc=race.start_utc, status=race.status)


def seen_changes(moved: Iterable[Batch], now: dt.datetime) -> list[StartChange]:
    """The start changes that change_batches noticed, as they are recorded for every process."""
    return [
        StartChange(race_id=b.race.id, start_utc=b.race.start_utc, previous_start=b.previous_start, seen_at=now)
        for b in moved
        if b.race.start_utc is not None and b.previous_start is not None
    ]


def notice_batches(
    races: Iterable[RaceSummary], changes: Mapping[int, Sequence[StartChange]], now: dt.datetime
) -> list[Batch]:
    """One notice batch per upcoming race whose current start was recorded as a change, by whichever process.

    Due when it was first seen; the ledger keeps each notice to one post, however many processes plan it."""
    out = []
    for race in races:
        if race.start_utc is None or race.start_utc <= now:
            continue
        change = next((c for c in changes.get(race.id, ()) if c.start_utc == race.start_utc), None)
        if change is not None:
            out.append(Batch("changes", race, change.seen_at, previous_start=change.previous_start))
    return out


def results_batches(
    race: RaceSummary, official_at: dt.datetime, delays: Iterable[int], now: dt.datetime
) -> list[Batch]:
    """One batch per results delay in use, due that many hours after the race went official."""
    out = []
    for delay in sorted(set(delays)):
        fire_at = official_at + dt.timedelta(hours=delay)
        if now - fire_at < RESULTS_USEFUL_FOR:
            out.append(Batch("results", race, fire_at, delay_h=delay))
    return out


def delivery_for(batch: Batch, sub: AlertSubscription) -> PlannedDelivery | None:
    """This subscription's delivery of the batch, or None when it does not want it."""
    race = batch.race
    if sub.series != race.series or batch.kind not in sub.kinds or sub.disabled_reason:
        return None
    if batch.kind == "reminder" and batch.lead not in sub.leads:
        return None
    if batch.kind != "results" and batch.fire_at < sub.updated_at:
        return None  # alerts apply from when they were last configured: no back-filling, no old moves
    lead = batch.lead if batch.kind == "reminder" else None
    return PlannedDelivery(
        key=delivery_key(batch.kind, race.id, race.start_utc, sub.guild_id, sub.channel_id, lead),
        kind=batch.kind,
        race=race,
        guild_id=sub.guild_id,
        channel_id=sub.channel_id,
        role_id=sub.role_id,
        series=sub.series,
        lead=lead,
        fire_at=batch.fire_at,
        previous_start=batch.previous_start,
    )


def post_decision(
    delivery: PlannedDelivery, sub: AlertSubscription | None, now: dt.datetime, *, delay: Delay = "offline"
) -> tuple[PostDecision, str]:
    """Decided as the post is made: the subscription as it is now, the clock as it reads now."""
    if delivery.kind == "reminder":
        decision, reason = reminder_decision(delivery, sub, now, delay=delay)
        return ("skip", "") if decision == "wait" else (decision, reason)
    if sub is None or sub.disabled_reason or delivery.kind not in sub.kinds:
        return "skip", ""
    if sub.paused_at(now):
        return "skip", ""
    if delivery.kind == "changes":
        start = delivery.race.start_utc
        if start is None or now >= start:
            return "missed", "the race started before the notice could be posted"
        return "on_time", ""
    if now - delivery.fire_at >= RESULTS_USEFUL_FOR:
        return "missed", "too late to post the result"
    return ("late" if now - delivery.fire_at > ON_TIME_SLACK else "on_time"), ""
