"""A driver's seasons from stored results, read from the per-season totals by primary key."""

from __future__ import annotations

import aiosqlite

from db.driver_seasons import _SEASONS_SQL, SqliteDriverSeasons


async def driver_id(conn: aiosqlite.Connection, name: str) -> int:
    async with conn.execute("SELECT id FROM drivers WHERE name = ?", (name,)) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_larsons_2024_kansas_win_is_one_start_one_win_in_the_bundled_data(conn: aiosqlite.Connection) -> None:
    seasons = await SqliteDriverSeasons(conn).driver_seasons(driver_id=await driver_id(conn, "Kyle Larson"))

    assert [(s.series, s.season, s.starts, s.wins, s.top_5, s.top_10) for s in seasons] == [("cup", 2024, 1, 1, 1, 1)]


async def test_a_driver_outside_the_top_10_counts_the_start_only(conn: aiosqlite.Connection) -> None:
    seasons = await SqliteDriverSeasons(conn).driver_seasons(driver_id=await driver_id(conn, "Chase Briscoe"))

    assert [(s.starts, s.wins, s.top_5, s.top_10) for s in seasons] == [(1, 0, 0, 0)]  # 21st at Kansas


async def test_another_series_has_no_seasons(conn: aiosqlite.Connection) -> None:
    larson = await driver_id(conn, "Kyle Larson")

    assert await SqliteDriverSeasons(conn).driver_seasons(driver_id=larson, series="truck") == []


async def test_the_query_reads_the_drivers_season_totals_by_primary_key(conn: aiosqlite.Connection) -> None:
    async with conn.execute("EXPLAIN QUERY PLAN " + _SEASONS_SQL, (1, None, None)) as cursor:
        plan = " ".join(str(tuple(row)) for row in await cursor.fetchall())

    assert "driver_season_stats USING PRIMARY KEY (driver_id=?)" in plan and "SCAN" not in plan
