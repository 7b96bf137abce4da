"""Benchmark: a reminder planned and fanned out to N subscribed guilds against a Discord with a global limit.

Run: python -m bench.fanout [--guilds 10000] [--rate 40] [--scale 1]
The real AlertService plans (one job per race and lead: the number of jobs is printed), APScheduler
fires the batch at the fire time, and the real fan-out pages the subscriptions, claims each key in the
ledger, paces with the real TokenBucket and posts. Only the channel is fake: it answers 429 to any
request beyond the limit in the last second, as Discord's global limit would (50/s per token).
--scale k multiplies Discord's limit and our budget together (50k/s and rate×k/s), so 100,000 posts
take minutes instead of 2,000 s; the table in bench/README.md says which rows are scaled.
Measured: planning time and jobs; max requests in any 1-second window; 429s; event-loop lag (a task
that sleeps 10 ms and records how late it wakes, worst gap minus the interval); RSS before, peak during
and after the fan-out; ledger states (sent on time / late, missed). Wall-clock time.
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
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import discord

from bench.rss import rss_mb
from bot.alerts.channels import AlertChannel, OurMessage
from bot.alerts.limiter import TokenBucket
from bot.alerts.service import REPLAN_JOB, AlertService, AlertStores
from bot.embeds.alerts import AlertMessage
from db.importers.loader import load_bundled
from db.storage.backend import open_db
from db.store import Store

DISCORD_LIMIT = 50  # requests per second, per bot
DARLINGTON_START = dt.datetime(2024, 5, 12, 19, 0, tzinfo=dt.UTC)
FIRE_AT = DARLINGTON_START - dt.timedelta(hours=1)
LEAD_S = 3.0  # the run starts this long before the fire time
TICK_S = 0.010


class RateLimitedDiscord:
    """Accepts at most `limit` requests in any one-second window; 429 beyond."""

    def __init__(self, expected: int, limit: int) -> None:
        self.expected, self.limit = expected, limit
        self.all_sent = asyncio.Event()
        self.window: collections.deque[float] = collections.deque()
        self.requests: list[float] = []
        self.sent = 0
        self.rejected = 0
        self.first = 0.0  # monotonic time of the first accepted post

    def post(self) -> int:
        now = time.monotonic()
        self.requests.append(now)
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        if len(self.window) >= self.limit:
            self.rejected += 1
            raise discord.HTTPException(SimpleNamespace(status=429, reason="Too Many Requests"), "rate limited")
        self.window.append(now)
        self.first = self.first or now
        self.sent += 1
        if self.sent >= self.expected:
            self.all_sent.set()
        return self.sent

    def max_per_second(self) -> int:
        """The most requests in any 1-second window (two pointers over the sorted request times)."""
        best, start = 0, 0
        for end, at in enumerate(self.requests):
            while at - self.requests[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best


class Channel:
    """An AlertChannel (bot/alerts/channels.py) that only posts, to the rate-limited fake."""

    def __init__(self, discord_: RateLimitedDiscord) -> None:
        self._discord = discord_

    def missing_permissions(self) -> list[str]:
        return []

    def can_read_history(self) -> bool:
        return False

    async def send(self, message: AlertMessage, *, nonce: str) -> int:
        return self._discord.post()

    async def ours_since(self, since: dt.datetime) -> AsyncIterator[OurMessage]:
        return
        yield  # an empty history: nothing is ever left claimed in a benchmark run


class Channels:
    def __init__(self, discord_: RateLimitedDiscord) -> None:
        self._channel = Channel(discord_)

    async def find(self, channel_id: int) -> AlertChannel:
        return self._channel


class Clock:
    """The bot's clock for the run: it reads FIRE_AT - LEAD_S when the run starts."""

    def __init__(self) -> None:
        self._offset = FIRE_AT - dt.timedelta(seconds=LEAD_S) - dt.datetime.now(dt.UTC)
        self.fire_monotonic = time.monotonic() + LEAD_S

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self._offset


class LoopLag:
    """Wakes every TICK_S and keeps the worst lateness, and the peak RSS seen between ticks."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.busy: list[float] = []  # the loop thread's own CPU time during each tick
        self.peak_rss = rss_mb()
        self._task: asyncio.Task[None] | None = None

    @property
    def worst(self) -> float:
        return max(self.lags, default=0.0)

    def summary(self) -> str:
        if not self.lags:
            return "no ticks"
        ordered = sorted(self.lags)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        over = sum(1 for x in ordered if x > 0.050)
        worst_at = self.lags.index(self.worst)
        return (
            f"max {self.worst * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, {over} of {len(ordered):,} ticks over 50 ms;"
            f" loop-thread CPU in the worst tick {self.busy[worst_at] * 1000:.1f} ms,"
            f" most loop-thread CPU in any tick {max(self.busy) * 1000:.1f} ms"
        )

    async def _tick(self) -> None:
        while True:
            started, cpu = time.monotonic(), time.thread_time()
            await asyncio.sleep(TICK_S)
            self.lags.append(time.monotonic() - started - TICK_S)
            # Lateness with little CPU of our own means the OS ran something else (a shared machine);
            # lateness with as much CPU means the loop itself was busy (what the target is about).
            self.busy.append(time.thread_time() - cpu)
            if len(self.lags) % 10 == 0:
                self.peak_rss = max(self.peak_rss, rss_mb())

    def start(self) -> None:
        self.lags, self.busy, self.peak_rss = [], [], rss_mb()
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def subscribe(store: Store, guilds: int) -> None:
    # Set-up only, in one transaction: save_subscription's one transaction per guild takes minutes at 100k.
    stamp = (FIRE_AT - dt.timedelta(days=1)).isoformat(timespec="seconds")
    rows = [(10**16 + 10 * n, 10**16 + 10 * n + 1, stamp, stamp) for n in range(guilds)]
    async with store.db.transaction():
        await store.db.execute_many(
            """INSERT INTO alert_subscriptions (guild_id, series, channel_id, role_id, leads_min, kinds,
                   created_at, updated_at) VALUES (?, 'cup', ?, NULL, '[60]', '["reminder"]', ?, ?)""",
            rows,
        )


async def measure(guilds: int, rate: float, scale: int) -> bool:
    limit, budget = DISCORD_LIMIT * scale, rate * scale
    with tempfile.TemporaryDirectory() as folder:
        async with open_db(Path(folder) / "fanout.db") as db:
            await load_bundled(db)
            store = Store(db)
            await subscribe(store, guilds)
            fake = RateLimitedDiscord(guilds, limit)
            clock = Clock()
            service = AlertService(
                stores=AlertStores.of(store),
                channels=Channels(fake),
                clock=clock,
                is_ours=lambda _guild: True,
                pace=TokenBucket(budget, burst=max(1.0, limit - budget)),
            )
            lag = LoopLag()
            lag.start()
            planning = time.monotonic()
            await service.start()
            planned_s = time.monotonic() - planning
            jobs = [j.id for j in service.scheduler.get_jobs() if j.id != REPLAN_JOB]
            await asyncio.sleep(3 * TICK_S)  # the tick that slept through planning reports its lateness
            plan_lag = lag.worst
            await asyncio.sleep(max(0.0, LEAD_S - planned_s - 0.5))
            rss_before = rss_mb()
            lag.start()
            started = time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fake.all_sent.wait(), LEAD_S + guilds / budget * 2 + 120)
            await asyncio.sleep(0.5)  # the last posts' ledger marks
            await service.wait_idle()
            span = time.monotonic() - started
            lag.stop()
            rss_after = rss_mb()
            service.stop()
            rows = await db.fetch("SELECT state, late, count(*) FROM deliveries GROUP BY state, late")
            states = {f"{row[0]}{' late' if row[1] else ''}": row[2] for row in rows}
    scaled = f" (scaled x{scale}: Discord {limit}/s, budget {budget:g}/s)" if scale > 1 else ""
    print(f"guilds {guilds:,}, SEND_RATE {rate:g}/s, Discord limit {DISCORD_LIMIT}/s{scaled}")
    print(f"planning: {planned_s * 1000:.0f} ms, {len(jobs)} reminder jobs, loop lag max {plan_lag * 1000:.1f} ms")
    first = fake.first - clock.fire_monotonic if fake.first else float("nan")
    print(f"fan-out: {fake.sent:,} posted in {span:.1f} s ({fake.sent / span:.1f}/s), first {first:.2f} s after fire")
    print(f"max requests in any 1 s window: {fake.max_per_second()} (limit {limit}); 429s {fake.rejected}")
    print(f"loop lag over the fan-out: {lag.summary()}")
    print(f"RSS {rss_before:.1f} MB before, peak {lag.peak_rss:.1f} MB, {rss_after:.1f} MB after")
    print(f"ledger {states}")
    ok = (
        fake.rejected == 0
        and fake.max_per_second() <= limit
        and max(plan_lag, lag.worst) < 0.100
        and lag.peak_rss - rss_before < 150
        and sum(states.values()) == guilds
    )
    print("targets met" if ok else "targets MISSED")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reminder fan-out against Discord's global rate limit")
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=40.0, help="SEND_RATE (default 40)")
    parser.add_argument("--scale", type=int, default=1, help="multiply Discord's limit and our budget")
    args = parser.parse_args(argv)
    asyncio.run(measure(args.guilds, args.rate, args.scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
