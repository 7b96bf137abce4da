"""Points-feed fixtures and a fake feed serving them at the real addresses (tests/fixtures/points)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db.importers.feed.points import final_points_url, live_points_url
from db.importers.feed.points_sync import PointsSyncReport, sync_live_points, sync_points
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, FakeFeed

POINTS = Path(__file__).resolve().parents[1] / "fixtures" / "points"
NOW = dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)


def final_url(season: int = 2030, series_id: int = 1) -> str:
    return final_points_url(BASE, season, series_id)


def live_url(feed_race_id: int, series_id: int = 1) -> str:
    return live_points_url(BASE, series_id, feed_race_id)


def serving(url: str, fixture: str) -> FakeFeed:
    return FakeFeed({url: POINTS / fixture})


async def sync_final(
    db: SqliteDatabase, fixture: str, *, season: int = 2030, now: dt.datetime = NOW
) -> PointsSyncReport:
    feed = serving(final_url(season), fixture)
    return await sync_points(db, feed, base_url=BASE, series="cup", season=season, clock=lambda: now)


async def sync_live(db: SqliteDatabase, fixture: str, feed_race_id: int, *, now: dt.datetime = NOW) -> PointsSyncReport:
    feed = serving(live_url(feed_race_id), fixture)
    return await sync_live_points(db, feed, base_url=BASE, feed_race_id=feed_race_id, clock=lambda: now)
