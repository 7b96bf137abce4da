"""A process that wants to be the feed poller: the real leases (bot/cluster.py) on a shared SQLite file.

Run: python -m tests.faults.poller_child DB URL TTL_S

It asks for the `feed-sync` singleton as cogs/feed.py does; while it holds it, its "feed sync" polls
URL/poll?pid=… every POLL_S (the test process serves it and notes who polled when). It stops when its
stdin closes (a clean stop gives the lease back) or when the test kills it (the lease is left to expire).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import sys

import aiohttp

from bot.cluster import Cluster
from bot.shards import Shards
from db.repos.leases import LeaseStore
from db.storage.backend import open_db

POLL_S = 0.1


async def run(db: str, url: str, ttl_s: float) -> None:
    async with open_db(db) as database, aiohttp.ClientSession() as session:
        cluster = Cluster(
            LeaseStore(database),
            Shards(),
            lambda: dt.datetime.now(dt.UTC),
            ttl=dt.timedelta(seconds=ttl_s),
            every_s=ttl_s / 4,
        )
        poller: asyncio.Task[None] | None = None

        async def poll() -> None:
            while True:
                async with session.get(f"{url}/poll", params={"pid": str(os.getpid())}) as answer:
                    answer.raise_for_status()
                await asyncio.sleep(POLL_S)

        async def told(held: bool) -> None:
            nonlocal poller
            if held and poller is None:
                poller = asyncio.create_task(poll())
            elif not held and poller is not None:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller
                poller = None

        await cluster.start()
        await cluster.singleton("feed-sync", told)
        print("started", flush=True)
        await asyncio.to_thread(sys.stdin.read)
        await cluster.stop()


def main(argv: list[str]) -> int:
    db, url, ttl_s = argv
    asyncio.run(run(db, url, float(ttl_s)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
