"""`photofinish data import-history` and `photofinish data sync`: long imports with a progress bar."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import aiohttp
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.settings import Settings
from db.connection import open_database
from db.feed.client import USER_AGENT, HttpFetcher
from db.feed.sync import FeedSync
from db.history import HISTORY_URLS, HistoryError, HistoryReport, import_history, read_history_bytes
from db.loader import load_bundled
from db.models import Series

console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


async def _download(url: str) -> bytes:
    async with (
        aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}, timeout=aiohttp.ClientTimeout(total=300)) as http,
        http.get(url) as response,
    ):
        if response.status != 200:
            raise HistoryError(url, f"download failed (HTTP {response.status})")
        return await response.read()


async def read_history_source(source: str) -> tuple[bytes, str]:
    """Bytes of a local file or a URL, and a short name for messages."""
    if source.startswith(("http://", "https://")):
        with console.status(f"Downloading {source}"):
            return await _download(source), source
    path = Path(source)
    try:
        return await asyncio.to_thread(path.read_bytes), path.name
    except OSError as error:
        raise HistoryError(source, f"cannot read the file ({error.strerror})") from None


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


async def import_history_command(settings: Settings, source: str | None, series: Series) -> int:
    data, name = await read_history_source(source or HISTORY_URLS[series])
    with console.status(f"Reading {name}"):
        races, digest = await asyncio.to_thread(read_history_bytes, data, source=name)
    async with open_database(settings.database_path) as conn:
        await load_bundled(conn)
        with _progress() as progress:
            task = progress.add_task(f"Importing {series} history", total=len(races))
            report = await import_history(
                conn,
                races,
                series=series,
                now=dt.datetime.now(dt.UTC),
                digest=digest,
                progress=lambda n: progress.advance(task, n),
            )
    for line in describe_history(report):
        print(line)
    return 0


async def sync_command(settings: Settings, season: int | None, series: Series | None) -> int:
    season = season or dt.datetime.now(dt.UTC).year
    async with open_database(settings.database_path) as conn, HttpFetcher() as fetch:
        await load_bundled(conn)
        sync = FeedSync(conn, fetch, base_url=settings.feed_base_url, clock=lambda: dt.datetime.now(dt.UTC))
        with _progress() as progress:
            task = progress.add_task(f"Syncing {season} {series or 'all series'}", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = await sync.sync_season(season, series, progress=advance)
    print(
        f"{report.races_seen} races in the feed; {report.races_changed} added or changed; "
        f"results of {report.results_synced} races synced"
        + (f"; corrected: {len(report.corrected)}" if report.corrected else "")
    )
    for missing in report.not_available:
        print(f"not available: {missing}")
    return 0
