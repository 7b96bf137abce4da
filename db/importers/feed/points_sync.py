"""Fetch NASCAR's points feeds and store the standings, one snapshot per race.

`sync_points` reads the season's driver points (the official standings after the latest race) and
`sync_live_points` the live points of a race being run. Both take the feed sync's `FetchJson`, keep
every response in raw_responses, and write in one data transaction, so a failure stores nothing
and a repeat of the same response changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from db.importers.feed.client import SERIES_IDS, FetchJson
from db.importers.feed.points import (
    ParsedPoints,
    final_points_url,
    live_points_url,
    parse_final_points,
    parse_live_points,
    races_run,
)
from db.importers.feed.write import store_raw
from db.importers.resolve import FEED_SOURCE, ensure_source
from db.models import Series
from db.repos.standings import write_snapshot
from db.storage.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


@dataclass
class PointsSyncReport:
    stored: list[str] = field(default_factory=list)  # "2020 cup after race 11 (official)"
    unchanged: list[str] = field(default_factory=list)
    not_available: list[str] = field(default_factory=list)
    skipped_rows: int = 0
    after_race: int | None = None  # the race the fetched standings stand after, when there were any
    caught_up: bool = False  # sync_official_points_after: the official standings stand after the race

    @property
    def changed(self) -> bool:
        return bool(self.stored)


async def _get(db: Database, fetch: FetchJson, url: str, now: dt.datetime) -> Any:
    response = await fetch(url)
    async with db.transaction():
        await store_raw(db, url, response, now)
    if not response.available:
        log.info("Points feed has no data at %s (HTTP %d)", url, response.status)
        return None
    return response.body


async def _store(
    db: Database,
    report: PointsSyncReport,
    *,
    series: Series,
    season: int,
    after_race: int,
    official: bool,
    url: str,
    points: ParsedPoints,
    now: dt.datetime,
) -> None:
    label = f"{season} {series} after race {after_race} ({'official' if official else 'live'})"
    async with db.data_transaction():
        await ensure_source(db, FEED_SOURCE)
        changed = await write_snapshot(
            db,
            series=series,
            season=season,
            after_race=after_race,
            official=official,
            source=FEED_SOURCE[0],
            url=url,
            fetched_at=now,
            entries=points.entries,
        )
    report.skipped_rows += points.skipped
    report.after_race = after_race
    (report.stored if changed else report.unchanged).append(label)


async def sync_points(
    db: Database, fetch: FetchJson, *, base_url: str, series: Series, season: int, clock: Clock
) -> PointsSyncReport:
    """The season's official driver points, stored as the standings after the races run so far."""
    report = PointsSyncReport()
    url = final_points_url(base_url, season, SERIES_IDS[series])
    now = clock()
    points = parse_final_points(await _get(db, fetch, url, now))
    if points is None:
        report.not_available.append(f"{season} {series} points")
        return report
    after = races_run(points)
    if after < 1:
        report.not_available.append(f"{season} {series} points: no race run yet")
        return report
    await _store(
        db, report, series=series, season=season, after_race=after, official=True, url=url, points=points, now=now
    )
    return report


async def _points_race(db: Database, feed_race_id: int) -> tuple[Series, int, int] | None:
    """Series, season and points-race number of a feed race we hold; None for an exhibition or a race we don't."""
    race = await db.fetch_one("SELECT series, season, race_number FROM races WHERE feed_race_id = ?", (feed_race_id,))
    if race is None or race["race_number"] is None:
        return None
    return race["series"], int(race["season"]), int(race["race_number"])


async def sync_live_points(
    db: Database, fetch: FetchJson, *, base_url: str, feed_race_id: int, clock: Clock
) -> PointsSyncReport:
    """Live points during one race (a feed race we hold), stored as unofficial standings after it."""
    report = PointsSyncReport()
    race = await _points_race(db, feed_race_id)
    if race is None:
        # An exhibition pays no points, and a race we don't hold has no number to file the standings under.
        report.not_available.append(f"live points of feed race {feed_race_id}: not a points race we hold")
        return report
    series, season, number = race
    url = live_points_url(base_url, SERIES_IDS[series], feed_race_id)
    now = clock()
    points = parse_live_points(await _get(db, fetch, url, now))
    if points is None:
        report.not_available.append(f"live points of feed race {feed_race_id}")
        return report
    await _store(
        db, report, series=series, season=season, after_race=number, official=False, url=url, points=points, now=now
    )
    return report


async def sync_official_points_after(
    db: Database, fetch: FetchJson, *, base_url: str, feed_race_id: int, clock: Clock
) -> PointsSyncReport:
    """The season's official points once a race is official; `caught_up` once they stand after that race.

    The results turning official and the final points feed moving on need not happen in the same minute,
    so the caller asks again until the standings have caught up with the race.
    """
    race = await _points_race(db, feed_race_id)
    if race is None:
        return PointsSyncReport(caught_up=True)  # an exhibition: no points to wait for
    series, season, number = race
    report = await sync_points(db, fetch, base_url=base_url, series=series, season=season, clock=clock)
    report.caught_up = report.after_race is not None and report.after_race >= number
    return report
