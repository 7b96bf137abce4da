"""Delivery claims on PostgreSQL: connections racing for the same keys claim each exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
from contextlib import AsyncExitStack

from db.models.alerts import Lead
from db.repos.alerts import AlertStore
from db.storage.backend import open_db
from db.storage.database import fetch_value
from tests.pg_support import fresh_schema, require_postgres

KEYS = 2_000
RACERS = 8
NOW = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)


async def test_eight_connections_racing_for_2000_keys_claim_exactly_2000() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as db, AsyncExitStack() as stack:
        await db.execute("INSERT INTO tracks (id, key, name) VALUES (1, 't', 'Track')")
        await db.execute(
            """INSERT INTO races (id, series, season, name, track_id, race_date, source, updated_at)
               VALUES (1, 'cup', 2024, 'Race', 1, '2024-05-06', 's', '2024-05-06')"""
        )
        # Eight databases of one connection each: eight sessions, as eight processes would hold.
        racers = [await stack.enter_async_context(open_db(url, schema=schema, pool_size=1)) for _ in range(RACERS)]
        start = asyncio.Event()

        async def racer(worker: int) -> int:
            store = AlertStore(racers[worker])
            await start.wait()
            won = 0
            for n in range(KEYS):
                key = f"reminder|1|2024-05-06T18:00|{n}|{n}|60"
                if await store.claim_delivery(
                    key=key,
                    kind="reminder",
                    race_id=1,
                    guild_id=10**17 + n,
                    channel_id=10**17 + n,
                    fire_at=NOW,
                    lead=Lead(60),
                    now=NOW,
                    owner=f"worker-{worker}",
                ):
                    won += 1
            return won

        tasks = [asyncio.create_task(racer(w)) for w in range(RACERS)]
        start.set()
        wins = await asyncio.gather(*tasks)
        distinct = await fetch_value(db, "SELECT count(DISTINCT key) FROM deliveries")
        assert sum(wins) == KEYS
        assert distinct == KEYS
