"""A process with SHARD_IDS=auto: takes a free shard lease (bot/cluster.py claim_shards) or waits as a standby.

Run: python -m tests.faults.standby_child DB SHARD_COUNT TTL_S

Prints "shards 0" (the shards it took) once it holds one, then keeps its leases with the heartbeat as the
bot does until its stdin closes (a clean stop gives them back) or the test kills it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from bot.cluster import Cluster
from bot.shards import Shards
from db.repos.leases import LeaseStore
from db.storage.backend import open_db


async def run(db: str, count: int, ttl_s: float) -> None:
    async with open_db(db) as database:
        shards = Shards(count, [])
        ttl = dt.timedelta(seconds=ttl_s)
        cluster = Cluster(LeaseStore(database), shards, lambda: dt.datetime.now(dt.UTC), ttl=ttl, every_s=ttl_s / 4)
        print("waiting", flush=True)
        taken = await cluster.claim_shards(1)
        await cluster.start()  # as the bot's setup_hook does next: keep what it took
        print("shards", *sorted(taken), flush=True)
        await asyncio.to_thread(sys.stdin.read)
        await cluster.stop()


def main(argv: list[str]) -> int:
    db, count, ttl_s = argv
    asyncio.run(run(db, int(count), float(ttl_s)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
