"""The history-sized database the benchmarks run on: bundled data + the full nascaR.data Cup table.

Built once into a cache folder (the CSV is never copied into the repo) and reused while the CSV and
the schema are unchanged. Returns None when ../shared/data is absent: benchmarks then skip.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import shutil
import tempfile
from pathlib import Path

from db.importers.history import HistoryReader, import_history
from db.importers.loader import load_bundled
from db.storage.backend import open_db
from db.storage.connection import migration_steps

CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "cup-history" / "cup_series.csv"
CACHE = Path(tempfile.gettempdir()) / "photofinish-bench"


def skip_message() -> str:
    return f"skipped: {CSV} is not present (benchmarks need the full history)"


async def history_database() -> Path | None:
    """A fresh copy of the cached history database, or None without the CSV."""
    if not CSV.is_file():
        return None
    # Every migration's text, not their count: a schema change within a step builds afresh too.
    schema = "".join(sql for _, sql in migration_steps())
    stamp = hashlib.sha256(f"{CSV.stat().st_size}:{CSV.stat().st_mtime}:{schema}".encode())
    cached = CACHE / f"history-{stamp.hexdigest()[:12]}.db"
    if not cached.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        async with open_db(building) as db:
            await load_bundled(db)
            with CSV.open("rb") as handle:
                reader = HistoryReader(handle, source=CSV.name, series="cup")
                await import_history(db, reader, now=dt.datetime.now(dt.UTC), digest=lambda: reader.digest)
            await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        building.rename(cached)
    work = Path(tempfile.mkdtemp(prefix="photofinish-bench-"))
    atexit.register(shutil.rmtree, work, True)  # the copy lives as long as this process
    copy = work / "photofinish.db"
    shutil.copyfile(cached, copy)
    return copy
