"""A driver's seasons from stored results, read from the per-season totals by primary key."""

from __future__ import annotations

from db.repos.driver_seasons import _SEASONS_SQL, DriverSeasonStore
from db.storage.sqlite import SqliteDatabase


async def driver_id(db: SqliteDatabase, name: str) -> int:
    row = await db.fetch_one("SELECT id FROM drivers WHERE name = ?", (name,))
    assert row is not None
    return int(row[0])


async def test_larsons_2024_kansas_win_is_one_start_one_win_in_the_bundled_data(db: SqliteDatabase) -> None:
    seasons = await DriverSeasonStore(db).driver_seasons(driver_id=await driver_id(db, "Kyle Larson"))

    assert [(s.series, s.season, s.starts, s.wins, s.top_5, s.top_10) for s in seasons] == [("cup", 2024, 1, 1, 1, 1)]


async def test_a_driver_outside_the_top_10_counts_the_start_only(db: SqliteDatabase) -> None:
    seasons = await DriverSeasonStore(db).driver_seasons(driver_id=await driver_id(db, "Chase Briscoe"))

    assert [(s.starts, s.wins, s.top_5, s.top_10) for s in seasons] == [(1, 0, 0, 0)]  # 21st at Kansas


async def test_another_series_has_no_seasons(db: SqliteDatabase) -> None:
    larson = await driver_id(db, "Kyle Larson")

    assert await DriverSeasonStore(db).driver_seasons(driver_id=larson, series="truck") == []


async def test_the_query_reads_the_drivers_season_totals_by_primary_key(db: SqliteDatabase) -> None:
    if db.dialect.name == "postgres":  # a table this small is read whole unless scans are priced out
        async with db.transaction():
            await db.execute("SET LOCAL enable_seqscan = off")
            rows = await db.fetch("EXPLAIN " + _SEASONS_SQL, (1, None, None))
        assert "driver_season_stats_pkey" in " ".join(str(row[0]) for row in rows)
        return
    plan = " ".join(str(tuple(row)) for row in await db.fetch("EXPLAIN QUERY PLAN " + _SEASONS_SQL, (1, None, None)))

    assert "driver_season_stats USING PRIMARY KEY (driver_id=?)" in plan and "SCAN" not in plan
