"""Reminder fan-out split over shard processes on one database, against a fake that enforces 50/s.

Each process is tests/faults/shard_child.py: the real AlertService with its leases (bot/cluster.py), the
servers of its shard by Discord's formula, paced as the bot paces: its RestGate (bot/pacing.py) at the
process's share, REST_RATE and SEND_RATE × 1 / SHARD_COUNT, on the session its posts go through. They post over HTTP to
tests/faults/fake_discord.py, which refuses with a global 429 any request past 50 in its 1-second window,
and all read one database: a fresh PostgreSQL schema (default) or a SQLite file.

Run: python -m bench.fanout_processes --guilds 10000 --processes 2 4 [--backend sqlite] [--url URL]
Prints, per run: the fan-out's wall time and total rate, the most requests in any 1-second window and in
any fixed window, the 429s, and the ledger's counts.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import asyncpg

from db.importers.loader import load_bundled
from db.storage.backend import open_db
from tests.faults.fake_discord import FakeDiscord
from tests.faults.fanout_world import FIRE_AT, LEAD_MIN, REPO

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
SEND_RATE = 40.0
DISCORD_LIMIT = 50


def guild_id(n: int) -> int:
    """Snowflake-like ids whose shard ((id >> 22) % count) runs 0, 1, 2, … for any count."""
    return ((1_000_000 + n) << 22) | 4240


async def prepare(location: str, guilds: int) -> None:
    stamp = (FIRE_AT - dt.timedelta(days=1)).isoformat(timespec="seconds")
    rows = [(guild_id(n), guild_id(n) + 1, stamp, stamp) for n in range(guilds)]
    async with open_db(location) as db:
        await load_bundled(db)
        async with db.transaction():
            # Set-up only, in one statement per row of one transaction (save_subscription's own
            # transaction per guild would take minutes); the 1-hour Cup reminder for every guild.
            await db.execute_many(
                f"""INSERT INTO alert_subscriptions (guild_id, series, channel_id, role_id, leads_min, kinds,
                       created_at, updated_at) VALUES (?, 'cup', ?, NULL, '[{LEAD_MIN}]', '["reminder"]', ?, ?)""",
                rows,
            )


async def fan_out(location: str, guilds: int, processes: int) -> None:
    fake = FakeDiscord(global_limit=DISCORD_LIMIT)
    await fake.start()
    wall_epoch = time.time()  # the children's clocks read FIRE_AT now: the reminder batch is due at once
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.faults.shard_child",
            location,
            fake.url,
            repr(wall_epoch),
            FIRE_AT.isoformat(),
            str(processes),
            str(shard),
            "30",
            "gate",
            cwd=REPO,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for shard in range(processes)
    ]
    started = time.monotonic()
    try:
        for child in children:
            assert child.stdout is not None
            line = await asyncio.wait_for(child.stdout.readline(), 3600)  # "planned": its fan-out is done
            if line != b"planned\n":
                _, err = await child.communicate(b"")
                raise SystemExit(f"a shard process failed: {err.decode()[-2000:]}")
        took = time.monotonic() - started
        await asyncio.gather(*(c.communicate(b"") for c in children))
    finally:
        for child in children:
            if child.returncode is None:
                child.kill()
        await fake.stop()
    async with open_db(location) as db:
        states = Counter(str(state) for (state,) in await db.fetch("SELECT state FROM deliveries"))
    posted = len(fake.created())
    print(
        f"{processes} processes at {SEND_RATE / processes:g}/s each: {posted:,} of {guilds:,} posted in {took:.1f} s "
        f"({posted / took:.1f}/s); most in any 1 s {fake.most_in_any_second()}, most in a fixed window "
        f"{max(fake.per_window().values(), default=0)} (limit {DISCORD_LIMIT}); 429s {fake.over_limit}; "
        f"ledger {dict(states)}",
        flush=True,
    )


async def run(guilds: int, counts: list[int], backend: str, url: str) -> None:
    for processes in counts:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                location = str(Path(folder) / "fanout.db")
                await prepare(location, guilds)
                await fan_out(location, guilds, processes)
            continue
        schema = f"pf_bench_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(url)
        await admin.execute(f"CREATE SCHEMA {schema}")
        try:
            location = f"{url}{'&' if '?' in url else '?'}search_path={schema}"
            await prepare(location, guilds)
            await fan_out(location, guilds, processes)
        finally:
            await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            await admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--processes", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--url", default=DEFAULT_URL, help="a PostgreSQL server to make a scratch schema in")
    args = parser.parse_args(argv)
    print(f"guilds {args.guilds:,}, SEND_RATE {SEND_RATE:g}/s shared, backend {args.backend}", flush=True)
    asyncio.run(run(args.guilds, args.processes, args.backend, args.url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
