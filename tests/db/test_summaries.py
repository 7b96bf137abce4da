"""The write-time summaries (db/importers/summaries.py) stay equal to counting the stored results from scratch.

Every kind of race-data write (a dataset load, a history import and re-import, a corrected table, a feed
sync, a moved start) keeps the summaries exactly as a full recomputation would leave them; the totals
agree with figures counted straight from the results; migration 0010 fills them for an older database.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

from db.importers.feed.sync import FeedSync
from db.importers.history import import_history, read_history_bytes
from db.importers.loader import load_bundled, load_dataset_file
from db.importers.summaries import ALL_SEASONS, REFRESH_STEPS, refresh_all, refresh_seasons
from db.repos.schedule import ScheduleStore
from db.storage.backend import open_db
from db.storage.connection import migration_steps
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, load_fixture, official, synthetic_feed, weekend_url

NOW = dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)
HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "history"
SUMMARY_TABLES = (
    "driver_season_stats",
    "driver_season_sources",
    "driver_series_stats",
    "driver_series_sources",
    "season_summary",
    "season_tracks",
    "track_series_races",
)
WORK_TABLES = ("summary_seasons", "summary_drivers", "summary_tracks")

# A driver's totals per series counted straight from races and results (what db/repos/careers.py did before).
COUNTED = """
SELECT d.id AS driver_id, s.code AS series,
       (SELECT count(*) FROM results x JOIN races r ON r.id = x.race_id
        WHERE x.driver_id = d.id AND r.series = s.code) AS starts,
       (SELECT count(*) FROM results x JOIN races r ON r.id = x.race_id
        WHERE x.driver_id = d.id AND r.series = s.code AND x.finish = 1) AS wins,
       (SELECT count(*) FROM results x JOIN races r ON r.id = x.race_id
        WHERE x.driver_id = d.id AND r.series = s.code AND x.finish <= 5) AS top5,
       (SELECT count(*) FROM results x JOIN races r ON r.id = x.race_id
        WHERE x.driver_id = d.id AND r.series = s.code AND x.finish <= 10) AS top10,
       (SELECT count(*) FROM results x JOIN races r ON r.id = x.race_id
        WHERE x.driver_id = d.id AND r.series = s.code AND r.pole_driver_id IS NULL AND x.start = 1
          AND NOT EXISTS (SELECT 1 FROM results y WHERE y.race_id = r.id AND y.start = 1 AND y.finish <> x.finish))
           AS poles_from_start,
       (SELECT count(*) FROM races r WHERE r.series = s.code AND r.pole_driver_id = d.id) AS poles_official,
       (SELECT sum(x.laps_led) FROM results x JOIN races r ON r.id = x.race_id
        WHERE x.driver_id = d.id AND r.series = s.code) AS laps_led,
       (SELECT count(*) FROM races r WHERE r.series = s.code AND r.winner_id = d.id) AS wins_on_record,
       (SELECT min(x.finish) FROM results x JOIN races r ON r.id = x.race_id
        WHERE x.driver_id = d.id AND r.series = s.code) AS best_finish
FROM drivers d CROSS JOIN series s
"""
MAINTAINED = """
SELECT driver_id, series, starts, wins, top5, top10, poles_from_start, poles_official + poles_unstarted,
       laps_led, wins_on_record, best_finish
FROM driver_series_stats
"""


async def fetch(db: SqliteDatabase, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.fetch(sql, params)]


async def summaries(db: SqliteDatabase) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted(await fetch(db, f"SELECT * FROM {t}"), key=repr) for t in SUMMARY_TABLES}


async def assert_as_if_recomputed(db: SqliteDatabase) -> None:
    """What the writes left equals what a full recomputation gives; the work lists are empty again."""
    kept = await summaries(db)
    async with db.transaction():
        await refresh_all(db)
        recomputed = await summaries(db)
        await db.execute("ROLLBACK")
        await db.execute("BEGIN")  # transaction() commits on exit: give it an empty one
    assert kept == recomputed
    for table in WORK_TABLES:
        assert await fetch(db, f"SELECT count(*) FROM {table}") == [(0,)]


async def import_table(db: SqliteDatabase, text: str, series: str = "cup") -> None:
    races, digest = read_history_bytes(text.encode(), source="test.csv")
    await import_history(db, races, series=series, now=NOW, digest=digest)  # type: ignore[arg-type]


def sync(db: SqliteDatabase, feed: Any) -> FeedSync:
    return FeedSync(db, feed, base_url=BASE, clock=lambda: NOW)


async def test_the_bundled_data_is_summarised(db: SqliteDatabase) -> None:
    assert await fetch(db, "SELECT count(*) FROM driver_series_stats") != [(0,)]
    await assert_as_if_recomputed(db)


async def test_history_imports_and_a_corrected_table_keep_the_summaries(db: SqliteDatabase) -> None:
    sample = (HISTORY / "sample.csv").read_text(encoding="utf-8")
    await import_table(db, sample)
    await import_table(db, (HISTORY / "fan_questions.csv").read_text(encoding="utf-8"))
    await import_table(db, (HISTORY / "xfinity_series.csv").read_text(encoding="utf-8"), series="xfinity")
    await assert_as_if_recomputed(db)
    # Upstream swaps the 1998 Daytona finishing order: a winner loses a win, another gains one.
    corrected = sample.replace(",1,4,3,Synthetic Old Timer", ",2,4,3,Synthetic Old Timer", 1).replace(
        ",2,1,00,Martin Truex Jr", ",1,1,00,Martin Truex Jr", 1
    )
    await import_table(db, corrected)
    await assert_as_if_recomputed(db)
    wins = await fetch(
        db,
        """SELECT d.name, s.wins FROM driver_series_stats s JOIN drivers d ON d.id = s.driver_id
           WHERE d.name IN ('Synthetic Old Timer', 'Martin Truex Jr.') AND s.series = 'cup' ORDER BY d.name""",
    )
    assert wins == [("Martin Truex Jr.", 2), ("Synthetic Old Timer", 0)]


async def test_a_re_import_that_changes_nothing_writes_nothing(db: SqliteDatabase) -> None:
    sample = (HISTORY / "sample.csv").read_text(encoding="utf-8")
    await import_table(db, sample)
    version = await db.data_version()
    before = await summaries(db)
    await import_table(db, sample)
    assert (await db.data_version(), await summaries(db)) == (version, before)


async def test_feed_syncs_keep_the_summaries(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    await sync(db, feed).sync_season(2030, "cup")
    await assert_as_if_recomputed(db)
    body = official(load_fixture("weekend_9002.json"))
    results = body["weekend_race"][0]["results"]
    results[0]["finishing_position"], results[1]["finishing_position"] = 1, 2  # a post-race penalty
    feed.routes[weekend_url(9002)] = body
    await sync(db, feed).sync_season(2030, "cup")
    await assert_as_if_recomputed(db)
    # History for the same race, which the feed holds richer: kept, and still summarised once.
    await import_table(db, (HISTORY / "sample.csv").read_text(encoding="utf-8"))
    await assert_as_if_recomputed(db)


async def test_a_dataset_that_changes_a_race_keeps_the_summaries(db: SqliteDatabase, tmp_path: Path) -> None:
    path = tmp_path / "fix.yaml"
    path.write_text(
        """
sources:
  - {key: fix, title: A correction}
races:
  - series: cup
    season: 2024
    race_number: 12
    name: AdventHealth 400
    track: kansas
    date: 2024-05-05
    status: official
    source: fix
    results:
      - {pos: 1, car: "5", driver: Chris Buescher}
      - {pos: 2, car: "17", driver: Kyle Larson}
""",
        encoding="utf-8",
    )
    assert await load_dataset_file(db, path, now=NOW)
    await assert_as_if_recomputed(db)
    larson = await fetch(
        db,
        """SELECT s.starts, s.wins FROM driver_series_stats s JOIN drivers d ON d.id = s.driver_id
           WHERE d.name = 'Kyle Larson'""",
    )
    assert larson == [(1, 0)]


async def test_a_moved_start_changes_no_summary(db: SqliteDatabase) -> None:
    before = await summaries(db)
    race = (await fetch(db, "SELECT id FROM races WHERE season = 2026 ORDER BY id LIMIT 1"))[0][0]
    assert await ScheduleStore(db).set_race_start(race_id=race, start_utc=NOW, now=NOW)
    assert await summaries(db) == before
    await assert_as_if_recomputed(db)


async def test_refreshing_nothing_changes_nothing(db: SqliteDatabase) -> None:
    version = await db.data_version()
    async with db.data_transaction():
        assert await refresh_seasons(db, []) == 0
    assert await db.data_version() == version


async def test_the_totals_agree_with_counting_the_results(db: SqliteDatabase) -> None:
    await import_table(db, (HISTORY / "sample.csv").read_text(encoding="utf-8"))
    await import_table(db, (HISTORY / "fan_questions.csv").read_text(encoding="utf-8"))
    await sync(db, synthetic_feed()).sync_season(2030, "cup")
    counted = [r for r in await fetch(db, COUNTED) if r[2] or r[7] or r[9]]  # a start, a pole or a win
    assert sorted(counted) == sorted(await fetch(db, MAINTAINED))


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";")


def _statements(script: str) -> list[str]:
    """The script's complete statements, comment lines between them left out (as db.storage.connection runs them)."""
    found, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer)
            buffer = ""
    return [s for s in found if s.strip()]


def test_migration_0010_runs_the_refresh_statements() -> None:
    """The migration fills the summaries with the statements the writes use, so the two cannot drift."""
    statements = [_normal(s) for s in _statements(dict(migration_steps())[10])]
    fill = [_normal(ALL_SEASONS), *(_normal(s) for s in REFRESH_STEPS)]
    assert statements[-len(fill) :] == fill


async def test_migration_0010_summarises_what_an_older_database_holds(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    async with open_db(path) as db:
        await load_bundled(db)
        # Back to a 0009 database holding the same rows: no summary tables, no 0010 indexes.
        for table in (*SUMMARY_TABLES, *WORK_TABLES):
            await db.execute(f"DROP TABLE {table}")
        for index in (
            "races_series_updated",
            "races_series_dated",
            "raw_responses_fetched",
            "races_margin",
            "races_track_series",
        ):
            await db.execute(f"DROP INDEX {index}")
        await db.execute("ALTER TABLE alert_subscriptions DROP COLUMN paused_until_resumed")  # 0012's, re-run too
        await db.execute("PRAGMA user_version = 9")
    async with open_db(path) as db:
        assert await fetch(db, "PRAGMA user_version") == [(migration_steps()[-1][0],)]
        assert await fetch(db, "SELECT count(*) FROM driver_series_stats") != [(0,)]
        await assert_as_if_recomputed(db)
