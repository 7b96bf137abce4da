"""A bot process holding some of the bot's shards: the real AlertService, posting to the fake Discord over HTTP.

Run: python -m tests.faults.shard_child DB URL WALL_EPOCH FIRE_AT SHARD_COUNT SHARD_IDS TTL_S RATE

As tests/faults/fanout_child.py (the same HTTP channels, the wall clock shifted so WALL_EPOCH reads FIRE_AT),
but the servers it posts for are its shards' by Discord's formula (bot/shards.py), as in the bot, and it
keeps running until its stdin closes. Each "replan" line read stands for its periodic re-plan: it re-plans,
waits for the batches that started, and answers "planned". The test changes the database in between (a
race moved, a race official, as the feed sync of any one process would) and decides which process looks
first, as the 5-minute re-plans of separate processes do. SHARD_IDS is a comma-separated list. The
process keeps its leases as the bot does (bot/cluster.py), with a TTL of TTL_S and a heartbeat four times
as often, so a test can kill it and see a survivor adopt its shard; RATE is its posts per second, or
`gate` to pace as the bot does: its RestGate (bot/pacing.py) at this process's share of REST_RATE and
SEND_RATE, on the session the channels post through (bench/fanout_processes.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

import aiohttp

from bot.alerts.limiter import Limiter, TokenBucket, Unlimited
from bot.alerts.service import AlertService, AlertStores
from bot.cluster import Cluster
from bot.pacing import gate_for
from bot.settings import Settings
from bot.shards import Shards
from db.repos.leases import LeaseStore
from db.storage.backend import open_db
from db.store import Store
from tests.faults.fanout_child import HttpChannels


async def run(
    db: str, url: str, wall_epoch: float, fire_at: dt.datetime, shards: Shards, ttl_s: float, rate: str
) -> None:
    offset = fire_at - dt.datetime.fromtimestamp(wall_epoch, dt.UTC)

    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC) + offset

    pace: Limiter = Unlimited()
    traces = []
    if rate == "gate":
        settings = Settings(_env_file=None, shard_count=shards.count, shard_ids=sorted(shards.own))  # type: ignore[call-arg]
        traces.append(gate_for(settings, shards).trace_config())
        url += "/api/v10"  # the REST routes, as discord.py calls them: what the gate budgets
    else:
        pace = TokenBucket(float(rate), burst=5)
    async with open_db(db) as database, aiohttp.ClientSession(trace_configs=traces) as session:
        ttl = dt.timedelta(seconds=ttl_s)
        cluster = Cluster(LeaseStore(database), shards, clock, ttl=ttl, every_s=ttl_s / 4)
        await cluster.start()
        service = AlertService(
            stores=AlertStores.of(Store(database)),
            channels=HttpChannels(session, url),
            clock=clock,
            is_ours=shards.is_ours,
            pace=pace,
            peers=cluster,
        )
        await service.start()
        await service.wait_idle()
        answer("planned")
        while (line := await asyncio.to_thread(sys.stdin.readline)) != "":
            if line.strip() == "replan":
                await service.replan(retry=True)
                await service.wait_idle()
                answer("planned")
        service.stop()
        await cluster.stop()


def answer(word: str) -> None:
    print(word, flush=True)


def main(argv: list[str]) -> int:
    db, url, wall_epoch, fire_at, count, ids, ttl_s, rate = argv
    shards = Shards(int(count), [int(i) for i in ids.split(",")])
    at = dt.datetime.fromisoformat(fire_at)
    asyncio.run(run(db, url, float(wall_epoch), at, shards, float(ttl_s), rate))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
