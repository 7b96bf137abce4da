"""Discord Scheduled Events: a guild's subscription and the ledger row of each event."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from db.models import Model, Series

EventState = Literal["creating", "active", "failed", "removing", "removed", "deleted_by_admin"]


class EventSubscription(Model):
    guild_id: int
    series: Series
    disabled_reason: str | None
    created_at: dt.datetime


class GuildEvent(Model):
    guild_id: int
    race_id: int
    event_id: int | None
    state: EventState
    name: str
    start_utc: dt.datetime
    fingerprint: str
    detail: str | None
    updated_at: dt.datetime
