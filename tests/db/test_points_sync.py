"""sync_points / sync_live_points on hand-written fixtures through a fake fetcher, and on the real 2020 sample."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from db.importers.feed.points_sync import sync_live_points, sync_official_points_after, sync_points
from db.importers.feed.sync import FeedSync
from db.repos.standings import StandingsStore
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, FakeFeed, synthetic_feed
from tests.db.points_fixtures import NOW, POINTS, final_url, live_url, sync_final, sync_live


async def count(db: SqliteDatabase, sql: str, *params: Any) -> int:
    row = await db.fetch_one(sql, params)
    return int(row[0]) if row else 0


async def test_final_points_are_stored_as_the_standings_after_the_races_run(db: SqliteDatabase) -> None:
    report = await sync_final(db, "final_2030_cup_after2.json")

    assert report.stored == ["2030 cup after race 2 (official)"]
    snapshot = await StandingsStore(db).standings(series="cup", season=2030)
    assert snapshot is not None and snapshot.official and snapshot.after_race == 2
    assert (snapshot.rows[0].driver, snapshot.rows[0].points, snapshot.rows[0].wins) == ("Alex Apex", 90, 1)
    assert len(snapshot.rows) == 18 and snapshot.url == final_url()
    assert snapshot.source.key == "nascar-feed" and snapshot.fetched_at == NOW


async def test_the_same_response_twice_changes_nothing_not_even_the_data_version(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    version = await db.data_version()

    report = await sync_final(db, "final_2030_cup_after2.json", now=NOW + dt.timedelta(hours=1))

    assert report.unchanged == ["2030 cup after race 2 (official)"] and not report.changed
    assert await db.data_version() == version
    assert await count(db, "SELECT count(*) FROM standings") == 1
    assert await count(db, "SELECT count(*) FROM standings_rows") == 18


async def test_a_later_race_adds_a_snapshot_and_keeps_the_earlier_one(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after1.json")
    await sync_final(db, "final_2030_cup_after2.json")

    stored = await StandingsStore(db).stored(series="cup", season=2030)
    assert [(s.after_race, s.official) for s in stored] == [(1, True), (2, True)]
    after1 = await StandingsStore(db).standings(series="cup", season=2030, after_race=1)
    assert after1 is not None and after1.rows[0].points == 55


async def test_a_penalty_changing_the_points_replaces_the_rows(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    body = json.loads((POINTS / "final_2030_cup_after2.json").read_text())
    body[0]["points"] = 65  # docked 25 points after the race
    body.sort(key=lambda r: -r["points"])
    for position, row in enumerate(body, start=1):
        row["position"] = position
    version = await db.data_version()

    await sync_points(db, FakeFeed({final_url(): body}), base_url=BASE, series="cup", season=2030, clock=lambda: NOW)

    snapshot = await StandingsStore(db).standings(series="cup", season=2030)
    assert snapshot is not None and snapshot.rows[0].driver == "Blair Banking"
    assert await db.data_version() == version + 1
    assert await count(db, "SELECT count(*) FROM standings_rows") == 18


async def test_missing_points_store_nothing_but_keep_the_response(db: SqliteDatabase) -> None:
    report = await sync_points(db, FakeFeed(), base_url=BASE, series="cup", season=2030, clock=lambda: NOW)

    assert report.not_available == ["2030 cup points"]
    assert await count(db, "SELECT count(*) FROM standings") == 0
    assert await count(db, "SELECT count(*) FROM raw_responses WHERE url = ? AND status = 403", final_url()) == 1


async def test_preseason_points_with_no_start_store_nothing(db: SqliteDatabase) -> None:
    body = [{"position": 1, "driver_id": 1, "driver_name": "Alex Apex", "points": 0, "starts": 0}]

    report = await sync_points(
        db, FakeFeed({final_url(): body}), base_url=BASE, series="cup", season=2030, clock=lambda: NOW
    )

    assert report.not_available == ["2030 cup points: no race run yet"]
    assert await count(db, "SELECT count(*) FROM standings") == 0


async def schedule_2030(db: SqliteDatabase) -> None:
    await FeedSync(db, synthetic_feed(), base_url=BASE, clock=lambda: NOW).sync_schedule(2030)


async def test_live_points_are_unofficial_standings_after_the_race_being_run(db: SqliteDatabase) -> None:
    await schedule_2030(db)  # feed race 9003 is 2030 Cup race 2

    report = await sync_live(db, "live_2030_cup_race3.json", 9003)

    assert report.stored == ["2030 cup after race 2 (live)"]
    snapshot = await StandingsStore(db).standings(series="cup", season=2030)
    assert snapshot is not None and not snapshot.official and snapshot.url == live_url(9003)
    assert snapshot.race is not None and snapshot.race.name == "Synthetic 400"
    assert [r.driver for r in snapshot.rows] == ["Blair Banking", "Alex Apex", "Sam Substitute"]


async def test_official_points_replace_live_ones_and_live_never_replace_official(db: SqliteDatabase) -> None:
    await schedule_2030(db)
    await sync_live(db, "live_2030_cup_race3.json", 9003)

    await sync_final(db, "final_2030_cup_after2.json")
    again = await sync_live(db, "live_2030_cup_race3.json", 9003)

    snapshot = await StandingsStore(db).standings(series="cup", season=2030, after_race=2)
    assert snapshot is not None and snapshot.official and len(snapshot.rows) == 18
    assert again.unchanged == ["2030 cup after race 2 (live)"]


async def test_live_points_of_a_race_we_do_not_hold_are_not_filed(db: SqliteDatabase) -> None:
    report = await sync_live(db, "live_2030_cup_race3.json", 424242)

    assert report.not_available and await count(db, "SELECT count(*) FROM standings") == 0


async def test_a_driver_we_know_by_nascar_id_shows_under_our_name(db: SqliteDatabase) -> None:
    await db.execute("INSERT INTO drivers (name, name_norm, feed_id) VALUES ('Alexander Apex', 'alexander apex', 9000)")
    await sync_final(db, "final_2030_cup_after2.json")

    snapshot = await StandingsStore(db).standings(series="cup", season=2030)

    assert snapshot is not None and snapshot.rows[0].driver == "Alexander Apex" and snapshot.rows[0].driver_id


async def test_real_2020_cup_points_harvick_leads_with_452_after_11_starts(
    db: SqliteDatabase, shared_data: Path
) -> None:
    sample = shared_data / "nascar-feed-samples" / "rbiesser-2020-cup-drivers-points.json"

    report = await sync_points(
        db, FakeFeed({final_url(2020): sample}), base_url=BASE, series="cup", season=2020, clock=lambda: NOW
    )

    assert report.stored == ["2020 cup after race 11 (official)"] and report.skipped_rows == 0
    snapshot = await StandingsStore(db).standings(series="cup", season=2020)
    assert snapshot is not None and len(snapshot.rows) == 49
    leader = snapshot.rows[0]
    assert (leader.driver, leader.points, leader.starts, leader.wins, leader.car_number) == (
        "Kevin Harvick",
        452,
        11,
        2,
        "4",
    )
    assert snapshot.rows[1].driver == "Joey Logano" and snapshot.rows[1].points == 424


async def test_real_live_points_sample_parses_with_logano_on_top(db: SqliteDatabase, shared_data: Path) -> None:
    await schedule_2030(db)
    sample = shared_data / "nascar-feed-samples" / "rnascar23-live_points.json"
    feed = FakeFeed({live_url(9003): sample})

    report = await sync_live_points(db, feed, base_url=BASE, feed_race_id=9003, clock=lambda: NOW)

    assert report.stored
    snapshot = await StandingsStore(db).standings(series="cup", season=2030)
    assert snapshot is not None and (snapshot.rows[0].driver, snapshot.rows[0].points) == ("Joey Logano", 177)
    assert len(snapshot.rows) == 48 and snapshot.rows[-1].wins == 0  # "0" sent as a string


async def test_official_points_after_a_race_are_caught_up_once_they_stand_after_it(db: SqliteDatabase) -> None:
    await schedule_2030(db)  # feed race 9002 is 2030 Cup race 1, 9003 race 2
    feed = FakeFeed({final_url(): POINTS / "final_2030_cup_after1.json"})

    after_race_1 = await sync_official_points_after(db, feed, base_url=BASE, feed_race_id=9002, clock=lambda: NOW)
    before_race_2 = await sync_official_points_after(db, feed, base_url=BASE, feed_race_id=9003, clock=lambda: NOW)

    assert (after_race_1.caught_up, after_race_1.stored) == (True, ["2030 cup after race 1 (official)"])
    assert (before_race_2.caught_up, before_race_2.after_race) == (False, 1)


async def test_an_exhibition_has_no_official_points_to_wait_for(db: SqliteDatabase) -> None:
    await schedule_2030(db)  # feed race 9001 is the exhibition
    feed = FakeFeed()

    report = await sync_official_points_after(db, feed, base_url=BASE, feed_race_id=9001, clock=lambda: NOW)

    assert report.caught_up and feed.requests == []
