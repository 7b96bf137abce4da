"""Benchmark: the fan commands on PostgreSQL against SQLite, with the full Cup history, in one run.

Run: python -m bench.backends [--rounds 300] [--url postgresql://postgres@127.0.0.1:5432/test]
The SQLite database is bench/history_db.py's (bundled data + the full nascaR.data Cup table); the PostgreSQL
one is the same rows, copied in with `db copy`'s code into a fresh schema of the given server (dropped after).
Both bots run side by side and take turns payload by payload (as bench/growth.py does), so a busy moment on a
shared machine lands on both alike. Reported: p50/p99 of the whole interaction and of our own work (minus
`/ping` of the same bot). Skips when ../shared/data is absent or PostgreSQL is unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any

import asyncpg

from bench.growth import WARMUP, cases, many_drivers, percentile, result_buttons
from bench.harness import GUILD_ID, Harness, harness
from bench.history_db import history_database, skip_message
from bot.settings import Settings
from db.storage.backend import open_db
from db.storage.copy import copy_database

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
# The commands the issue asks for, and /ping for the floor.
WANTED = (
    "/ping",
    "/result kansas",
    "/result darlington 2003",
    "/driver Kyle Larson",
    "/driver, another each time",
    "autocomplete track 'kan'",
    "autocomplete driver 'lars'",
    "autocomplete driver, new typo",
)


async def measure(settings: dict[str, Settings], rounds: int) -> dict[str, dict[str, list[float]]]:
    async with AsyncExitStack() as stack:
        bots: dict[str, tuple[Harness, dict[str, Callable[[], dict[str, Any]]]]] = {}
        for name, chosen in settings.items():
            h = await stack.enter_async_context(harness(chosen))
            await h.bot.store.trivia.update_settings(guild_id=GUILD_ID, cooldown_s=0)
            made = cases(h, await result_buttons(h), await many_drivers(h))
            bots[name] = (h, {case: made[case] for case in WANTED})
        times: dict[str, dict[str, list[float]]] = {name: {case: [] for case in WANTED} for name in bots}
        gc.collect()
        for n in range(WARMUP + rounds):
            for case in WANTED:
                for name, (h, made) in bots.items():
                    elapsed, _ = await h.feed(made[case]())
                    if n >= WARMUP:
                        times[name][case].append(elapsed)
        return times


def report(results: dict[str, dict[str, list[float]]]) -> None:
    names = list(results)
    print(
        f"\n{'command (ms)':32}" + "".join(f" {n + ' p50':>13} {n + ' p99':>13}" for n in names) + "  own p50 pg/lite"
    )
    floors = {n: percentile(results[n]["/ping"], 50) for n in names}
    for case in WANTED:
        cells = "".join(
            f" {percentile(results[n][case], 50) * 1000:13.2f} {percentile(results[n][case], 99) * 1000:13.2f}"
            for n in names
        )
        own = [percentile(results[n][case], 50) - floors[n] for n in names]
        ratio = f"  {own[1] / own[0]:.2f}" if case != "/ping" and len(own) == 2 and own[0] > 0 else ""
        print(f"{case:32}{cells}{ratio}")


async def run(rounds: int, url: str) -> int:
    lite = await history_database()
    if lite is None:
        print(skip_message())
        return 0
    try:
        admin = await asyncpg.connect(url, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        print(f"skipped: PostgreSQL at {url} is not usable ({error})")
        return 0
    schema = f"pf_bench_{uuid.uuid4().hex[:12]}"
    await admin.execute(f"CREATE SCHEMA {schema}")
    try:
        started = time.perf_counter()
        async with open_db(lite) as source, open_db(url, schema=schema) as target:
            copied = await copy_database(source, target)
        rows = sum(n for _, n in copied)
        print(f"copied {rows:,} rows into PostgreSQL schema {schema} in {time.perf_counter() - started:.0f} s")
        settings = {
            "sqlite": Settings(_env_file=None, database_path=str(lite), discord_token=None),  # type: ignore[call-arg]
            "postgres": Settings(  # type: ignore[call-arg]
                _env_file=None,
                database_url=f"{url}{'&' if '?' in url else '?'}search_path={schema}",
                discord_token=None,
            ),
        }
        results = await measure(settings, rounds)
    finally:
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await admin.close()
    print(f"\n{rounds} rounds after {WARMUP} warm-up; backends interleaved; in-process harness (bench/harness.py)")
    report(results)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--url", default=DEFAULT_URL, help="a PostgreSQL server to make a scratch schema in")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.rounds, args.url))


if __name__ == "__main__":
    sys.exit(main())
