"""Benchmark: import time and peak RSS of the nascaR.data history tables, streamed into a fresh database.

Run: .venv/bin/python -m bench.import_history [--only cup,xfinity,truck,cup10x]
Each import runs in a fresh child process (peak RSS is the child's VmHWM, interpreter included): Cup,
Xfinity and Truck as they are in ../shared/data, and a synthetic 10x Cup history — the real table plus
nine copies with seasons shifted by +100*k (1,001,380 rows) — built in a temporary folder, never in
the repo. Each child imports the file into a fresh database with the bundled data, then imports it
again (that must change nothing). Target: peak RSS <= 400 MB for the 1M-row table. Skips cleanly when
../shared/data is absent. Not a test: the figures go into bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from db.importers.history import HistoryReader, import_history
from db.importers.loader import load_bundled
from db.models import Series
from db.storage.backend import open_db
from db.storage.database import Database

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TABLES: dict[str, tuple[Series, Path]] = {
    "cup": ("cup", SHARED / "cup-history" / "cup_series.csv"),
    "xfinity": ("xfinity", SHARED / "xfinity-history" / "xfinity_series.csv"),
    "truck": ("truck", SHARED / "truck-history" / "truck_series.csv"),
}
TARGET_MB = 400.0


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


async def _import_once(db: Database, series: Series, csv: Path) -> tuple[float, bool, int]:
    start = time.perf_counter()
    with csv.open("rb") as handle:
        reader = HistoryReader(handle, source=csv.name, series=series)
        report = await import_history(
            db,
            reader,
            series=series,
            now=dt.datetime.now(dt.UTC),
            digest=lambda: reader.digest,
        )
    return time.perf_counter() - start, report.changed, report.rows


async def child(series: Series, csv: Path, folder: Path) -> dict[str, float | int | bool]:
    async with open_db(folder / "bench.db") as db:
        await load_bundled(db)
        imported, _, rows = await _import_once(db, series, csv)
        peak_after_import = peak_rss_mb()
        reimported, changed, _ = await _import_once(db, series, csv)
    return {
        "rows": rows,
        "import_s": round(imported, 2),
        "reimport_s": round(reimported, 2),
        "reimport_changed": changed,
        "peak_rss_mb": round(max(peak_after_import, peak_rss_mb()), 1),
    }


def synthetic_10x(cup: Path, target: Path) -> Path:
    """The real Cup table plus nine copies with seasons shifted by +100*k, streamed line by line."""
    with cup.open(encoding="utf-8", newline="") as source, target.open("w", encoding="utf-8", newline="") as out:
        header = source.readline()
        out.write(header)
        body = source.read()
    lines = body.splitlines(keepends=True)
    with target.open("a", encoding="utf-8", newline="") as out:
        for k in range(10):
            for line in lines:
                season, rest = line.split(",", 1)
                out.write(f"{int(season) + 100 * k},{rest}")
    return target


def run_child(series: Series, csv: Path, folder: Path) -> dict[str, float | int | bool]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_history", "--child", series, str(csv), str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_history")
    parser.add_argument("--only", default="cup,xfinity,truck,cup10x", help="comma-separated: cup,xfinity,truck,cup10x")
    parser.add_argument("--child", nargs=3, metavar=("SERIES", "CSV", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        series, csv, folder = args.child
        print(json.dumps(asyncio.run(child(series, Path(csv), Path(folder)))))
        return 0
    if not TABLES["cup"][1].is_file():
        print(f"skipped: {TABLES['cup'][1]} is not present")
        return 0
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    print("| table | rows | import | re-import (changes nothing) | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    ok = True
    for name in wanted:
        with tempfile.TemporaryDirectory(prefix="photofinish-import-") as work:
            folder = Path(work)
            if name == "cup10x":
                series, csv = "cup", synthetic_10x(TABLES["cup"][1], folder / "cup_series_10x.csv")
            else:
                series, csv = TABLES[name]
            figures = run_child(series, csv, folder)
        ok &= not figures["reimport_changed"]
        if name == "cup10x":
            ok &= float(figures["peak_rss_mb"]) <= TARGET_MB
        print(
            f"| {name} | {int(figures['rows']):,} | {figures['import_s']:.2f} s | {figures['reimport_s']:.2f} s"
            f"{'' if not figures['reimport_changed'] else ' (CHANGED)'} | {figures['peak_rss_mb']:.0f} MB |",
            flush=True,
        )
    print(f"target: peak RSS <= {TARGET_MB:.0f} MB for the 1M-row table: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
