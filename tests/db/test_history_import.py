"""nascaR.data history import on a small hand-written table: names, stages, dates, atomicity, idempotency."""

from __future__ import annotations

import pytest

from db.importers.feed.sync import FeedSync
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, FakeFeed, load_fixture, weekend_url
from tests.db.history_helpers import HEADER, NOW, TABLE, csv_row, fetch, race_id, run_import, snapshot


async def test_every_row_becomes_a_result(db: SqliteDatabase) -> None:
    report = await run_import(db)
    assert (report.rows, report.races, report.results_written) == (8, 4, 8)


async def test_car_numbers_stay_text(db: SqliteDatabase) -> None:
    await run_import(db)
    cars = await fetch(db, "SELECT car_number FROM results WHERE race_id IN (?, ?) ORDER BY 1",
                       await race_id(db, 1998, 1), await race_id(db, 1998, 2))  # fmt: skip
    assert [c for (c,) in cars] == ["0", "00", "01", "3"]


async def test_driver_spellings_join_one_driver(db: SqliteDatabase) -> None:
    await run_import(db)
    truex = await fetch(db, "SELECT count(DISTINCT driver_id) FROM results r JOIN drivers d ON d.id = r.driver_id "
                              "WHERE d.name_norm = 'martin truex jr'")  # fmt: skip
    assert truex == [(1,)]


async def test_track_names_map_to_known_tracks_or_new_ones(db: SqliteDatabase) -> None:
    await run_import(db)
    keys = await fetch(db, """SELECT r.season, r.race_number, t.key FROM races r JOIN tracks t ON t.id = r.track_id
                                WHERE r.season IN (1998, 2019) ORDER BY 1, 2""")  # fmt: skip
    assert keys == [(1998, 1, "daytona"), (1998, 2, "rockingham"), (2019, 3, "synthetic-fairgrounds-mile")]
    assert await fetch(db, "SELECT surface, length_miles FROM tracks WHERE key = 'synthetic-fairgrounds-mile'") == [
        ("dirt", 1.0)
    ]


async def test_history_races_have_no_invented_date(db: SqliteDatabase) -> None:
    await run_import(db)
    race = await fetch(db, "SELECT race_date, date_known, start_utc, status, source FROM races WHERE id = ?",
                       await race_id(db, 1998, 1))  # fmt: skip
    assert race == [("1998-01-01", 0, None, "official", "nascaR.data")]


async def test_stage_positions_become_stage_results(db: SqliteDatabase) -> None:
    await run_import(db)
    stages = await fetch(db, "SELECT stage, position, car_number FROM stage_results WHERE race_id = ? ORDER BY 1, 2",
                         await race_id(db, 2019, 3))  # fmt: skip
    assert stages == [(1, 1, "19"), (1, 2, "5"), (2, 1, "5")]


async def test_reimport_changes_nothing(db: SqliteDatabase) -> None:
    await run_import(db)
    before = await snapshot(db)
    report = await run_import(db)
    assert (await snapshot(db), report.changed) == (before, False)


async def test_interrupted_import_leaves_the_database_as_before(db: SqliteDatabase) -> None:
    before = await snapshot(db)
    seen = 0

    def interrupt(n: int) -> None:
        nonlocal seen
        seen += n
        if seen == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await run_import(db, progress=interrupt)
    assert await snapshot(db) == before


async def test_changed_upstream_row_corrects_the_race(db: SqliteDatabase) -> None:
    await run_import(db)
    await run_import(db, TABLE.replace("running,Team B,,,,0,", "engine,Team B,,,,0,", 1))
    race = await fetch(db, "SELECT corrected FROM races WHERE id = ?", await race_id(db, 1998, 1))
    status = await fetch(db, "SELECT status FROM results WHERE race_id = ? AND finish = 2", await race_id(db, 1998, 1))
    assert (race, status) == ([(1,)], [("engine",)])


async def test_richer_bundled_race_keeps_its_figures(db: SqliteDatabase) -> None:
    kansas = await race_id(db, 2024, 12)
    before = await fetch(db, "SELECT * FROM races WHERE id = ?", kansas)
    bundled_results = await fetch(db, "SELECT * FROM results WHERE race_id = ?", kansas)
    table = (
        HEADER + "\n2024,12,Kansas Speedway,AdventHealth 400,1.5,paved,1,1,99,Someone Else,Ford,1,1,1,running,X,,,,1,"
    )
    report = await run_import(db, table)
    assert report.races_kept == 1
    assert await fetch(db, "SELECT * FROM races WHERE id = ?", kansas) == before
    assert await fetch(db, "SELECT * FROM results WHERE race_id = ?", kansas) == bundled_results


async def test_bundled_race_without_results_gets_them_and_keeps_its_date(db: SqliteDatabase) -> None:
    daytona = await race_id(db, 2024, 1)
    table = HEADER + csv_row(
        2024,
        1,
        "Daytona International Speedway",
        "DAYTONA 500",
        2.5,
        "paved",
        1,
        1,
        24,
        "William Byron",
        "Chevrolet",
        1,
        200,
        1,
        "running",
        "X",
        "",
        "",
        "",
        1,
        "",
    )
    await run_import(db, table)
    race = await fetch(db, "SELECT race_date, date_known, source FROM races WHERE id = ?", daytona)
    assert race == [("2024-02-19", 1, "VMN")]
    assert await fetch(db, "SELECT count(*) FROM results WHERE race_id = ?", daytona) == [(1,)]


async def test_positions_given_twice_are_reported_not_guessed(db: SqliteDatabase) -> None:
    # The extra row goes with the rest of its race: the reader streams races, whose rows are contiguous.
    lines = TABLE.rstrip().splitlines()
    table = (
        "\n".join(lines[:3])
        + csv_row(
            1998,
            1,
            "Daytona International Speedway",
            "Synthetic 500",
            2.5,
            "paved",
            2,
            9,
            44,
            "Another Car",
            "Ford",
            1,
            1,
            0,
            "did not start",
            "X",
            "",
            "",
            "",
            0,
            "",
        )
        + "\n"
        + "\n".join(lines[3:])
    )
    report = await run_import(db, table)
    finishers = await fetch(db, "SELECT finish FROM results WHERE race_id = ?", await race_id(db, 1998, 1))
    assert finishers == [(1,)]
    assert "1998 race 1: position 2" in report.skipped[0]


async def test_feed_race_joins_the_history_race_by_season_and_number(db: SqliteDatabase) -> None:
    await run_import(db)
    history_race = await race_id(db, 2030, 1)
    feed = FakeFeed({
        f"{BASE}/cacher/2030/race_list_basic.json": load_fixture("race_list_2030.json"),
        weekend_url(9002): load_fixture("weekend_9002.json"),
    })  # fmt: skip
    await FeedSync(db, feed, base_url=BASE, clock=lambda: NOW).sync_season(2030, "cup")
    race = await fetch(db, "SELECT id, feed_race_id, date_known, race_date FROM races WHERE feed_race_id = 9002")
    winner = await fetch(db, "SELECT d.name FROM results r JOIN drivers d ON d.id = r.driver_id "
                               "WHERE r.race_id = ? AND r.finish = 1", history_race)  # fmt: skip
    assert race == [(history_race, 9002, 1, "2030-02-16")]
    assert winner == [("Synthetic Driver One Jr",)]
