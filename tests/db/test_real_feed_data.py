"""Optional: the importers on the real samples in ../shared/data (skipped when absent). Known values only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from db.importers.feed.sync import FeedSync
from db.importers.history import HistoryReader, import_history, read_history_bytes
from db.models import Series
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, FakeFeed

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def real_feed(shared_data: Path) -> FakeFeed:
    samples = shared_data / "nascar-feed-samples"
    return FakeFeed(
        {
            f"{BASE}/cacher/2020/1/race_list_basic.json": samples / "rbiesser-2020-cup-race_list_basic.json",
            f"{BASE}/cacher/2023/race_list_basic.json": samples / "rnascar23-2023-race_list_basic-all-series.json",
            f"{BASE}/cacher/2020/1/4973/weekend-feed.json": samples / "rbiesser-2020-cup-4973-weekend-feed.json",
            f"{BASE}/cacher/2023/1/5274/weekend-feed.json": samples / "rnascar23-2023-cup-5274-weekend-feed.json",
        }
    )


async def fetch(db: SqliteDatabase, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.fetch(sql, params)]


async def field(db: SqliteDatabase, feed_race_id: int) -> list[tuple[Any, ...]]:
    return await fetch(
        db,
        """SELECT r.finish, r.car_number, d.name, r.laps, r.laps_led, r.status FROM results r
           JOIN drivers d ON d.id = r.driver_id JOIN races x ON x.id = r.race_id
           WHERE x.feed_race_id = ? ORDER BY r.finish""",
        feed_race_id,
    )


async def test_martinsville_2020(db: SqliteDatabase, shared_data: Path) -> None:
    await FeedSync(db, real_feed(shared_data), base_url=BASE, clock=lambda: NOW).sync_season(2020, "cup")
    race = await fetch(
        db,
        """SELECT start_utc, actual_laps, margin_text, margin_s, cautions, caution_laps, lead_changes, leaders
           FROM races WHERE feed_race_id = 4973""",
    )
    rows = await field(db, 4973)
    assert race == [("2020-06-10T23:00:00+00:00", 500, "4.705", 4.705, 7, 52, 14, 8)]  # 19:00 EDT
    assert rows[0][:5] == (1, "19", "Martin Truex Jr.", 500, 132)
    assert {"accident", "battery", "fuel pump"} <= {r[5] for r in rows}


async def test_richmond_2023(db: SqliteDatabase, shared_data: Path) -> None:
    report = await FeedSync(db, real_feed(shared_data), base_url=BASE, clock=lambda: NOW).sync_season(2023, "cup")
    race = await fetch(
        db,
        "SELECT start_utc, margin_s, cautions, caution_laps, lead_changes FROM races WHERE feed_race_id = 5274",
    )
    rows = await field(db, 5274)
    assert race == [("2023-04-02T19:30:00+00:00", 1.535, 8, 54, 22)]
    assert [r[2] for r in rows[:2]] == ["Kyle Larson", "Josh Berry"]
    assert report.races_seen == 41


async def test_2023_race_list_flags_the_clash_and_keeps_numbers(db: SqliteDatabase, shared_data: Path) -> None:
    await FeedSync(db, real_feed(shared_data), base_url=BASE, clock=lambda: NOW).sync_schedule(2023, "cup")
    clash = await fetch(db, "SELECT points_race, race_number FROM races WHERE feed_race_id = 5259")
    daytona = await fetch(db, "SELECT race_number, start_utc FROM races WHERE feed_race_id = 5268")
    assert (clash, daytona) == ([(0, None)], [(1, "2023-02-19T19:30:00+00:00")])


async def test_full_cup_history_csv(db: SqliteDatabase, shared_data: Path) -> None:
    data = (shared_data / "cup-history" / "cup_series.csv").read_bytes()
    races, digest = read_history_bytes(data, source="cup_series.csv")
    report = await import_history(db, races, now=NOW, digest=digest)
    kansas = await fetch(
        db,
        """SELECT r.finish, d.name FROM results r JOIN drivers d ON d.id = r.driver_id JOIN races x ON x.id = r.race_id
           WHERE x.series = 'cup' AND x.season = 2024 AND x.race_number = 12 ORDER BY r.finish""",
    )
    earnhardt = await fetch(
        db,
        """SELECT d.name FROM races x JOIN drivers d ON d.id = x.winner_id
           WHERE x.series = 'cup' AND x.season = 1998 AND x.race_number = 1""",
    )
    assert (report.rows, report.races) == (100_138, 2_822)
    assert (len(kansas), kansas[0][1]) == (38, "Kyle Larson")
    assert earnhardt == [("Dale Earnhardt",)]
    again = await import_history(db, races, now=NOW, digest=digest)
    assert not again.changed


@pytest.mark.parametrize(
    ("series", "folder", "rows", "races", "written", "champion_race"),
    [
        # Xfinity: four non-starters have no finishing position (reported, not imported).
        ("xfinity", "xfinity-history", 54_202, 1_404, 54_198, (2016, 33, "Daniel Suárez")),
        # Truck: one stage position given to two trucks (2021 race 11) is left out; every result is kept.
        ("truck", "truck-history", 25_484, 737, 25_484, (2022, 23, "Zane Smith")),
    ],
)
async def test_xfinity_and_truck_tables_import_as_their_own_series(
    db: SqliteDatabase,
    shared_data: Path,
    series: Series,
    folder: str,
    rows: int,
    races: int,
    written: int,
    champion_race: tuple[int, int, str],
) -> None:
    path = shared_data / folder / f"{series}_series.csv"
    with path.open("rb") as handle:
        reader = HistoryReader(handle, source=path.name, series=series)
        report = await import_history(db, reader, series=series, now=NOW, digest=lambda: reader.digest)
    season, number, winner = champion_race
    won = await fetch(
        db,
        """SELECT d.name, x.source FROM races x JOIN drivers d ON d.id = x.winner_id
           WHERE x.series = ? AND x.season = ? AND x.race_number = ?""",
        series, season, number,
    )  # fmt: skip
    assert (report.rows, report.races, report.results_written) == (rows, races, written)
    assert won == [(winner, f"nascaR.data/{series}")]
    with path.open("rb") as handle:
        again = HistoryReader(handle, source=path.name, series=series)
        assert not (await import_history(db, again, series=series, now=NOW, digest=lambda: again.digest)).changed
