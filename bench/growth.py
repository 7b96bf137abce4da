"""Benchmark: does each fan command's cost stay flat as the history grows tenfold?

Run: python -m bench.growth [--rounds 300] [--sizes bundled,1x,10x]
Three databases: the bundled data only; bundled + the full nascaR.data Cup table (1x, ~100k results);
and a synthetic 10x history — the real table plus nine copies with seasons shifted by +100·k
(k = 1..9, ~1M results), imported through `photofinish data import-history` like any user's file.
They are built once into $TMPDIR/photofinish-bench/ (never into the repo) and reused while the CSV
and the schema are unchanged. For every command the in-process harness (bench/harness.py) reports
p50/p99 minus `/ping` of the same run — our own work per command — and the 10x ÷ 1x ratios of that own work
and of the whole time. The three bots run side by side and take turns payload by payload, so a busy
moment on a shared machine lands on every size alike.
Targets (issue #13): own work ≈ 1.5 ms p50 on the full history; growth 1x → 10x ≤ 1.5x.
Skips the history sizes when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import hashlib
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from bench.harness import GUILD_ID, Harness, harness, message_payload
from bench.history_db import CACHE, CSV
from bot.settings import Settings
from db.storage.connection import migration_steps

WARMUP = 20
COPIES = 9
SHIFT = 100


# Typed as a fan would, a different input every time: the autocomplete memory never answers these.
TYPED = ("larsn", "pety", "earnhart", "gordn", "jonson", "stewrt", "harvik", "bsch", "hamln", "logno", "elliot",
         "waltrp", "yarbrough", "pearsn", "alison", "labonet", "kenseth", "martn", "truexx", "keselowsk", "blany",
         "chastain", "wallce", "bowmn", "dilon", "jarret", "marln", "rudd", "kahne", "newmn")  # fmt: skip


def _option(name: str, value: Any, *, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value, **({"focused": True} if focused else {})}


def typed(n: int) -> str:
    """The n-th input: one of TYPED with a letter doubled at a place that moves with n (unique for 300+ n)."""
    word = TYPED[n % len(TYPED)]
    at = (n // len(TYPED)) % len(word)
    return word[: at + 1] + word[at:]


async def result_buttons(h: Harness) -> dict[str, tuple[str, dict[str, Any]]]:
    """The buttons of /result kansas (full field, stages, quotes), each with the message it sits on."""
    _, response = await h.feed(h.slash("result", [_option("track", "kansas")]))
    data = response["data"]
    message = message_payload(data)
    found = {}
    for row in data.get("components") or []:
        for button in row["components"]:
            if not button.get("disabled"):
                found[button["custom_id"].split(":")[1]] = (button["custom_id"], message)
    return found


async def many_drivers(h: Harness, wanted: int = 300) -> list[str]:
    """Distinct driver names, most starts first, from the autocomplete of every two-letter input.

    More than the careers memo keeps (256), taken in turn, so "/driver, another each time" always computes.
    """
    found: dict[str, None] = {}
    for first in "abcdefghijklmnopqrstuvwxyz":
        for second in "aeiouyrlnh":
            for match in await h.bot.store.drivers.search_drivers(query=first + second):
                found.setdefault(match.label)
    return list(found)[:wanted]


def cases(
    h: Harness, buttons: dict[str, tuple[str, dict[str, Any]]], drivers: list[str]
) -> dict[str, Callable[[], dict[str, Any]]]:
    rounds = itertools.count()
    turn = itertools.count()
    made: dict[str, Callable[[], dict[str, Any]]] = {
        "/ping": lambda: h.slash("ping"),
        "autocomplete track 'kan'": lambda: h.slash("result", [_option("track", "kan", focused=True)], focused=True),
        "autocomplete driver 'lars'": lambda: h.slash("driver", [_option("name", "lars", focused=True)], focused=True),
        "autocomplete driver, new typo": lambda: h.slash(
            "driver", [_option("name", typed(next(rounds)), focused=True)], focused=True
        ),
        "/result kansas": lambda: h.slash("result", [_option("track", "kansas")]),
        "/result darlington 2003": lambda: h.slash(
            "result", [_option("track", "darlington"), _option("season", 2003, kind=4)]
        ),
        "/closest": lambda: h.slash("closest"),
        "/closest track talladega": lambda: h.slash("closest", [_option("track", "talladega")]),
        "/closest driver Kyle Larson": lambda: h.slash("closest", [_option("driver", "Kyle Larson")]),
        "/driver Kyle Larson": lambda: h.slash("driver", [_option("name", "Kyle Larson")]),
        "/driver Richard Petty": lambda: h.slash("driver", [_option("name", "Richard Petty")]),
        "/driver, another each time": lambda: h.slash("driver", [_option("name", drivers[next(turn) % len(drivers)])]),
        "/quote search": lambda: h.slash("quote", [_option("search", "picture")]),
        "/quote driver Kyle Larson": lambda: h.slash("quote", [_option("driver", "Kyle Larson")]),
        "/next": lambda: h.slash("next"),
        "/schedule": lambda: h.slash("schedule"),
        "/schedule 2024": lambda: h.slash("schedule", [_option("season", 2024, kind=4)]),
        "/standings": lambda: h.slash("standings"),
        "/about": lambda: h.slash("about"),
        "/trivia play": lambda: h.slash("trivia play", [_option("questions", 5, kind=4)]),
        "/trivia leaderboard": lambda: h.slash("trivia leaderboard"),
        "/trivia stats": lambda: h.slash("trivia stats"),
    }
    for kind, label in (("field", "full field"), ("stages", "stages"), ("quotes", "quotes")):
        if kind in buttons:
            custom_id, message = buttons[kind]
            made[f"/result kansas → {label}"] = lambda c=custom_id, m=message: h.click(c, m)  # type: ignore[misc]
    return made


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _stamp() -> str:
    """The CSV and every migration's text: a schema change (even within a step) builds afresh."""
    stat = CSV.stat()
    schema = "".join(sql for _, sql in migration_steps())
    return hashlib.sha256(f"{stat.st_size}:{stat.st_mtime}:{schema}".encode()).hexdigest()[:12]


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


async def measure(databases: dict[str, Path], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Every size's bot open at once, fed in turn payload by payload: load on the machine hits all alike."""
    async with AsyncExitStack() as stack:
        bots: dict[str, tuple[Harness, Any, dict[str, Callable[[], dict[str, Any]]]]] = {}
        for size, database in databases.items():
            settings = Settings(_env_file=None, database_path=str(database), discord_token=None)
            h = await stack.enter_async_context(harness(settings))
            # Trivia: no cooldown and no running game between rounds, so every /trivia play starts a game.
            await h.bot.store.trivia.update_settings(guild_id=GUILD_ID, cooldown_s=0)
            bots[size] = (h, h.bot.get_cog("Trivia"), cases(h, await result_buttons(h), await many_drivers(h)))
        names = list(dict.fromkeys(name for _, _, made in bots.values() for name in made))
        times: dict[str, dict[str, list[float]]] = {
            size: {name: [] for name in made} for size, (_, _, made) in bots.items()
        }
        gc.collect()
        for n in range(WARMUP + rounds):
            for name in names:
                for size, (h, trivia, made) in bots.items():
                    if name not in made:
                        continue
                    elapsed, _ = await h.feed(made[name]())
                    if n >= WARMUP:
                        times[size][name].append(elapsed)
                    if name == "/trivia play" and trivia is not None:
                        trivia.games.stop_all()
                        trivia.games.ended_at.clear()
        return times


def report(results: dict[str, dict[str, list[float]]]) -> None:
    sizes = list(results)
    names = list(dict.fromkeys(name for times in results.values() for name in times))
    own: dict[str, dict[str, tuple[float, float]]] = {}
    for size, times in results.items():
        p50_ping, p99_ping = percentile(times["/ping"], 50), percentile(times["/ping"], 99)
        own[size] = {name: (percentile(v, 50) - p50_ping, percentile(v, 99) - p99_ping) for name, v in times.items()}
        print(f"{size}: /ping p50 {p50_ping * 1000:.3f} ms, p99 {p99_ping * 1000:.3f} ms")
    header = "".join(f" {size + ' p50':>11} {size + ' p99':>11}" for size in sizes)
    growth = {"1x", "10x"} <= set(sizes)
    ratios = f" {'10x/1x own':>11} {'10x/1x all':>11}" if growth else ""
    print(f"\n{'command (ms over /ping)':32}{header}{ratios}")
    for name in names:
        if name == "/ping":
            continue
        cells = "".join(
            f" {own[s][name][0] * 1000:11.2f} {own[s][name][1] * 1000:11.2f}"
            if name in own[s]
            else f" {'–':>11} {'–':>11}"
            for s in sizes
        )
        shown = ""
        if growth and name in own["1x"] and name in own["10x"]:
            mine = own["10x"][name][0] / own["1x"][name][0] if own["1x"][name][0] > 0 else float("nan")
            whole = percentile(results["10x"][name], 50) / percentile(results["1x"][name], 50)
            shown = f" {mine:11.2f} {whole:11.2f}"
        print(f"{name:32}{cells}{shown}")


async def run(rounds: int, sizes: list[str]) -> int:
    if not CSV.is_file():
        print(f"history sizes skipped: {CSV} is not present")
        sizes = [s for s in sizes if s == "bundled"]
    databases = {size: await asyncio.to_thread(build, size) for size in sizes}
    try:
        results = await measure(databases, rounds)
    finally:
        for database in databases.values():
            shutil.rmtree(database.parent, ignore_errors=True)
    print(f"\n{rounds} rounds after {WARMUP} warm-up; sizes interleaved; in-process harness (bench/harness.py)")
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
