"""Benchmark: does each fan command's cost stay flat as the history grows tenfold?

Run: python -m bench.growth [--rounds 300] [--sizes bundled,1x,10x]
Three databases: the bundled data only; bundled + the full nascaR.data Cup table (1x, ~100k results);
and a synthetic 10x history — the real table plus nine copies with seasons shifted by +100·k
(k = 1..9, ~1M results), imported through `photofinish data import-history` like any user's file.
They are built once into $TMPDIR/photofinish-bench/ (never into the repo) and reused while the CSV
and the schema are unchanged. For every command the in-process harness (bench/harness.py) reports
p50/p99 minus `/ping` of the same run — our own work per command — and the 10x ÷ 1x ratio.
Targets (issue #13): own work ≈ 1.5 ms p50 on the full history; growth 1x → 10x ≤ 1.5x.
Skips the history sizes when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import GUILD_ID, Harness, harness
from bench.history_db import CACHE, CSV
from bot.settings import Settings
from db.connection import migration_steps

WARMUP = 20
COPIES = 9
SHIFT = 100


def _option(name: str, value: Any, *, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value, **({"focused": True} if focused else {})}


def cases(h: Harness) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "/ping": lambda: h.slash("ping"),
        "autocomplete track 'kan'": lambda: h.slash("result", [_option("track", "kan", focused=True)], focused=True),
        "autocomplete driver 'lars'": lambda: h.slash("driver", [_option("name", "lars", focused=True)], focused=True),
        "/result kansas": lambda: h.slash("result", [_option("track", "kansas")]),
        "/result darlington 2003": lambda: h.slash(
            "result", [_option("track", "darlington"), _option("season", 2003, kind=4)]
        ),
        "/closest": lambda: h.slash("closest"),
        "/driver Kyle Larson": lambda: h.slash("driver", [_option("name", "Kyle Larson")]),
        "/driver Richard Petty": lambda: h.slash("driver", [_option("name", "Richard Petty")]),
        "/quote search": lambda: h.slash("quote", [_option("search", "picture")]),
        "/next": lambda: h.slash("next"),
        "/schedule": lambda: h.slash("schedule"),
        "/about": lambda: h.slash("about"),
        "/trivia play": lambda: h.slash("trivia play", [_option("questions", 5, kind=4)]),
    }


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _stamp() -> str:
    stat = CSV.stat()
    return hashlib.sha256(f"{stat.st_size}:{stat.st_mtime}:{len(migration_steps())}".encode()).hexdigest()[:12]


def _import(database: Path, csv_path: Path) -> None:
    """Import a table as a user would (the CLI), so the benchmark measures the shipped import path."""
    env = {**os.environ, "DATABASE_PATH": str(database), "DATABASE_URL": f"sqlite:///{database}"}
    command = [sys.executable, "-m", "bot", "data", "import-history", str(csv_path), "--series", "cup"]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


def _write_tenfold(target: Path) -> None:
    """The real table and nine copies with seasons shifted by +100·k, streamed row by row."""
    with CSV.open(newline="", encoding="utf-8") as source, target.open("w", newline="", encoding="utf-8") as out:
        reader = csv.reader(source)
        header = next(reader)
        season = header.index("Season")
        writer = csv.writer(out)
        writer.writerow(header)
        rows = list(reader)
        for k in range(COPIES + 1):
            for row in rows:
                shifted = list(row)
                shifted[season] = str(int(row[season]) + SHIFT * k)
                writer.writerow(shifted)


def build(size: str) -> Path:
    """The cached database of one size (built on first use), copied to a scratch file for this run."""
    cached = CACHE / f"growth-{size}-{_stamp()}.db"
    if not cached.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_suffix(".building")
        for leftover in CACHE.glob(f"{building.name}*"):
            leftover.unlink()
        started = time.perf_counter()
        env = {**os.environ, "DATABASE_PATH": str(building), "DATABASE_URL": f"sqlite:///{building}"}
        subprocess.run([sys.executable, "-m", "bot", "db", "migrate"], check=True, env=env, stdout=subprocess.DEVNULL)
        if size == "1x":
            _import(building, CSV)
        elif size == "10x":
            with tempfile.TemporaryDirectory() as scratch:
                tenfold = Path(scratch) / "cup_series.csv"
                _write_tenfold(tenfold)
                _import(building, tenfold)
        print(f"built {size} database in {time.perf_counter() - started:.0f} s: {cached}", flush=True)
        building.rename(cached)
    work = Path(tempfile.mkdtemp(prefix="photofinish-growth-"))
    copy = work / "photofinish.db"
    shutil.copyfile(cached, copy)
    return copy


async def measure(database: Path, rounds: int) -> dict[str, list[float]]:
    settings = Settings(_env_file=None, database_path=str(database), discord_token=None)  # type: ignore[call-arg]
    async with harness(settings) as h:
        # Trivia: no cooldown and no running game between rounds, so every /trivia play starts a game.
        await h.bot.store.trivia.update_settings(guild_id=GUILD_ID, cooldown_s=0)
        trivia = h.bot.get_cog("Trivia")
        payloads = cases(h)
        times: dict[str, list[float]] = {name: [] for name in payloads}
        gc.collect()
        for n in range(WARMUP + rounds):
            for name, payload in payloads.items():
                elapsed, _ = await h.feed(payload())
                if n >= WARMUP:
                    times[name].append(elapsed)
                if name == "/trivia play" and trivia is not None:
                    trivia.games.stop_all()  # type: ignore[attr-defined]
                    trivia.games.ended_at.clear()  # type: ignore[attr-defined]
        return times


def report(results: dict[str, dict[str, list[float]]]) -> None:
    sizes = list(results)
    names = list(next(iter(results.values())))
    own: dict[str, dict[str, tuple[float, float]]] = {}
    for size, times in results.items():
        p50_ping, p99_ping = percentile(times["/ping"], 50), percentile(times["/ping"], 99)
        own[size] = {name: (percentile(v, 50) - p50_ping, percentile(v, 99) - p99_ping) for name, v in times.items()}
        print(f"{size}: /ping p50 {p50_ping * 1000:.3f} ms, p99 {p99_ping * 1000:.3f} ms")
    header = "".join(f" {size + ' p50':>11} {size + ' p99':>11}" for size in sizes)
    ratio = "10x/1x p50" if {"1x", "10x"} <= set(sizes) else ""
    print(f"\n{'command (ms over /ping)':30}{header} {ratio:>11}")
    for name in names:
        if name == "/ping":
            continue
        cells = "".join(f" {own[s][name][0] * 1000:11.2f} {own[s][name][1] * 1000:11.2f}" for s in sizes)
        growth = ""
        if ratio:
            base = results["1x"][name]
            big = results["10x"][name]
            growth = f"{percentile(big, 50) / percentile(base, 50):11.2f}"
        print(f"{name:30}{cells} {growth}")


async def run(rounds: int, sizes: list[str]) -> int:
    if not CSV.is_file():
        print(f"history sizes skipped: {CSV} is not present")
        sizes = [s for s in sizes if s == "bundled"]
    results = {}
    for size in sizes:
        database = await asyncio.to_thread(build, size)
        results[size] = await measure(database, rounds)
        shutil.rmtree(database.parent, ignore_errors=True)
    print(f"\n{rounds} rounds after {WARMUP} warm-up per size; in-process harness (bench/harness.py)")
    report(results)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--sizes", default="bundled,1x,10x", help="comma-separated: bundled, 1x, 10x")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.rounds, [s.strip() for s in args.sizes.split(",") if s.strip()]))


if __name__ == "__main__":
    sys.exit(main())
