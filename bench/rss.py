"""Benchmark: resident memory with 10,000 guilds in the bot's cache (guilds intent only, no member cache).

Run: python -m bench.rss [--guilds 10000]
Measured in a fresh child process so nothing else is resident: the real bot (cogs loaded, database
open, name indexes built) is fed GUILD_CREATE payloads as the gateway would send them with our intents
(small servers: 5 text channels, 2 roles, no members, no presences). Target: <= 150 MB.
Uses the history database when ../shared/data is present, else the bundled data (said in the output).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import guild_payload, harness
from bench.history_db import history_database
from bot.settings import Settings

TARGET_MB = 150.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def child(guilds: int) -> None:
    db = await history_database()
    label = "history (100k results)" if db is not None else "bundled data only"
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="photofinish-bench-")) / "photofinish.db"
    start = rss_mb()
    settings = Settings(_env_file=None, database_path=str(db), discord_token=None)
    async with harness(settings) as h:
        await h.bot.store.tracks.search_tracks(query="kansas")  # build the name indexes, as the first lookup does
        await h.bot.store.drivers.search_drivers(query="larson")
        ready = rss_mb()
        state = h.bot._connection
        for n in range(guilds):
            guild_id = 700_000_000_000_000_000 + n * 1000
            state.parse_guild_create(guild_payload(guild_id, guild_id + 1, channels=5))
        assert len(h.bot.guilds) >= guilds
        loaded = rss_mb()
    print(f"database: {label}")
    print(
        f"RSS: interpreter + imports {start:.1f} MB, bot ready {ready:.1f} MB, with {guilds:,} guilds {loaded:.1f} MB"
    )
    print(
        f"per guild {(loaded - ready) * 1024 / guilds:.2f} KB; target <= {TARGET_MB:.0f} MB: "
        f"{'met' if loaded <= TARGET_MB else 'MISSED'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="RSS with many guilds in cache")
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        asyncio.run(child(args.guilds))
        return 0
    return subprocess.run([sys.executable, "-m", "bench.rss", "--child", "--guilds", str(args.guilds)]).returncode


if __name__ == "__main__":
    sys.exit(main())
