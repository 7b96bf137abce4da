"""The Discord side of the event sync: create, edit and delete one guild's events, and what each answer means.

Every request is awaited before the next (the sync works guild after guild), and every answer lands
in the ledger: created or edited → active with the fields sent; 404 Unknown Guild Scheduled Event
(10070) on an edit → deleted by an admin, never recreated; 403 → the server's events are paused with
the reason; 30038 (the server's 100 events) → stop this guild's pass and try again later; 5xx/429 →
the claim is dropped and the race tried again on the next pass; any other refusal of the event itself
(400) → failed, until the race changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.embeds.events import event_ref
from bot.events.plan import Action, Create, Edit, EventFields, Recover, Remove
from db.models import RaceSummary
from db.models.events import GuildEvent
from db.repos.events import EventStore

log = logging.getLogger(__name__)

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


class StopGuild(Exception):
    """Discord refused the guild as a whole (permissions, event cap): stop this guild's pass."""


class EventRequests:
    def __init__(self, bot: Any, events: EventStore) -> None:
        self.bot = bot
        self.events = events

    async def carry_out(
        self,
        guild: discord.Guild,
        action: Action,
        fields: dict[int, EventFields],
        report: GuildSyncReport,
        listing: list[discord.ScheduledEvent] | None,
    ) -> None:
        if isinstance(action, Create):
            await self._create(guild, action.race, fields[action.race.id], report, claimed=False)
        elif isinstance(action, Edit):
            await self._edit(guild, action.race, action.ledger, fields[action.race.id], report)
        elif isinstance(action, Remove):
            await self.remove(guild, action.ledger, report)
        elif isinstance(action, Recover):
            assert listing is not None, "a recovery needs the guild's events"
            await self._recover(guild, action, listing, fields, report)

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
            raise StopGuild("the server has Discord's maximum of 100 upcoming events")
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
                await self.deleted_by_admin(guild.id, row)
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

    async def deleted_by_admin(self, guild_id: int, row: GuildEvent) -> None:
        log.info(
            "Event for race %d in guild %d was deleted in Discord; it will not be recreated", row.race_id, guild_id
        )
        await self.events.set_state(
            guild_id=guild_id, race_id=row.race_id, state="deleted_by_admin", detail=None, now=self.bot.clock()
        )

    async def _disable(self, guild: discord.Guild, reason: str) -> None:
        await self.events.disable(guild_id=guild.id, reason=reason, now=self.bot.clock())
        raise StopGuild(reason)
