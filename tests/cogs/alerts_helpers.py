"""Shared helpers for the alert tests: restarts on the same database, posts, the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord

from bot.alerts.service import AlertService
from bot.bot import PhotoFinish
from bot.clock import VirtualClock
from db.models import RaceSummary
from tests.conftest import World

DARLINGTON_START = dt.datetime(2024, 5, 12, 19, 0, tzinfo=dt.UTC)


def service_of(bot: PhotoFinish) -> AlertService:
    cog: Any = bot.get_cog("Alerts")
    assert cog is not None
    return cog.service  # type: ignore[no-any-return]


def bot_posts(channel: Any, bot_id: int) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.id == bot_id and m.interaction_metadata is None]


def posts_to(world: World, channel: Any) -> list[Any]:
    return [r for r in world.env.http_requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"]


async def darlington(bot: PhotoFinish) -> RaceSummary:
    view = await bot.store.schedule.next_races(series="cup", now=dt.datetime(2024, 5, 7, tzinfo=dt.UTC))
    race = view.races[0]
    assert race.name == "Goodyear 400"
    return race


async def restart_at(world: World, at: dt.datetime, started: list[PhotoFinish]) -> PhotoFinish:
    """Stop the running bot (as a crash would: no shutdown code runs) and start a new one on the same
    database whose clock reads `at`: the time in between is downtime."""
    clock = VirtualClock(at)
    clock.attach(world.env.now)
    bot = PhotoFinish(settings=world.bot.settings, store=world.bot.store, clock=clock, sync_policy="always")
    started.append(bot)
    await world.env.restart_bot(bot)
    return bot
