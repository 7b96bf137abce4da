"""Benchmark: startup to READY with the full-history database, under simcord (no network).

Run: python -m bench.startup [--runs 3]
Each run is a fresh process: time from spawning it to the bot's READY (imports, opening and
migrating the database, loading bundled data, loading cogs, syncing commands to simcord
and the gateway handshake), as measured by the parent on the wall clock.
Skips when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time

from bench.history_db import history_database, skip_message


async def child(database: str) -> None:
    import simcord

    from bot.app import open_bot
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_path=database, discord_token=None)
    async with open_bot(settings, sync_policy="always") as bot:
        env = simcord.Env(bot)
        await env.start()
        await bot.wait_until_ready()
        print("READY", flush=True)
        await env.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Startup to READY with the full history")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        asyncio.run(child(args.child))
        return 0
    database = asyncio.run(history_database())
    if database is None:
        print(skip_message())
        return 0
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.startup", "--child", str(database)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY"):
                times.append(time.perf_counter() - started)
                break
        process.wait()
    print(f"startup to READY with the history database: {', '.join(f'{t:.2f} s' for t in times)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
