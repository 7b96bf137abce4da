"""Benchmark: import the full nascaR.data Cup table (100k rows) into a fresh database.

Run: /tmp/pf/venv/bin/python -m bench.import_history   (or .venv/bin/python -m bench.import_history)
Skips cleanly when ../shared/data is absent. Not a test: the figure goes into bench/README.md.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from db.connection import open_database
from db.history import import_history, read_history_bytes
from db.loader import load_bundled

CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "cup-history" / "cup_series.csv"


async def measure() -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "bench.db") as conn:
            await load_bundled(conn)
            start = time.perf_counter()
            races, digest = read_history_bytes(CSV.read_bytes(), source=CSV.name)
            parsed = time.perf_counter()
            report = await import_history(conn, races, now=dt.datetime.now(dt.UTC), digest=digest)
            done = time.perf_counter()
            again = await import_history(conn, races, now=dt.datetime.now(dt.UTC), digest=digest)
            reimport = time.perf_counter() - done
    print(f"rows {report.rows:,}, races {report.races:,}, results written {report.results_written:,}")
    print(f"read+parse {parsed - start:.2f} s, import {done - parsed:.2f} s, total {done - start:.2f} s")
    print(f"re-import (no changes: {not again.changed}) {reimport:.2f} s")


def main() -> int:
    if not CSV.is_file():
        print(f"skipped: {CSV} is not present")
        return 0
    asyncio.run(measure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
