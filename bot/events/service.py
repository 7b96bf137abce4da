"""Keep each server's Discord Scheduled Events in step with the race schedule.

A pass reads the ledger and the schedule, plans (bot/events/plan.py) and carries the plan out one
request at a time, guild after guild, so a pass over many servers is a steady trickle rather than a
burst (the global pacing of REST requests happens in discord.py's HTTP layer). Passes run after
READY, whenever the race data version moves (checked every minute), every RESYNC_EVERY so the window
rolls forward, and on demand (/events setup). Deletions are learnt two ways: the
GUILD_SCHEDULED_EVENT_DELETE gateway event (guild_scheduled_events intent) and a 404 Unknown Guild
Scheduled Event (10070) on an edit; either way the ledger row is marked and never recreated.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

import discord

from bot.embeds.events import event_fields
from bot.events.plan import WINDOW, Recover, plan_guild
from bot.events.requests import EventRequests, GuildSyncReport, StopGuild
from db.repos.events import EventStore

log = logging.getLogger(__name__)

CHECK_EVERY_S = 60.0
RESYNC_EVERY = dt.timedelta(minutes=30)


def can_manage_events(guild: discord.Guild) -> bool:
    """Create Events lets a bot make and edit its own events; Manage Events covers every event."""
    perms = guild.me.guild_permissions
    return bool(perms.create_events or perms.manage_events)


class EventSync:
    def __init__(self, bot: Any, events: EventStore) -> None:
        self.bot = bot
        self.events = events
        self.requests = EventRequests(bot, events)
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._synced_version: int | None = None
        self._synced_at: dt.datetime | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                version = await self.bot.store.db.data_version()
                now = self.bot.clock()
                due = self._synced_at is None or now - self._synced_at >= RESYNC_EVERY
                if due or version != self._synced_version:
                    await self.sync_all()
            except Exception:  # a pass that fails is retried at the next check; the loop must live on
                log.exception("Scheduled-event sync pass failed")
            await asyncio.sleep(CHECK_EVERY_S)

    async def sync_all(self) -> None:
        """One pass over every server that wants events (ours only, under sharding)."""
        version = await self.bot.store.db.data_version()
        guild_ids = sorted({s.guild_id for s in await self.events.subscriptions() if s.disabled_reason is None})
        for guild_id in guild_ids:
            if self.bot.get_guild(guild_id) is not None:
                await self.sync_guild(guild_id)
        self._synced_version, self._synced_at = version, self.bot.clock()

    async def sync_guild(self, guild_id: int) -> GuildSyncReport:
        async with self._lock:
            return await self._sync_guild(guild_id)

    async def _sync_guild(self, guild_id: int) -> GuildSyncReport:
        report = GuildSyncReport()
        guild = self.bot.get_guild(guild_id)
        subs = [s for s in await self.events.subscriptions(guild_id=guild_id) if s.disabled_reason is None]
        if guild is None or not subs:
            return report
        now = self.bot.clock()
        if not can_manage_events(guild):
            reason = "I'm missing the Create Events permission in this server."
            await self.events.disable(guild_id=guild_id, reason=reason, now=now)
            report.stopped = reason
            return report
        ledger = await self.events.guild_events(guild_id=guild_id)
        window = await self.bot.store.schedule.races_starting_between(start=now, end=now + WINDOW)
        ledger_races = await self.events.races(race_ids=[row.race_id for row in ledger])
        fields = {r.id: event_fields(r) for r in (*window, *ledger_races.values()) if r.start_utc is not None}
        actions = plan_guild(
            window_races=window,
            ledger_races=ledger_races,
            ledger=ledger,
            series={s.series for s in subs},
            fingerprint_of={race_id: f.fingerprint for race_id, f in fields.items()},
            now=now,
        )
        listing: list[discord.ScheduledEvent] | None = None
        for action in actions:
            try:
                if isinstance(action, Recover) and listing is None:
                    listing = list(await guild.fetch_scheduled_events(with_counts=False))  # once per pass
                await self.requests.carry_out(guild, action, fields, report, listing)
            except StopGuild as stop:
                report.stopped = str(stop)
                break
        return report

    async def remove_all(self, guild_id: int, *, series: set[str] | None = None) -> GuildSyncReport:
        """/events off: remove our events for upcoming races of these series (default: all)."""
        report = GuildSyncReport()
        async with self._lock:
            guild = self.bot.get_guild(guild_id)
            if guild is None:
                return report
            now = self.bot.clock()
            rows = await self.events.guild_events(guild_id=guild_id)
            races = await self.events.races(race_ids=[r.race_id for r in rows])
            for row in rows:
                race = races.get(row.race_id)
                ours = row.state in ("active", "creating", "removing", "failed")
                if not ours or row.start_utc <= now:
                    continue
                if series is None or race is None or race.series in series:
                    await self.requests.remove(guild, row, report)
        return report

    async def on_event_deleted(self, event_id: int) -> None:
        """GUILD_SCHEDULED_EVENT_DELETE: ours being removed → removed; ours still wanted → an admin deleted it."""
        row = await self.events.event_by_id(event_id=event_id)
        if row is None:
            return
        if row.state == "active":
            await self.requests.deleted_by_admin(row.guild_id, row)
        elif row.state == "removing":
            now = self.bot.clock()
            await self.events.set_state(
                guild_id=row.guild_id, race_id=row.race_id, state="removed", detail=None, now=now
            )

    async def close(self) -> None:
        self.stop()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
