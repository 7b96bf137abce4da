"""nascaR.data history import: a table's own series and track names, what it leaves unknown, and bad input."""

from __future__ import annotations

import pytest

from db.importers.history import HistoryError, import_history, read_history_bytes
from db.storage.sqlite import SqliteDatabase
from tests.db.history_helpers import FIXTURE, HEADER, NOW, TABLE, csv_row, fetch, race_id, run_import


async def test_missing_column_names_the_file(db: SqliteDatabase) -> None:
    with pytest.raises(HistoryError, match=r"test.csv: missing column\(s\): Rating"):
        await run_import(db, TABLE.replace(",Rating,", ",Ratings,"))


async def test_bad_number_names_line_and_column(db: SqliteDatabase) -> None:
    with pytest.raises(HistoryError, match=r"test.csv: line 3, column Laps: 'lots' is not a whole number"):
        await run_import(db, TABLE.replace("170,200,0,", "170,lots,0,", 1))


XFINITY = FIXTURE.with_name("xfinity_series.csv")


async def test_xfinity_table_is_its_own_series_and_source(db: SqliteDatabase) -> None:
    races, digest = read_history_bytes(XFINITY.read_bytes(), source=XFINITY.name, series="xfinity")
    report = await import_history(db, races, series="xfinity", now=NOW, digest=digest)

    stored = await fetch(db, "SELECT season, race_number, source FROM races WHERE series = 'xfinity' ORDER BY 1, 2")
    assert stored == [
        (1982, 1, "nascaR.data/xfinity"),
        (1982, 2, "nascaR.data/xfinity"),
        (2009, 4, "nascaR.data/xfinity"),
    ]
    assert await fetch(db, "SELECT title FROM sources WHERE key = 'nascaR.data/xfinity'") == [
        ("nascaR.data Xfinity Series results (kyleGrealis/nascaR.data, xfinity_series table)",)
    ]
    assert report.results_written == 6
    assert any("Synthetic Non-Starter has no finishing position" in line for line in report.skipped)


async def test_what_the_table_leaves_unknown_is_stored_as_unknown(db: SqliteDatabase) -> None:
    races, digest = read_history_bytes(XFINITY.read_bytes(), source=XFINITY.name, series="xfinity")
    await import_history(db, races, series="xfinity", now=NOW, digest=digest)

    rows = await fetch(
        db,
        """SELECT r.season, r.race_number, x.finish, x.start, x.car_number, x.make, x.laps, x.laps_led
           FROM results x JOIN races r ON r.id = x.race_id WHERE r.series = 'xfinity' ORDER BY 1, 2, 3""",
    )
    assert rows == [
        (
            1982,
            1,
            1,
            None,
            "15",
            "Pontiac",
            120,
            None,
        ),  # start 0 and laps led 0 for every car: unknown
        (1982, 1, 2, None, "", None, 120, None),  # no car number, make "-"
        (1982, 2, 1, 2, "15", "Pontiac", None, 52),  # laps 0 for every car: unknown
        (1982, 2, 2, 1, "7", "Ford", None, 148),
        (2009, 4, 1, 1, "18", "Toyota", 300, 200),
        (2009, 4, 2, 3, "7", "Ford", 300, 100),
    ]


async def test_the_tables_own_track_name_is_kept_per_race(db: SqliteDatabase) -> None:
    table = HEADER + csv_row(2025, 18, "EchoPark Speedway", "Quaker State 400", "", "paved", 1, 7, 9,
                             "Chase Elliott", "Chevrolet", 50, 260, 30, "running", "HMS", "", "", "", 1, "",
                             )  # fmt: skip
    await run_import(db, table)

    race = await fetch(db, """SELECT t.key, r.track_called, r.date_known FROM races r
                                JOIN tracks t ON t.id = r.track_id
                                WHERE r.series = 'cup' AND r.season = 2025 AND r.race_number = 18""")  # fmt: skip
    assert race == [("atlanta", "EchoPark Speedway", 1)]  # the bundled 2025 race, dated, now with its results


async def test_rows_of_a_race_that_are_not_together_are_refused(db: SqliteDatabase) -> None:
    lines = TABLE.rstrip().splitlines()
    shuffled = "\n".join([lines[0], lines[1], lines[3], lines[2], *lines[4:]])

    with pytest.raises(HistoryError, match=r"line 4, column Season/Race: rows of season 1998 race 1 are not together"):
        await run_import(db, shuffled)


async def test_a_figure_now_known_to_be_unknown_is_not_a_correction(db: SqliteDatabase) -> None:
    await run_import(db)
    race = await race_id(db, 1998, 2)
    # As an import before migration 0006 stored it: the blank laps-led figure as 0.
    await db.execute("UPDATE results SET laps_led = 0 WHERE race_id = ? AND finish = 2", (race,))

    report = await run_import(db)

    assert (report.races_corrected, report.races_filled) == (0, 1)
    assert await fetch(db, "SELECT corrected FROM races WHERE id = ?", race) == [(0,)]
    assert await fetch(db, "SELECT laps_led FROM results WHERE race_id = ? AND finish = 2", race) == [(None,)]
