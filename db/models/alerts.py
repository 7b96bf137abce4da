"""Alert models and their row mappings: subscriptions, ledger rows, what the planner last saw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from db.models import Model, Series
from db.repos.rows import json_list, parse_utc

AlertKind = Literal["reminder", "results", "changes"]
ALERT_KINDS: tuple[AlertKind, ...] = ("reminder", "results", "changes")
DeliveryState = Literal["claimed", "sent", "failed", "missed"]
MAX_LEAD_MIN = 7 * 24 * 60
_UNITS = (("d", 24 * 60), ("h", 60), ("m", 1))


@dataclass(frozen=True, order=True)
class Lead:
    """How long before a race's start a reminder is posted: whole minutes, from 1m to 7d.

    One type from `/alerts setup leads:1h` to the posted reminder: parsed once from the admin's text
    (bot/alerts/leads.py), stored as minutes, written back as `1h` only where it is shown. Results and
    start-change notices have no lead (None), never a lead of 0.
    """

    minutes: int

    def __post_init__(self) -> None:
        if not 1 <= self.minutes <= MAX_LEAD_MIN:
            raise ValueError(f"a lead time is 1m to 7d, not {self.minutes} minutes")

    @property
    def delta(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.minutes)

    def before(self, start: dt.datetime) -> dt.datetime:
        """When the reminder for a race starting at `start` is due."""
        return start - self.delta

    def __str__(self) -> str:
        """1500 minutes → `1d1h`: how an admin would type it."""
        parts, rest = [], self.minutes
        for unit, size in _UNITS:
            amount, rest = divmod(rest, size)
            if amount:
                parts.append(f"{amount}{unit}")
        return "".join(parts)


def lead_minutes(lead: Lead | None) -> int:
    """The lead's minutes as delivery keys and the ledger write them: 0 for no lead."""
    return lead.minutes if lead is not None else 0


class AlertSubscription(Model):
    guild_id: int
    series: Series
    channel_id: int
    role_id: int | None
    leads: tuple[Lead, ...]  # longest first
    kinds: tuple[AlertKind, ...]
    paused_until: dt.datetime | None  # a pause with an end (None: not paused, or paused until resumed)
    disabled_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    paused_until_resumed: bool = False  # `/alerts pause` without an end: until `/alerts resume`

    def paused_at(self, moment: dt.datetime) -> bool:
        """Whether alerts due at `moment` fall in a pause."""
        return self.paused_until_resumed or (self.paused_until is not None and self.paused_until > moment)


class Delivery(Model):
    """One ledger row: a key is claimed once, then sent, failed or recorded as missed."""

    key: str
    kind: AlertKind
    race_id: int
    guild_id: int
    channel_id: int
    state: DeliveryState
    late: bool
    message_id: int | None
    detail: str | None
    fire_at: dt.datetime
    claimed_at: dt.datetime
    finished_at: dt.datetime | None
    lead: Lead | None  # reminders only
    attempts: int
    owner: str | None = None
    race_name: str | None = None  # filled where a reply shows the delivery


class RaceWatch(Model):
    """A race as the planner last saw it: its start and status."""

    race_id: int
    start_utc: dt.datetime | None
    status: str


class StartChange(Model):
    """A race's start moved from `previous_start` to `start_utc`, first seen at `seen_at` by any process."""

    race_id: int
    start_utc: dt.datetime
    previous_start: dt.datetime
    seen_at: dt.datetime


def subscription_from(row: Any) -> AlertSubscription:
    return AlertSubscription(
        guild_id=row["guild_id"],
        series=row["series"],
        channel_id=row["channel_id"],
        role_id=row["role_id"],
        leads=tuple(Lead(int(x)) for x in json_list(row["leads_min"])),
        kinds=tuple(k for k in json_list(row["kinds"]) if k in ALERT_KINDS),
        paused_until=parse_utc(row["paused_until"]),
        paused_until_resumed=bool(row["paused_until_resumed"]),
        disabled_reason=row["disabled_reason"],
        created_at=parse_utc(row["created_at"]),
        updated_at=parse_utc(row["updated_at"]),
    )


def delivery_from(row: Any, race_name: str | None = None) -> Delivery:
    return Delivery(
        key=row["key"],
        kind=row["kind"],
        race_id=row["race_id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        state=row["state"],
        late=bool(row["late"]),
        message_id=row["message_id"],
        detail=row["detail"],
        fire_at=parse_utc(row["fire_at"]),
        claimed_at=parse_utc(row["claimed_at"]),
        finished_at=parse_utc(row["finished_at"]),
        lead=Lead(row["lead_min"]) if row["lead_min"] else None,
        attempts=row["attempts"],
        owner=row["owner"],
        race_name=race_name,
    )
