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
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.embeds.events import event_fields, event_ref
from bot.events.plan import WINDOW, Action, Create, Edit, EventFields, Recover, Remove, plan_guild
from db.connection import data_version
from db.events import EventStore, GuildEvent
from db.models import RaceSummary

log = logging.getLogger(__name__)

CHECK_EVERY_S = 60.0
RESYNC_EVERY = dt.timedelta(minutes=30)
UNKNOWN_EVENT = 10070
TOO_MANY_EVENTS = 30038
REASON = "Photo Finish: race schedule"


@dataclass
class GuildSyncReport:
    created: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    removed: int = 0
    failed: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the pass stopped early in this guild


class _StopGuild(Exception):
    """Discord refused the guild as a whole (permissions, event cap): stop this guild's pass."""


def can_manage_events(guild: discord.Guild) -> bool:
    """Create Events lets a bot make and edit its own events; Manage Events covers every event."""
    perms = guild.me.guild_permissions
    return bool(perms.create_events or perms.manage_events)


class EventSync:
    def __init__(self, bot: Any, events: EventStore) -> None:
        self.bot = bot
        self.events = events
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
                version = await data_version(self.bot.store.conn)
                now = self.bot.clock()
                due = self._synced_at is None or now - self._synced_at >= RESYNC_EVERY
                if due or version != self._synced_version:
                    await self.sync_all()
            except Exception:  # a pass that fails is retried at the next check; the loop must live on
                log.exception("Scheduled-event sync pass failed")
            await asyncio.sleep(CHECK_EVERY_S)

    async def sync_all(self) -> None:
        """One pass over every server that wants events (ours only, under sharding)."""
        version = await data_version(self.bot.store.conn)
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
                if isinstance(action, Recover):
                    if listing is None:
                        listing = list(await guild.fetch_scheduled_events(with_counts=False))
                    await self._recover(guild, action, listing, fields, report)
                else:
                    await self._carry_out(guild, action, fields, report)
            except _StopGuild as stop:
                report.stopped = str(stop)
                break
        return report

    async def _carry_out(
        self, guild: discord.Guild, action: Action, fields: dict[int, EventFields], report: GuildSyncReport
    ) -> None:
        if isinstance(action, Create):
            await self._create(guild, action.race, fields[action.race.id], report, claimed=False)
        elif isinstance(action, Edit):
            await self._edit(guild, action.race, action.ledger, fields[action.race.id], report)
        elif isinstance(action, Remove):
            await self.remove(guild, action.ledger, report)

    async def _create(
        self, guild: discord.Guild, race: RaceSummary, wanted: EventFields, report: GuildSyncReport, *, claimed: bool
    ) -> None:
        now = self.bot.clock()
        if not claimed and not await self.events.claim(
            guild_id=guild.id,
            race_id=race.id,
            name=wanted.name,
            start_utc=wanted.start,
            fingerprint=wanted.fingerprint,
            now=now,
        ):
            return  # the race has its row already: never a second event
        try:
            event = await guild.create_scheduled_event(
                name=wanted.name,
                description=wanted.description,
                start_time=wanted.start,
                end_time=wanted.end,
                location=wanted.location,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                reason=REASON,
            )
        except discord.HTTPException as error:
            await self._create_failed(guild, race, error, report)
            return
        await self._sent(guild.id, race.id, event.id, wanted)
        report.created.append(wanted.name)

    async def _create_failed(
        self, guild: discord.Guild, race: RaceSummary, error: discord.HTTPException, report: GuildSyncReport
    ) -> None:
        now = self.bot.clock()
        if isinstance(error, discord.Forbidden):
            await self.events.forget_claim(guild_id=guild.id, race_id=race.id)
            await self._disable(guild, "Discord refused to let me create events here (Create Events permission?).")
        if error.code == TOO_MANY_EVENTS:
            await self.events.forget_claim(guild_id=guild.id, race_id=race.id)
            raise _StopGuild("the server has Discord's maximum of 100 upcoming events")
        if error.status >= 500 or error.status == 429:
            await self.events.forget_claim(guild_id=guild.id, race_id=race.id)  # tried again next pass
            report.failed.append(f"{race.name}: Discord answered {error.status}")
            return
        # A refusal of the event itself (400 Invalid Form Body): not retried until the race changes.
        detail = f"{error.status} {error.code}: {error.text}"[:300]
        await self.events.set_state(guild_id=guild.id, race_id=race.id, state="failed", detail=detail, now=now)
        report.failed.append(f"{race.name}: {detail}")

    async def _edit(
        self, guild: discord.Guild, race: RaceSummary, row: GuildEvent, wanted: EventFields, report: GuildSyncReport
    ) -> None:
        assert row.event_id is not None
        try:
            await self.bot.http.edit_scheduled_event(
                guild.id,
                row.event_id,
                name=wanted.name,
                description=wanted.description,
                scheduled_start_time=wanted.start.isoformat(),
                scheduled_end_time=wanted.end.isoformat(),
                entity_metadata={"location": wanted.location},
                reason=REASON,
            )
        except discord.NotFound as error:
            if error.code in (UNKNOWN_EVENT, 0):
                await self._deleted_by_admin(guild.id, row)
            return
        except discord.Forbidden:
            await self._disable(guild, "Discord refused to let me edit my events here (Create Events permission?).")
        except discord.HTTPException as error:
            report.failed.append(f"{race.name}: Discord answered {error.status} to an edit")
            return
        await self._sent(guild.id, race.id, row.event_id, wanted)
        report.edited.append(wanted.name)

    async def _sent(self, guild_id: int, race_id: int, event_id: int, wanted: EventFields) -> None:
        """Record what Discord now holds for the race: its event and the fields last sent."""
        await self.events.mark_active(
            guild_id=guild_id, race_id=race_id, event_id=event_id, name=wanted.name, start_utc=wanted.start,
            fingerprint=wanted.fingerprint, now=self.bot.clock(),
        )  # fmt: skip

    async def remove(self, guild: discord.Guild, row: GuildEvent, report: GuildSyncReport) -> bool:
        """Delete one of our events: marked first, so the gateway's delete is not taken for an admin's."""
        now = self.bot.clock()
        await self.events.set_state(guild_id=guild.id, race_id=row.race_id, state="removing", detail=None, now=now)
        if row.event_id is not None:
            try:
                await self.bot.http.delete_scheduled_event(guild.id, row.event_id, reason=REASON)
            except discord.NotFound:
                pass  # already gone
            except discord.HTTPException as error:
                report.failed.append(f"{row.name}: Discord answered {error.status} to a delete")
                return False
        await self.events.set_state(guild_id=guild.id, race_id=row.race_id, state="removed", detail=None, now=now)
        report.removed += 1
        return True

    async def _recover(
        self,
        guild: discord.Guild,
        action: Recover,
        listing: list[discord.ScheduledEvent],
        fields: dict[int, EventFields],
        report: GuildSyncReport,
    ) -> None:
        """The bot stopped between claiming and recording an event: adopt it if Discord has it."""
        row, race = action.ledger, action.race
        me = self.bot.user.id if self.bot.user else None
        found = next(
            (e for e in listing if e.creator_id == me and event_ref(row.race_id) in (e.description or "")), None
        )
        if found is not None:
            # What was sent is unknown (an empty fingerprint says so): bring it up to date, or remove it.
            await self.events.mark_active(
                guild_id=guild.id, race_id=row.race_id, event_id=found.id, name=found.name,
                start_utc=found.start_time, fingerprint="", now=self.bot.clock(),
            )  # fmt: skip
            adopted = row.model_copy(update={"event_id": found.id, "state": "active", "start_utc": found.start_time})
            if race is None:
                await self.remove(guild, adopted, report)
            else:
                await self._edit(guild, race, adopted, fields[race.id], report)
            return
        if race is None:
            await self.events.forget_claim(guild_id=guild.id, race_id=row.race_id)
            return
        await self._create(guild, race, fields[race.id], report, claimed=True)

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
                    await self.remove(guild, row, report)
        return report

    async def on_event_deleted(self, event_id: int) -> None:
        """GUILD_SCHEDULED_EVENT_DELETE: ours being removed → removed; ours still wanted → an admin deleted it."""
        row = await self.events.event_by_id(event_id=event_id)
        if row is None:
            return
        if row.state == "active":
            await self._deleted_by_admin(row.guild_id, row)
        elif row.state == "removing":
            now = self.bot.clock()
            await self.events.set_state(
                guild_id=row.guild_id, race_id=row.race_id, state="removed", detail=None, now=now
            )

    async def _deleted_by_admin(self, guild_id: int, row: GuildEvent) -> None:
        log.info(
            "Event for race %d in guild %d was deleted in Discord; it will not be recreated", row.race_id, guild_id
        )
        await self.events.set_state(
            guild_id=guild_id, race_id=row.race_id, state="deleted_by_admin", detail=None, now=self.bot.clock()
        )

    async def _disable(self, guild: discord.Guild, reason: str) -> None:
        await self.events.disable(guild_id=guild.id, reason=reason, now=self.bot.clock())
        raise _StopGuild(reason)

    async def wait_idle(self) -> None:
        """Wait for a pass in progress (tests)."""
        async with self._lock:
            pass

    async def close(self) -> None:
        self.stop()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
