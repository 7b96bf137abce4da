"""Feed sync on hand-written fixtures through a fake fetcher: schedule, results, missing data, idempotency."""

from __future__ import annotations

import datetime as dt
from typing import Any

import aiosqlite
import pytest

from db.importers.feed.parse import parse_margin
from db.importers.feed.sync import FeedSync
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, FIXTURES, FakeFeed, load_fixture, official, synthetic_feed, weekend_url

NOW = dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)


def make_sync(db: SqliteDatabase, feed: FakeFeed, now: dt.datetime = NOW) -> FeedSync:
    return FeedSync(db, feed, base_url=BASE, clock=lambda: now)


async def race_row(db: SqliteDatabase, feed_race_id: int) -> aiosqlite.Row:
    row = await db.fetch_one("SELECT * FROM races WHERE feed_race_id = ?", (feed_race_id,))
    assert row is not None, f"feed race {feed_race_id} not stored"
    return row


async def rows(db: SqliteDatabase, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.fetch(sql, params)]


async def counts(db: SqliteDatabase) -> dict[str, int]:
    tables = ("races", "results", "stage_results", "cautions", "race_leaders", "drivers", "tracks", "raw_responses")
    return {t: (await rows(db, f"SELECT count(*) FROM {t}"))[0][0] for t in tables}


async def test_schedule_numbers_points_races_and_flags_exhibitions(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_schedule(2030)
    clash, daytona, future = await race_row(db, 9001), await race_row(db, 9002), await race_row(db, 9003)
    assert (clash["points_race"], clash["race_number"]) == (0, None)
    assert (daytona["race_number"], future["race_number"]) == (1, 2)
    assert future["status"] == "scheduled"
    assert (await race_row(db, 9101))["series"] == "xfinity"


async def test_eastern_times_become_utc_and_the_race_event_time_wins(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_schedule(2030)
    assert (await race_row(db, 9002))["start_utc"] == "2030-02-16T19:30:00+00:00"  # 14:30 EST
    assert (await race_row(db, 9003))["start_utc"] == "2030-06-09T19:00:00+00:00"  # 15:00 EDT
    clash = await race_row(db, 9001)
    assert (clash["start_utc"], clash["race_date"]) == ("2030-02-03T01:00:00+00:00", "2030-02-02")


async def test_future_race_gets_no_placeholder_figures(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_schedule(2030)
    future = await race_row(db, 9003)
    assert (future["scheduled_laps"], future["scheduled_miles"], future["cautions"]) == (None, None, None)
    assert (future["tv"], future["margin_text"]) == (None, None)


async def test_weekend_feed_stores_results_with_text_car_numbers(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_season(2030, "cup")
    race = await race_row(db, 9002)
    field = await rows(
        db,
        """SELECT r.finish, r.car_number, d.name, r.status FROM results r JOIN drivers d ON d.id = r.driver_id
           WHERE r.race_id = ? ORDER BY r.finish""",
        race["id"],
    )
    assert field == [
        (1, "00", "Synthetic Driver One Jr", "running"),
        (2, "01", "Synthetic Driver Two", "running"),
        (3, "7", "Synthetic Driver Three", "accident"),
    ]


async def test_caution_margin_keeps_its_text_and_has_no_seconds(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_season(2030, "cup")
    race = await race_row(db, 9002)
    assert (race["margin_text"], race["margin_s"]) == ("Caution", None)


async def test_weekend_feed_stores_race_figures_stages_cautions_leaders_and_pole(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_season(2030, "cup")
    race = await race_row(db, 9002)
    assert (race["cautions"], race["caution_laps"], race["lead_changes"], race["leaders"]) == (2, 9, 2, 3)
    assert race["stage_ends"] == "[65, 130, 202]"
    assert await rows(db, "SELECT start_lap, end_lap, reason FROM cautions WHERE race_id = ?", race["id"]) == [
        (20, 24, "Debris"),
        (198, 202, "Accident"),
    ]
    assert len(await rows(db, "SELECT * FROM race_leaders WHERE race_id = ?", race["id"])) == 4
    assert await rows(db, "SELECT stage, position, car_number FROM stage_results WHERE race_id = ?", race["id"]) == [
        (1, 1, "7"),
        (1, 2, "01"),
    ]
    pole = await rows(db, "SELECT name FROM drivers WHERE id = ?", race["pole_driver_id"])
    assert (pole, race["pole_speed_mph"]) == ([("Synthetic Driver Two",)], 181.5)


async def test_results_without_inspection_are_provisional(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_season(2030, "cup")
    assert (await race_row(db, 9002))["status"] == "provisional"


async def test_inspection_complete_makes_the_race_official(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    await make_sync(db, feed).sync_season(2030, "cup")
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))
    report = await make_sync(db, feed).sync_season(2030, "cup")
    race = await race_row(db, 9002)
    assert (race["status"], report.turned_official) == ("official", [race["id"]])


async def test_changed_official_result_is_stored_and_marked_corrected(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    body = official(load_fixture("weekend_9002.json"))
    feed.routes[weekend_url(9002)] = body
    await make_sync(db, feed).sync_season(2030, "cup")
    results = body["weekend_race"][0]["results"]
    results[0]["finishing_position"], results[1]["finishing_position"] = 1, 2  # winner penalised after the fact
    report = await make_sync(db, feed).sync_season(2030, "cup")
    race = await race_row(db, 9002)
    winner = await rows(db, "SELECT name FROM drivers WHERE id = ?", race["winner_id"])
    assert (race["corrected"], winner, report.corrected) == (1, [("Synthetic Driver Two",)], [race["id"]])


@pytest.mark.parametrize("fixture", ["null.json", "weekend_null_race.json"])
async def test_missing_weekend_data_is_not_an_empty_race(db: SqliteDatabase, fixture: str) -> None:
    feed = synthetic_feed()
    feed.routes[weekend_url(9002)] = FIXTURES / fixture
    report = await make_sync(db, feed).sync_season(2030, "cup")
    race = await race_row(db, 9002)
    assert (race["status"], race["cautions"], race["margin_text"]) == ("scheduled", None, None)
    assert await rows(db, "SELECT count(*) FROM results WHERE race_id = ?", race["id"]) == [(0,)]
    assert "results of feed race 9002" in report.not_available


async def test_forbidden_weekend_feed_keeps_results_already_stored(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    await make_sync(db, feed).sync_season(2030, "cup")
    del feed.routes[weekend_url(9002)]  # now 403
    await make_sync(db, feed).sync_season(2030, "cup")
    race = await race_row(db, 9002)
    assert await rows(db, "SELECT count(*) FROM results WHERE race_id = ?", race["id"]) == [(3,)]


async def test_forbidden_race_list_adds_nothing(db: SqliteDatabase) -> None:
    before = await counts(db)
    report = await make_sync(db, FakeFeed()).sync_season(2031)
    after = await counts(db)
    assert after["races"] == before["races"]
    assert "2031 race list" in report.not_available


async def test_old_seasons_fall_back_to_the_per_series_race_list(db: SqliteDatabase) -> None:
    cup = load_fixture("race_list_2030.json")["series_1"]
    feed = FakeFeed({f"{BASE}/cacher/2030/1/race_list_basic.json": cup})
    await make_sync(db, feed).sync_schedule(2030, "cup")
    assert (await race_row(db, 9002))["race_number"] == 1


async def test_every_response_is_kept_raw_including_refusals(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    await make_sync(db, feed).sync_season(2030, "cup")
    stored = dict(await rows(db, "SELECT url, status FROM raw_responses"))
    assert stored[f"{BASE}/cacher/2030/race_list_basic.json"] == 200
    assert stored[weekend_url(9002)] == 200
    assert stored[weekend_url(9001)] == 200  # weekend_race: null
    assert set(feed.requests) <= set(stored)


async def test_syncing_twice_changes_nothing(db: SqliteDatabase) -> None:
    await make_sync(db, synthetic_feed()).sync_season(2030)
    before = await counts(db)
    report = await make_sync(db, synthetic_feed()).sync_season(2030)
    assert (await counts(db), report.races_changed) == (before, 0)


async def test_future_races_are_not_fetched(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    await make_sync(db, feed).sync_season(2030)
    assert weekend_url(9003) not in feed.requests


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4.705", ("4.705", 4.705)), (".786", (".786", 0.786)), ("Caution", ("Caution", None)), ("", (None, None))],
)
def test_margin_text_and_seconds(text: str, expected: tuple[str | None, float | None]) -> None:
    assert parse_margin(text) == expected
