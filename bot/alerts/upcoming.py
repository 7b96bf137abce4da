"""A guild's next reminders, as /alerts setup and /alerts status show them.

Read from the database, not from the service's planned jobs: a command answers with what it saved at
once, while the re-plan (whose writes can meet another process's write lock) runs in the background.
"""

from __future__ import annotations

import datetime as dt

from bot.alerts.batches import reminder_batches
from bot.alerts.planner import HORIZON, PlannedDelivery, reminder_decision
from db.repos.alerts import AlertStore
from db.repos.schedule import ScheduleStore


async def upcoming_reminders(
    alerts: AlertStore, schedule: ScheduleStore, guild_id: int, now: dt.datetime, limit: int = 5
) -> list[tuple[dt.datetime, str]]:
    subs = {
        s.series: s
        for s in await alerts.subscriptions(guild_id=guild_id)
        if not s.disabled_reason and "reminder" in s.kinds
    }
    if not subs:
        return []
    races = await schedule.races_starting_between(start=now, end=now + HORIZON)
    found = []
    batches = reminder_batches(races, {series: sub.leads for series, sub in subs.items()})
    for batch in sorted(batches, key=lambda b: (b.fire_at, b.id)):
        sub = subs[batch.race.series]
        if batch.fire_at < sub.updated_at:
            continue
        probe = PlannedDelivery(
            "", "reminder", batch.race, guild_id, sub.channel_id, None, sub.series, batch.lead, batch.fire_at
        )
        if reminder_decision(probe, sub, now)[0] == "wait":
            found.append((batch.fire_at, f"{batch.lead} before {batch.race.name}"))
    return found[:limit]
