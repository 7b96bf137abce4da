"""Benchmark: a reminder fanned out to N subscribed guilds against a Discord that allows 50 requests/s.

Run: python -m bench.fanout [--guilds 10000] [--rate 40]
The real AlertService plans the reminders, APScheduler fires one job per guild at the fire time, and
the real sender claims, paces (SEND_RATE through the real TokenBucket) and posts. Only the channel is
fake: it answers 429 to any request beyond 50 in the last second, as Discord's global limit would.
Wall-clock time, so 10,000 guilds at 40/s take about 250 s. Targets: rate >= 90 % of SEND_RATE,
zero 429s, first message <= 1 s after the fire time. Uses a bundled-data database (no history needed).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord

from bot.alerts.service import AlertService
from bot.settings import Settings
from db.importers.loader import load_bundled
from db.storage.backend import open_db
from db.store import Store

DISCORD_LIMIT = 50  # requests per second, per bot
DARLINGTON_START = dt.datetime(2024, 5, 12, 19, 0, tzinfo=dt.UTC)
FIRE_AT = DARLINGTON_START - dt.timedelta(hours=1)
LEAD_S = 3.0  # the run starts this long before the fire time
PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True, read_message_history=True)


class RateLimitedDiscord:
    """Accepts at most DISCORD_LIMIT posts in any one-second window; 429 beyond."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.all_sent = asyncio.Event()
        self.window: collections.deque[float] = collections.deque()
        self.sent: list[float] = []
        self.rejected = 0

    def post(self) -> int:
        now = time.monotonic()
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        if len(self.window) >= DISCORD_LIMIT:
            self.rejected += 1
            raise discord.HTTPException(SimpleNamespace(status=429, reason="Too Many Requests"), "rate limited")
        self.window.append(now)
        self.sent.append(now)
        if len(self.sent) >= self.expected:
            self.all_sent.set()
        return len(self.sent)


class Channel:
    def __init__(self, discord_: RateLimitedDiscord, channel_id: int) -> None:
        self._discord, self.id = discord_, channel_id
        self.guild = SimpleNamespace(id=channel_id - 1, me=SimpleNamespace(id=1))

    def permissions_for(self, _member: Any) -> discord.Permissions:
        return PERMISSIONS

    async def send(self, **_message: Any) -> Any:
        return SimpleNamespace(id=self._discord.post())


class Bot:
    """What AlertService reads from the bot; the clock reads FIRE_AT - LEAD_S when the run starts."""

    def __init__(self, store: Store, discord_: RateLimitedDiscord, rate: float) -> None:
        self.store, self._discord = store, discord_
        self.settings = Settings(_env_file=None, send_rate=rate)
        self.user = SimpleNamespace(id=1)
        self._offset = FIRE_AT - dt.timedelta(seconds=LEAD_S) - dt.datetime.now(dt.UTC)
        self.fire_monotonic = time.monotonic() + LEAD_S

    def clock(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self._offset

    def get_guild(self, guild_id: int) -> Any:
        return SimpleNamespace(id=guild_id)

    def get_channel(self, channel_id: int) -> Channel:
        return Channel(self._discord, channel_id)


async def subscribe(store: Store, guilds: int) -> None:
    for n in range(guilds):
        guild_id = 10**16 + 10 * n
        await store.alerts.save_subscription(
            guild_id=guild_id,
            series="cup",
            channel_id=guild_id + 1,
            role_id=None,
            leads_min=[60],
            kinds=["reminder"],
            now=FIRE_AT - dt.timedelta(days=1),
        )


async def measure(guilds: int, rate: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with open_db(Path(folder) / "fanout.db") as db:
            await load_bundled(db)
            store = Store(db)
            await subscribe(store, guilds)
            fake = RateLimitedDiscord(guilds)
            bot = Bot(store, fake, rate)
            service = AlertService(bot)  # the production limiter: TokenBucket(SEND_RATE)
            await service.start()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fake.all_sent.wait(), LEAD_S + guilds / rate * 2 + 60)
            await asyncio.sleep(1)  # the last posts' ledger marks
            await service.wait_idle()
            service.stop()
            states = {row[0]: row[1] for row in await db.fetch("SELECT state, count(*) FROM deliveries GROUP BY state")}
    sent = fake.sent
    span = sent[-1] - sent[0] if len(sent) > 1 else float("nan")
    achieved = (len(sent) - 1) / span if len(sent) > 1 else 0.0
    first = sent[0] - bot.fire_monotonic if sent else float("nan")
    print(f"guilds {guilds:,}, SEND_RATE {rate:g}/s, Discord limit {DISCORD_LIMIT}/s")
    print(f"posted {len(sent):,} in {span:.1f} s: {achieved:.2f}/s = {achieved / rate:.1%} of SEND_RATE")
    print(f"429s {fake.rejected}; first message {first:.3f} s after the fire time; ledger {states}")
    ok = achieved >= 0.9 * rate and fake.rejected == 0 and first <= 1.0 and len(sent) == guilds
    print("targets met" if ok else "targets MISSED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reminder fan-out against a 50 requests/s Discord")
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=40.0, help="SEND_RATE (default 40)")
    args = parser.parse_args(argv)
    asyncio.run(measure(args.guilds, args.rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
