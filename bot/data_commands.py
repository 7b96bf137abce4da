"""`photofinish data import-history`, `data sync` and `db copy`: long jobs with a progress bar.

Every way an import can fail ends as one HistoryError line (bot/cli.py prints it and exits 1), and the
database is left as it was: the source is checked before the database is opened, and the import is one
transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, get_args

import aiohttp
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.settings import Settings
from db.importers.feed.client import USER_AGENT, FetchJson, HttpFetcher
from db.importers.feed.points_sync import PointsSyncReport, sync_points
from db.importers.feed.sync import FeedSync, SyncReport
from db.importers.history import HISTORY_URLS, HistoryError, HistoryReader, HistoryReport, import_history
from db.importers.history_csv import series_from_name
from db.importers.loader import load_bundled
from db.models import SERIES_NAMES, Series
from db.storage.backend import open_db, parse_location
from db.storage.copy import CopyRefused, copy_database
from db.storage.database import Database

console = Console(stderr=True)


def _progress(*columns: object) -> Progress:
    # Only on a terminal: piped or captured stderr keeps to the one-line error (or nothing) it promises.
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        *columns,  # type: ignore[arg-type]
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    )


def choose_series(source: str, given: Series | None) -> Series:
    """The series from --series or the file name; a mismatch between them is refused."""
    named = series_from_name(source)
    if named is not None and given is not None and named != given:
        raise HistoryError(
            source,
            f"this is the {SERIES_NAMES[named]} table, not the {SERIES_NAMES[given]} one: run with --series {named}",
        )
    return given or named or "cup"


async def _download(url: str, target: BinaryIO) -> None:
    """Stream a download to a file; network failures become one line."""
    try:
        async with (
            aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}, timeout=aiohttp.ClientTimeout(total=300)) as http,
            http.get(url) as response,
        ):
            if response.status != 200:
                raise HistoryError(url, f"download failed (HTTP {response.status})")
            async for block in response.content.iter_chunked(1 << 16):
                target.write(block)
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        reason = str(error) or type(error).__name__
        raise HistoryError(
            url, f"cannot download the table ({reason}); offline? Give a local file: data import-history FILE"
        ) from None


@contextlib.contextmanager
def _open_local(path: Path) -> Iterator[BinaryIO]:
    try:
        handle = path.open("rb")
    except OSError as error:
        raise HistoryError(str(path), f"cannot read the file ({error.strerror or error})") from None
    with handle:
        yield handle


async def import_history_command(settings: Settings, source: str | None, series: Series | None) -> int:
    chosen = choose_series(source or "", series)
    location = source or HISTORY_URLS[chosen]
    with contextlib.ExitStack() as stack:
        if location.startswith(("http://", "https://")):
            handle: BinaryIO = stack.enter_context(tempfile.TemporaryFile())
            with console.status(f"Downloading {location}"):
                await _download(location, handle)
            handle.seek(0)
            name, size = location, handle.seek(0, os.SEEK_END)
            handle.seek(0)
        else:
            path = Path(location)
            handle = stack.enter_context(_open_local(path))
            name, size = path.name, os.fstat(handle.fileno()).st_size
        reader = HistoryReader(handle, source=name, series=chosen)
        report = await _import(settings, reader, chosen, size)
    for line in describe_history(report):
        print(line)
    return 0


async def _import(settings: Settings, reader: HistoryReader, series: Series, size: int) -> HistoryReport:
    async with open_db(settings.database) as db:
        await load_bundled(db)
        with _progress(DownloadColumn()) as progress:
            task = progress.add_task(f"Importing {series} history", total=size)
            return await import_history(
                db,
                reader,
                series=series,
                now=dt.datetime.now(dt.UTC),
                digest=lambda: reader.digest,
                progress=lambda _n: progress.update(task, completed=reader.position),
            )


def describe_history(report: HistoryReport) -> list[str]:
    lines = [
        f"{report.rows:,} rows in {report.races:,} races: {report.races_added:,} races added, "
        f"{report.races_filled:,} filled in, {report.races_corrected:,} corrected, "
        f"{report.races_unchanged + report.races_kept:,} unchanged ({report.races_kept:,} kept from richer sources)",
        f"{report.results_written:,} result rows written; {report.tracks_created} new tracks, "
        f"{report.drivers_created:,} new drivers",
    ]
    lines += [f"skipped: {reason}" for reason in report.skipped]
    return lines


async def sync_command(
    settings: Settings, season: int | None, series: Series | None, *, fetch: FetchJson | None = None
) -> int:
    """Schedule, results and official points standings of a season from the feed (the real one unless given)."""
    season = season or dt.datetime.now(dt.UTC).year
    async with contextlib.AsyncExitStack() as stack:
        if fetch is None:
            fetch = await stack.enter_async_context(HttpFetcher())
        db = await stack.enter_async_context(open_db(settings.database))
        await load_bundled(db)
        lines = await _sync(db, fetch, settings.feed_base_url, season, series)
    for line in lines:
        print(line)
    return 0


async def _sync(db: Database, fetch: FetchJson, base_url: str, season: int, series: Series | None) -> list[str]:
    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    sync = FeedSync(db, fetch, base_url=base_url, clock=clock)
    with _progress(MofNCompleteColumn()) as progress:
        task = progress.add_task(f"Syncing {season} {series or 'all series'}", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = await sync.sync_season(season, series, progress=advance)
    # After the results: the points feed is published once a race is official, like the results it counts.
    points = PointsSyncReport()
    chosen: tuple[Series, ...] = (series,) if series else get_args(Series)
    for code in chosen:
        found = await sync_points(db, fetch, base_url=base_url, series=code, season=season, clock=clock)
        points.stored += found.stored
        points.unchanged += found.unchanged
        points.not_available += found.not_available
    return describe_sync(report, points)


def describe_sync(report: SyncReport, points: PointsSyncReport) -> list[str]:
    lines = [
        f"{report.races_seen} races in the feed; {report.races_changed} added or changed; "
        f"results of {report.results_synced} races synced"
        + (f"; corrected: {len(report.corrected)}" if report.corrected else "")
    ]
    lines += [f"standings stored: {label}" for label in points.stored]
    lines += [f"standings unchanged: {label}" for label in points.unchanged]
    lines += [f"not available: {missing}" for missing in (*report.not_available, *points.not_available)]
    return lines


__all__ = ["choose_series", "describe_history", "describe_sync", "import_history_command", "sync_command"]


async def copy_command(source: str, target: str) -> int:
    """Every row of one database into another (either backend); the target is migrated and must be empty.

    Opening migrates both, so the two schemas are the same version; the copy is one transaction on the target.
    """
    origin, destination = parse_location(source), parse_location(target)
    if origin == destination:
        raise CopyRefused(f"{origin}: --from and --to are the same database")
    if origin.dialect == "sqlite" and not await asyncio.to_thread(os.path.isfile, origin.target):
        raise CopyRefused(f"{origin}: no database here to copy from (--from)")  # opening would make an empty one
    async with open_db(origin) as read, open_db(destination) as write:
        with _progress(MofNCompleteColumn()) as progress:
            tasks: dict[str, object] = {}

            def advance(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = progress.add_task(table, total=total)
                progress.update(tasks[table], completed=done)  # type: ignore[arg-type]
                if done == total and not console.is_terminal:
                    console.print(f"{table}: {total:,} rows", highlight=False)

            try:
                copied = await copy_database(read, write, progress=advance)
            except CopyRefused as refused:
                raise CopyRefused(f"{destination}: {refused}") from None
    rows = sum(count for _, count in copied)
    print(f"Copied {rows:,} rows in {len(copied)} tables from {origin} to {destination}")
    return 0
