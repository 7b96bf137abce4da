"""simcord's scheduled events, held to Discord's own rules, and helpers for the /events tests.

simcord stores scheduled events but checks only the entity type's required fields, so the tests wrap
its backend with what Discord enforces: name 1-100 and location 1-100 characters, description up to
1,000, a start in the future (the bot's clock is Discord's "now" here), an end after the start, a
started event's start left alone, and at most 100 scheduled or active events per guild (30038).
Refusals come back as Discord's errors (400 Invalid Form Body 50035, 400 30038), through the same
HTTP layer discord.py reads real answers from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from simcord.backend import errors
from simcord.backend.errors import BackendError

from bot.bot import PhotoFinish
from bot.events.service import EventSync
from tests.conftest import World

GUILD_EVENT_CAP = 100


def _moment(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def enforce_discord_event_rules(world: World) -> list[dict[str, Any]]:
    """Wrap the backend's create/edit; returns the list of refusals the fake answered (for assertions)."""
    backend = world.env.backend
    clock: Callable[[], dt.datetime] = world.clock
    create, edit = backend.create_scheduled_event, backend.edit_scheduled_event
    refused: list[dict[str, Any]] = []

    def check(name: str, description: str | None, metadata: dict[str, str] | None, start: str, end: str | None) -> None:
        problems: dict[str, str] = {}
        location = (metadata or {}).get("location")
        if not 1 <= len(name) <= 100:
            problems["name"] = "Must be between 1 and 100 in length."
        if description is not None and len(description) > 1000:
            problems["description"] = "Must be 1000 or fewer in length."
        if location is None or not 1 <= len(location) <= 100:
            problems["entity_metadata.location"] = "Must be between 1 and 100 in length."
        begins, ends = _moment(start), _moment(end)
        if begins is None or begins <= clock():
            problems["scheduled_start_time"] = "Cannot schedule event in the past."
        if ends is None or (begins is not None and ends <= begins):
            problems["scheduled_end_time"] = "Cannot schedule event to end before starting."
        if problems:
            refused.append(problems)
            raise errors.invalid_form_body(", ".join(problems), errors=problems)

    def checked_create(guild_id: int, **fields: Any) -> Any:
        check(
            fields["name"],
            fields.get("description"),
            fields.get("entity_metadata"),
            fields["scheduled_start_time"],
            fields.get("scheduled_end_time"),
        )
        live = [e for e in backend.get_guild(guild_id).scheduled_events.values() if e.status in (1, 2)]
        if len(live) >= GUILD_EVENT_CAP:
            refused.append({"cap": "30038"})
            raise BackendError(400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)")
        return create(guild_id, **fields)

    def checked_edit(guild_id: int, event_id: int, changes: dict[str, Any]) -> Any:
        event = backend.get_scheduled_event(guild_id, event_id)  # 404 10070 when it is gone
        if "scheduled_start_time" in changes and event.status != 1:
            refused.append({"status": "started"})
            raise errors.invalid_form_body("Cannot change the start of an active event")
        merged = {**vars(event), **changes}
        check(
            merged["name"],
            merged.get("description"),
            merged.get("entity_metadata"),
            merged["scheduled_start_time"],
            merged.get("scheduled_end_time"),
        )
        return edit(guild_id, event_id, changes)

    backend.create_scheduled_event = checked_create
    backend.edit_scheduled_event = checked_edit
    return refused


def guild_events(world: World) -> list[Any]:
    """The events Discord holds for the test guild, in start order."""
    events = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    return sorted(events, key=lambda e: (e.scheduled_start_time, e.id))


def requests(world: World, method: str) -> int:
    return sum(1 for r in world.env.http_requests if r.method == method and "/scheduled-events" in r.path)


def event_sync(bot: PhotoFinish) -> EventSync:
    cog = bot.get_cog("Events")
    assert cog is not None
    sync = cog.sync  # type: ignore[attr-defined]
    assert isinstance(sync, EventSync)
    return sync
