"""The background feed sync: daily schedule refresh, polling after a start, the results-official hook."""

from __future__ import annotations

import datetime as dt

import aiohttp

from bot.feed_sync import OFFICIAL_POINTS_TRIES, FeedSyncLoop
from db.importers.feed.client import FeedResponse
from db.importers.feed.sync import FeedSync
from db.models.standings import StandingsSnapshot
from db.repos.meta import MetaStore
from db.repos.standings import StandingsStore
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, FakeFeed, load_fixture, official, synthetic_feed, weekend_url
from tests.db.points_fixtures import POINTS, final_url, live_url


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def make_loop(db: SqliteDatabase, clock: Clock, calls: list[int]) -> tuple[FeedSyncLoop, object]:
    feed = synthetic_feed()

    async def on_official(race_id: int) -> None:
        calls.append(race_id)

    sync = FeedSync(db, feed, base_url=BASE, clock=clock)
    return FeedSyncLoop(sync, MetaStore(db), on_official=on_official), feed


async def test_schedule_is_refreshed_once_a_day(db: SqliteDatabase) -> None:
    clock = Clock(dt.datetime(2030, 1, 10, tzinfo=dt.UTC))
    loop, _ = make_loop(db, clock, [])
    first = await loop.tick()
    clock.now += dt.timedelta(hours=6)
    second = await loop.tick()
    clock.now += dt.timedelta(days=1)
    third = await loop.tick()
    assert (first.schedule_refreshed, second.schedule_refreshed, third.schedule_refreshed) == (True, False, True)


async def test_race_is_polled_only_after_its_start(db: SqliteDatabase) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 19, 0, tzinfo=dt.UTC))  # 30 min before the synthetic 500
    loop, feed = make_loop(db, clock, [])
    await loop.tick()
    assert weekend_url(9002) not in feed.requests  # type: ignore[attr-defined]
    clock.now += dt.timedelta(hours=4)
    await loop.tick()
    assert weekend_url(9002) in feed.requests  # type: ignore[attr-defined]


async def test_turning_official_calls_the_results_hook_once(db: SqliteDatabase) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 23, 0, tzinfo=dt.UTC))
    calls: list[int] = []
    loop, feed = make_loop(db, clock, calls)
    await loop.tick()  # provisional
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))  # type: ignore[attr-defined]
    clock.now += dt.timedelta(minutes=5)
    await loop.tick()
    clock.now += dt.timedelta(minutes=5)
    last = await loop.tick()
    row = await db.fetch_one("SELECT id FROM races WHERE feed_race_id = 9002")
    assert row is not None
    assert (calls, row[0] in last.polled) == ([row[0]], False)


async def test_polling_stops_after_the_window(db: SqliteDatabase) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 23, 0, tzinfo=dt.UTC))
    loop, _ = make_loop(db, clock, [])
    await loop.tick()
    clock.now += dt.timedelta(days=4)
    assert (await loop.tick()).polled == []


async def test_a_failing_hook_does_not_stop_the_sync(db: SqliteDatabase) -> None:
    clock = Clock(dt.datetime(2030, 2, 16, 23, 0, tzinfo=dt.UTC))
    feed = synthetic_feed()
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))

    async def broken(race_id: int) -> None:
        raise RuntimeError("alerts down")

    loop = FeedSyncLoop(FeedSync(db, feed, base_url=BASE, clock=clock), MetaStore(db), on_official=broken)
    report = await loop.tick()
    assert len(report.turned_official) == 1


# Points follow the results: live while a race runs, official once it is (tests/fixtures/points).

RACE_DAY = dt.datetime(2030, 2, 16, 23, 0, tzinfo=dt.UTC)  # the synthetic 500 (feed race 9002, race 1) has started


def points_loop(db: SqliteDatabase, clock: Clock, calls: list[object], feed: FakeFeed) -> FeedSyncLoop:
    async def on_official(race_id: int) -> None:
        calls.append(await StandingsStore(db).standings(series="cup", season=2030))

    return FeedSyncLoop(FeedSync(db, feed, base_url=BASE, clock=clock), MetaStore(db), on_official=on_official)


def requests_of(feed: FakeFeed, url: str) -> int:
    return feed.requests.count(url)


async def test_the_daily_round_stores_the_seasons_official_points(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    feed.routes[final_url(2030)] = POINTS / "final_2030_cup_after1.json"
    loop = points_loop(db, Clock(dt.datetime(2030, 1, 10, tzinfo=dt.UTC)), [], feed)

    report = await loop.tick()

    assert report.points == ["2030 cup after race 1 (official)"]
    assert {final_url(2030, 2), final_url(2030, 3)} <= set(feed.requests)  # every series is asked
    snapshot = await StandingsStore(db).standings(series="cup", season=2030)
    assert snapshot is not None and snapshot.official


async def test_each_poll_of_a_race_being_run_stores_its_live_points(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    feed.routes[live_url(9002)] = POINTS / "live_2030_cup_race3.json"
    loop = points_loop(db, Clock(RACE_DAY), [], feed)

    report = await loop.tick()

    assert report.points == ["2030 cup after race 1 (live)"]
    snapshot = await StandingsStore(db).standings(series="cup", season=2030)
    assert snapshot is not None and not snapshot.official and snapshot.rows[0].driver == "Blair Banking"


async def test_turning_official_stores_the_official_points_before_the_results_hook(
    db: SqliteDatabase,
) -> None:
    feed = synthetic_feed()
    feed.routes[live_url(9002)] = POINTS / "live_2030_cup_race3.json"
    clock = Clock(RACE_DAY)
    seen: list[object] = []
    loop = points_loop(db, clock, seen, feed)
    await loop.tick()  # provisional: live points
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))
    feed.routes[final_url(2030)] = POINTS / "final_2030_cup_after1.json"
    clock.now += dt.timedelta(minutes=5)

    report = await loop.tick()

    assert report.points == ["2030 cup after race 1 (official)"]
    [standings] = seen
    assert isinstance(standings, StandingsSnapshot) and standings.official and standings.after_race == 1
    assert live_url(9002) not in feed.requests[-3:]  # an official race's live points are not asked for


async def test_official_points_published_late_are_asked_for_until_they_stand_after_the_race(
    db: SqliteDatabase,
) -> None:
    feed = synthetic_feed()
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))
    clock = Clock(RACE_DAY)
    loop = points_loop(db, clock, [], feed)
    await loop.tick()  # official at once, but NASCAR has no final points yet (403)
    asked = requests_of(feed, final_url(2030))

    feed.routes[final_url(2030)] = POINTS / "final_2030_cup_after1.json"
    clock.now += dt.timedelta(minutes=5)
    second = await loop.tick()
    clock.now += dt.timedelta(minutes=5)
    await loop.tick()

    assert second.points == ["2030 cup after race 1 (official)"]
    assert requests_of(feed, final_url(2030)) == asked + 1  # caught up: not asked again


async def test_official_points_that_never_come_are_left_to_the_daily_round(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))
    clock = Clock(RACE_DAY)
    loop = points_loop(db, clock, [], feed)
    for _ in range(OFFICIAL_POINTS_TRIES + 5):
        await loop.tick()
        clock.now += dt.timedelta(minutes=5)

    # One ask in the daily round, then one per round for OFFICIAL_POINTS_TRIES rounds.
    assert requests_of(feed, final_url(2030)) == 1 + OFFICIAL_POINTS_TRIES


async def test_a_failing_points_feed_stops_neither_the_results_nor_the_hook(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))

    async def points_down(url: str) -> FeedResponse:
        if "points" in url:
            raise aiohttp.ClientConnectionError("points feed down")
        return await feed(url)

    calls: list[int] = []

    async def on_official(race_id: int) -> None:
        calls.append(race_id)

    sync = FeedSync(db, points_down, base_url=BASE, clock=Clock(RACE_DAY))
    report = await FeedSyncLoop(sync, MetaStore(db), on_official=on_official).tick()

    assert report.schedule_refreshed and calls == report.turned_official and len(calls) == 1
    assert report.points == []
