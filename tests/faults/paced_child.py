"""A bot process whose fan-out goes through real discord.py over HTTP to the fake Discord.

Run: python -m tests.faults.paced_child DB URL WALL_EPOCH FIRE_AT PACER [SHARD_COUNT SHARD_IDS]

Unlike fanout_child.py (channels that post over plain HTTP), every request here is made by discord.py's
own HTTPClient in PhotoFinish, with its retries, its global lock and its 5xx handling, so the pacing is
measured where it matters. Only the gateway is missing: the guilds are put in the cache as READY would
(the alert channel of every other guild is left out, so those are fetched with GET /channels/{id}).
PACER is "gate" (PhotoFinish's RestGate in discord.py's session) or "bucket" (how main paced: no gate,
a TokenBucket at SEND_RATE before each first send), for bench/pacing.py's before and after.
The clock is the wall clock shifted so that WALL_EPOCH reads FIRE_AT, as in fanout_child.py. With
SHARD_COUNT and SHARD_IDS (comma-separated) the bot runs those shards: it posts for their guilds only and
paces at their share of the budget, as a process of a sharded bot does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import sys
import time
from typing import Any

import discord

from bot.alerts.limiter import Limiter, TokenBucket
from bot.bot import PhotoFinish
from bot.pacing import DISCORD_GLOBAL_RATE
from bot.settings import Settings
from cogs.alerts._cog import alert_service
from db.storage.backend import open_db
from db.store import Store
from tests.faults.fake_discord import channel_payload, user_payload

PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True, read_message_history=True)


def guild_payload(guild_id: int, *, with_channel: bool) -> dict[str, Any]:
    everyone = {"id": str(guild_id), "name": "@everyone", "permissions": str(PERMISSIONS.value), "position": 0}
    me = {
        "user": user_payload(),
        "roles": [],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }
    return {
        "id": str(guild_id),
        "name": f"guild {guild_id}",
        "roles": [everyone],
        "members": [me],
        "channels": [channel_payload(guild_id + 1, guild_id=guild_id)] if with_channel else [],
    }


async def cache_guilds(bot: PhotoFinish) -> int:
    state = bot._connection
    subscribed = sorted({s.guild_id for s in await bot.store.alerts.subscriptions()})
    for index, guild_id in enumerate(subscribed):
        state._add_guild(discord.Guild(data=guild_payload(guild_id, with_channel=index % 2 == 0), state=state))  # type: ignore[arg-type]
    return len(subscribed)


async def run(
    db: str, url: str, wall_epoch: float, fire_at: dt.datetime, pacer: str, shards: dict[str, Any]
) -> dict[str, Any]:
    # Point real discord.py at the fake. The bot itself names no URL: this is the test standing in for Discord.
    discord.http.Route.BASE = f"{url}/api/v10"
    offset = fire_at - dt.datetime.fromtimestamp(wall_epoch, dt.UTC)
    settings = Settings(_env_file=None, **shards)
    async with open_db(db) as database:
        bot = PhotoFinish(
            settings=settings,
            store=Store(database),
            clock=lambda: dt.datetime.now(dt.UTC) + offset,
            extensions=(),
            sync_policy="never",
        )
        limiter: Limiter | None = None
        if pacer == "bucket":
            bot.http.http_trace = None  # main had no gate in discord.py's session
            limiter = TokenBucket(settings.send_rate, burst=max(1.0, DISCORD_GLOBAL_RATE - settings.send_rate))
        await bot.login("fake.token")
        guilds = await cache_guilds(bot)
        service = alert_service(bot, pace=limiter)
        try:
            await service.start()
            await service.wait_idle()
        finally:
            service.stop()
            await bot.close()
    return {"guilds": guilds, "pacer": pacer, "gate": dataclasses.asdict(bot.rest_gate.stats)}


def main(argv: list[str]) -> int:
    db, url, wall_epoch, fire_at, pacer, *sharding = argv
    shards: dict[str, Any] = {}
    if sharding:
        shards = {"shard_count": int(sharding[0]), "shard_ids": [int(i) for i in sharding[1].split(",")]}
    started = time.perf_counter()
    stats = asyncio.run(run(db, url, float(wall_epoch), dt.datetime.fromisoformat(fire_at), pacer, shards))
    stats["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(stats), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
