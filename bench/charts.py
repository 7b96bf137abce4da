"""Benchmark: chart latency, and how much the event loop lags while charts are drawn.

Run: python -m bench.charts [--renders 40]
Three ways of drawing the same charts, each while a ticker on the event loop sleeps 5 ms at a time
and records how late it wakes (the lag every other interaction and the gateway heartbeat would see):
  pool    the bot's ChartRenderer: one forkserver worker process (production)
  thread  asyncio.to_thread(render_png): off the loop, but the GIL is still shared
  inline  render_png on the loop itself: what drawing in a command callback would do
The charts are the three production renderers on full-size synthetic inputs (a 36-race season of
10 drivers, a 20-season career, 10 closest finishes): the shapes matter here, not the facts. Each
render uses a new data version, so the cache never answers; a last line measures a cache hit.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

from bot.charts.pool import ChartRenderer
from bot.charts.render import render_png
from bot.charts.specs import (
    ChartSpec,
    DriverSeasonsChart,
    Line,
    Margin,
    MarginsChart,
    ProgressionChart,
    SeasonBar,
)

TICK_S = 0.005


def specs() -> list[ChartSpec]:
    lines = tuple(
        Line(f"Driver number {d}", tuple((r, r * 34 - d * 9 + (r * d) % 17) for r in range(1, 37))) for d in range(10)
    )
    progression = ProgressionChart("2030 NASCAR Cup Series: points after each race", lines, 26.5, "end", "source")
    seasons = DriverSeasonsChart(
        "A driver: wins and top 10s per season",
        tuple(SeasonBar(2006 + i, 36, i % 6, 8 + i % 9) for i in range(20)),
        "source",
    )
    margins = MarginsChart(
        "Closest finishes",
        tuple(Margin(f"20{10 + i} Track {i}", "Winner", "Runner-up", 0.001 * (i + 1)) for i in range(10)),
        "s",
    )
    return [progression, seasons, margins]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(label: str, renders: int, draw: Callable[[ChartSpec, int], Awaitable[bytes]]) -> None:
    """Draw `renders` charts one after another while the ticker records the loop's lag."""
    lags: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(TICK_S)
            lags.append(time.perf_counter() - started - TICK_S)

    tick = asyncio.get_running_loop().create_task(ticker())
    await asyncio.sleep(0.05)
    latencies = []
    charts = specs()
    for index in range(renders):
        started = time.perf_counter()
        await draw(charts[index % len(charts)], index)
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0)  # each chart is its own interaction: other tasks run between them
    stop.set()
    await tick
    chart_ms = [x * 1000 for x in latencies]
    lag_ms = [x * 1000 for x in lags]
    print(
        f"{label:<7} chart p50 {statistics.median(chart_ms):6.0f} ms  p99 {percentile(chart_ms, 0.99):6.0f} ms"
        f"  | loop lag p50 {statistics.median(lag_ms):6.1f} ms  p99 {percentile(lag_ms, 0.99):6.1f} ms"
        f"  max {max(lag_ms):6.1f} ms  ({len(lags)} ticks)"
    )


async def run(renders: int) -> None:
    renderer = ChartRenderer()
    try:
        started = time.perf_counter()
        await renderer.render("warm-up", specs()[0], version=-1)
        print(f"cold start (forkserver, worker, first chart): {(time.perf_counter() - started) * 1000:.0f} ms")
        await measure("idle", max(renders // 4, 3), lambda spec, i: asyncio.sleep(0.1, result=b""))
        await measure("pool", renders, lambda spec, i: renderer.render(("bench", i), spec, version=i))

        async def thread(spec: ChartSpec, i: int) -> bytes:
            return await asyncio.to_thread(render_png, spec)

        async def inline(spec: ChartSpec, i: int) -> bytes:
            return render_png(spec)

        await measure("thread", renders, thread)
        await measure("inline", renders, inline)
        chart = specs()[0]
        await renderer.render("hit", chart, version=renders)
        started = time.perf_counter()
        for _ in range(1000):
            await renderer.render("hit", chart, version=renders)
        print(f"cache hit: {(time.perf_counter() - started) * 1000:.3f} µs each")
    finally:
        await renderer.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chart latency and event-loop lag while charts render")
    parser.add_argument("--renders", type=int, default=40)
    args = parser.parse_args(argv)
    asyncio.run(run(args.renders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
