"""The background feed sync: daily schedule refresh, polling after a start, the results-official hook."""

from __future__ import annotations

import datetime as dt

import aiosqlite

from bot.feed_sync import FeedSyncLoop
from db.feed.sync import FeedSync
from db.meta import SqliteMeta
from tests.db.fake_feed import BASE, load_fixture, official, synthetic_feed, weekend_url


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def make_loop(conn: aiosqlite.Connection, clock: Clock, calls: list[int]) -> tuple[FeedSyncLoop, object]:
    feed = synthetic_feed()

    async def on_official(race_id: int) -> None:
        calls.append(race_id)

    sync = FeedSync(conn, feed, base_url=BASE, clock=clock)
    return FeedSyncLoop(sync, SqliteMeta(conn), on_official=on_official), feed


async def test_schedule_is_refreshed_once_a_day(conn: aiosqlite.Connection) -> None:
    clock = Clock(dt.datetime(2030, 1, 10, tzinfo=dt.UTC))
    loop, _ = make_loop(conn, clock, [])
    first = await loop.tick()
    clock.now += dt.timedelta(hours=6)
    second = await loop.tick()
    clock.now += dt.timedelta(days=1)
    third = await loop.tick()
    assert (first.schedule_refreshed, second.schedule_refreshed, third.schedule_refreshed) == (True, False, True)


async def test_race_is_polled_only_after_its_start(conn: aiosqlite.Connection) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 19, 0, tzinfo=dt.UTC))  # 30 min before the synthetic 500
    loop, feed = make_loop(conn, clock, [])
    await loop.tick()
    assert weekend_url(9002) not in feed.requests  # type: ignore[attr-defined]
    clock.now += dt.timedelta(hours=4)
    await loop.tick()
    assert weekend_url(9002) in feed.requests  # type: ignore[attr-defined]


async def test_turning_official_calls_the_results_hook_once(conn: aiosqlite.Connection) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 23, 0, tzinfo=dt.UTC))
    calls: list[int] = []
    loop, feed = make_loop(conn, clock, calls)
    await loop.tick()  # provisional
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))  # type: ignore[attr-defined]
    clock.now += dt.timedelta(minutes=5)
    await loop.tick()
    clock.now += dt.timedelta(minutes=5)
    last = await loop.tick()
    async with conn.execute("SELECT id FROM races WHERE feed_race_id = 9002") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    assert (calls, row[0] in last.polled) == ([row[0]], False)


async def test_polling_stops_after_the_window(conn: aiosqlite.Connection) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 23, 0, tzinfo=dt.UTC))
    loop, _ = make_loop(conn, clock, [])
    await loop.tick()
    clock.now += dt.timedelta(days=4)
    assert (await loop.tick()).polled == []


async def test_a_failing_hook_does_not_stop_the_sync(conn: aiosqlite.Connection) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 23, 0, tzinfo=dt.UTC))
    feed = synthetic_feed()
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))

    async def broken(race_id: int) -> None:
        raise RuntimeError("alerts down")

    loop = FeedSyncLoop(FeedSync(conn, feed, base_url=BASE, clock=clock), SqliteMeta(conn), on_official=broken)
    report = await loop.tick()
    assert len(report.turned_official) == 1
