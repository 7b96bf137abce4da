"""Benchmark: interaction latency of /result, track autocomplete, /quote search and a trivia click vs /ping.

Run: python -m bench.latency [--rounds N]   (from the repo root)
Each round feeds one of each payload to the same bot, one at a time, in the same order, so every
command sees the same process state as /ping does. Targets: p50 <= 1.3x and p99 <= 1.5x /ping.
Skips when ../shared/data is absent (the benchmark needs the full 100k-result history).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
from collections.abc import Callable
from typing import Any

from bench.harness import GUILD_ID, Harness, harness, message_payload
from bench.history_db import history_database, skip_message
from bot.settings import Settings

WARMUP = 30
TARGET_P50, TARGET_P99 = 1.3, 1.5


def _option(name: str, value: str, *, focused: bool = False) -> dict[str, Any]:
    return {"name": name, "type": 3, "value": value, **({"focused": True} if focused else {})}


async def start_trivia(h: Harness) -> tuple[list[str], dict[str, Any]]:
    """A game with the longest time limit, so every click of the run lands on a live question."""
    await h.bot.store.trivia.update_settings(guild_id=GUILD_ID, time_limit_s=120)
    _, response = await h.feed(h.slash("trivia play", [{"name": "questions", "type": 4, "value": 1}]))
    data = response["data"]
    ids = [c["custom_id"] for row in data["components"] for c in row["components"]]
    return ids, message_payload(data)


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


async def measure(settings: Settings, rounds: int) -> dict[str, list[float]]:
    async with harness(settings) as h:
        buttons, message = await start_trivia(h)
        cases: dict[str, Callable[[], dict[str, Any]]] = {
            "/ping": lambda: h.slash("ping"),
            "/result kansas": lambda: h.slash("result", [_option("track", "kansas")]),
            "autocomplete track": lambda: h.slash("result", [_option("track", "kan", focused=True)], focused=True),
            "/quote search": lambda: h.slash("quote", [_option("search", "picture")]),
            "trivia click": lambda: h.click(buttons[len(buttons) // 2], message),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        gc.collect()
        for n in range(WARMUP + rounds):
            for name, payload in cases.items():
                elapsed, _ = await h.feed(payload())
                if n >= WARMUP:
                    times[name].append(elapsed)
        return times


def report(times: dict[str, list[float]]) -> bool:
    ping = times["/ping"]
    p50_ping, p99_ping = percentile(ping, 50), percentile(ping, 99)
    print(f"{'interaction':22} {'p50 ms':>8} {'p99 ms':>8} {'p50 x ping':>11} {'p99 x ping':>11}  target")
    ok = True
    for name, values in times.items():
        p50, p99 = percentile(values, 50), percentile(values, 99)
        r50, r99 = p50 / p50_ping, p99 / p99_ping
        met = name == "/ping" or (r50 <= TARGET_P50 and r99 <= TARGET_P99)
        ok = ok and met
        print(f"{name:22} {p50 * 1000:8.2f} {p99 * 1000:8.2f} {r50:11.2f} {r99:11.2f}  {'met' if met else 'MISSED'}")
    return ok


async def run(rounds: int) -> int:
    db = await history_database()
    if db is None:
        print(skip_message())
        return 0
    settings = Settings(_env_file=None, database_path=str(db), discord_token=None)
    times = await measure(settings, rounds)
    print(f"{rounds} rounds after {WARMUP} warm-up, history database {db}")
    report(times)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args(argv)
    return asyncio.run(run(args.rounds))


if __name__ == "__main__":
    sys.exit(main())
