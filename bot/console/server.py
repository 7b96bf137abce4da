"""The console's one offline server: the same guild, channels, roles and members at every start.

Alerts, trivia scores and settings are keyed on Discord ids, so a server with new ids each start would
lose them. simcord numbers ids from its own clock, so the server is built with that clock at one fixed
instant (FOUNDED), which gives the same ids every time; the guild's id is also pinned through
simcord's public `create_guild(id=)`. The ids are kept in the database (bot_state) and checked at each
start, so a change in how simcord numbers them is said, not silently a new server.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import discord
import simcord
from rich.console import Console
from rich.markup import escape

from bot.clock import VirtualClock
from db.repos.meta import ConsoleServerIds, MetaStore

log = logging.getLogger(__name__)

SERVER_NAME = "Photo Finish Console"
FOUNDED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
CHANNELS = ("race-chat", "race-alerts")
ROLES = {
    "Admins": discord.Permissions(manage_guild=True, manage_messages=True),
    "Race Fans": discord.Permissions.none(),
}
MEMBERS = {"admin": ("Admins",), "fan": ()}
IDS_CHANGED = (
    "The console server's ids differ from the ones kept in the database (did simcord change?); "
    "alerts and scores set up before may not show."
)


class SimulatedClockUnavailable(RuntimeError):
    """simcord no longer keeps its clock where the console sets it (simcord is pinned; see set_simulated_clock)."""


def set_simulated_clock(env: simcord.Env, instant: dt.datetime) -> None:
    """Make simcord's own clock (ids, message times) read `instant` from now on.

    simcord 3.2 (pinned) starts its clock at 2026-01-01 and offers no setting for it; its clock is
    `epoch + elapsed` with the epoch in the private `_epoch`. tests/bot/console/test_simcord_privates.py
    fails loudly if a new simcord moves it.
    """
    clock = getattr(env.backend, "clock", None)
    if clock is None or not hasattr(clock, "_epoch") or not hasattr(clock, "elapsed"):
        raise SimulatedClockUnavailable("simcord's clock has no _epoch/elapsed any more")
    clock._epoch = instant - dt.timedelta(seconds=clock.elapsed)


@dataclass
class ConsoleServer:
    guild: Any  # simcord.GuildHandle
    channels: dict[str, Any]
    roles: dict[str, Any]
    members: dict[str, Any]  # simcord.MemberActor by persona

    def ids(self) -> ConsoleServerIds:
        return ConsoleServerIds(
            guild=self.guild.id,
            channels={name: c.id for name, c in self.channels.items()},
            roles={name: r.id for name, r in self.roles.items()},
            members={name: m.id for name, m in self.members.items()},
        )


def build_server(env: simcord.Env, *, guild_id: int | None = None) -> ConsoleServer:
    """The server, created in a fixed order (the order decides the ids)."""
    guild = env.create_guild(name=SERVER_NAME, id=guild_id)
    channels = {name: guild.create_text_channel(name) for name in CHANNELS}
    roles = {name: guild.create_role(name, permissions=permissions) for name, permissions in ROLES.items()}
    members = {
        name: guild.add_member(env.create_user(name), roles=[roles[role] for role in member_roles])
        for name, member_roles in MEMBERS.items()
    }
    return ConsoleServer(guild=guild, channels=channels, roles=roles, members=members)


async def open_server(env: simcord.Env, meta: MetaStore, *, start: dt.datetime) -> tuple[ConsoleServer, str | None]:
    """Build the console server as it was last time, then set simcord's clock to `start`.

    Returns the server and a note to print when its ids could not be kept. Nothing awaits between the
    clock settings, so no bot work sees simcord's clock at FOUNDED.
    """
    saved = await meta.get_console_server()
    note = None
    try:
        set_simulated_clock(env, FOUNDED)
        server = build_server(env, guild_id=saved.guild if saved else None)
        set_simulated_clock(env, start)
    except SimulatedClockUnavailable as error:
        log.warning(
            "simcord's clock cannot be set: ids will not be stable and message times not follow --now (%s)", error
        )
        server = build_server(env, guild_id=saved.guild if saved else None)
    ids = server.ids()
    if saved != ids:
        if saved is not None:
            note = IDS_CHANGED
        await meta.set_console_server(ids)
    return server, note


@asynccontextmanager
async def console_env(bot: Any, clock: VirtualClock, out: Console) -> AsyncIterator[tuple[simcord.Env, ConsoleServer]]:
    """simcord around the bot, with the console server built before the bot connects.

    As on Discord, the bot then finds its server in the guild cache when it is ready, so the alert
    planner's first run at startup (which only plans for guilds it can see) already covers it.
    """
    env = simcord.Env(bot, check_errors=False, settle_timeout=30.0)
    server, note = await open_server(env, MetaStore(bot.store.db), start=clock())
    if note:
        out.print(f"[yellow]{escape(note)}[/yellow]")
    clock.attach(env.now)
    await env.start()
    try:
        with env.time_context():
            yield env, server
    finally:
        await env.shutdown()
