"""Import the nascaR.data history tables (Cup 1949-, Xfinity 1982-, Truck 1995-) into the store.

One transaction for the whole file, so an interrupted import leaves the database as it was. Races arrive
one at a time from the reader and are written in chunks: memory stays flat however long the table.
Races that already exist (bundled data, the feed) keep their richer figures; history only fills what
they lack. Re-importing the same file changes nothing. Row rules (unknown stays NULL): db.importers.history_rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from db.importers.history_csv import HistoryError, HistoryRace, HistoryReader, read_history_bytes
from db.importers.history_writer import HistoryReport, HistoryWriter, Progress
from db.importers.resolve import history_source
from db.models import Series
from db.repos.rows import to_utc_text
from db.storage.database import Database

log = logging.getLogger(__name__)

SOURCE_KEY = history_source("cup")[0]
HISTORY_URLS: dict[str, str] = {
    "cup": "https://nascar.kylegrealis.com/cup_series.csv",
    "xfinity": "https://nascar.kylegrealis.com/xfinity_series.csv",
    "truck": "https://nascar.kylegrealis.com/truck_series.csv",
}


async def import_history(
    db: Database,
    races: Iterable[HistoryRace],
    *,
    series: Series = "cup",
    now: dt.datetime,
    digest: str | Callable[[], str] | None = None,
    load_name: str | None = None,
    progress: Progress | None = None,
) -> HistoryReport:
    """Write history races (a list or a streaming HistoryReader) in one transaction; any error changes nothing.

    `digest` may be a callable: a streaming reader knows the file's sha256 only once it has been read.
    """
    async with db.data_transaction():
        report = await HistoryWriter(db, series, now, progress).write(races)
        if digest is not None:
            await db.execute(
                f"""INSERT INTO data_loads (name, sha256, loaded_at) VALUES (?, ?, ?)
                   ON CONFLICT(name) DO UPDATE SET sha256 = excluded.sha256, loaded_at = excluded.loaded_at
                   WHERE {db.dialect.differs("data_loads.sha256", "excluded.sha256")}""",
                (load_name or f"{SOURCE_KEY}:{series}", digest() if callable(digest) else digest, to_utc_text(now)),
            )
    log.info("History import: %s", report)
    return report


__all__ = ["HISTORY_URLS", "HistoryError", "HistoryReader", "HistoryReport", "import_history", "read_history_bytes"]
