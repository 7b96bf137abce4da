"""Per-season and per-driver totals, kept current by every race-data write in its own transaction.

The fan commands read these instead of counting results, so their cost does not grow with the history:
a driver's record (/driver), their season-by-season chart, what each season holds (/about, /schedule,
trivia's candidate pools), how many races each track hosted (the name index's weights).

A write names the seasons it touched (series, season); `refresh_seasons` recomputes those seasons' rows
from the races and results, then the per-driver and per-track totals of everyone those seasons concern,
before and after the write. The season is the unit because a race never leaves its season: whatever a
write changed, recounting the seasons it touched finds it, with no need to know what the rows were
before. A whole-table import touches every season and recomputes wholesale with the same statements.

Migration 0010 runs these same statements over every stored season (tests/db/test_summaries.py checks
that it does); a later change to what they compute needs a migration that runs them again. The few parts
that differ between SQLite and PostgreSQL (JSON, string aggregation) come from the database's dialect; a
PostgreSQL database had no rows to fill at step 0010 (see migrations/postgres/0010_summaries.sql).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from db.models import Series
from db.storage.database import Database
from db.storage.dialect import SQLITE, Dialect

# A race holds a trivia figure when the figure is stored and the race names a source (bot/trivia).
FIGURE_FILTER: dict[str, str] = {
    "winner": "r.source <> '' AND r.winner_id IS NOT NULL AND r.status = 'official'",
    "margin": "r.source <> '' AND r.margin_s IS NOT NULL AND r.margin_s > 0 AND r.winner_id IS NOT NULL"
    " AND r.status = 'official'",
    "pole": "r.source <> '' AND r.pole_driver_id IS NOT NULL",
    "results": "r.source <> '' AND r.status = 'official' AND EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id)",
}

_IN_TOUCHED = "(series, season) IN (SELECT series, season FROM summary_seasons)"
# The touched seasons' races. CROSS JOIN keeps the work list outermost (SQLite plans joins in that order
# then; standard SQL reads it as a plain join), so one touched season costs one season's rows.
_TOUCHED = "summary_seasons w CROSS JOIN races r"
_OF_TOUCHED = "r.series = w.series AND r.season = w.season"


def _keys(d: Dialect, figure: str) -> str:
    """The source keys (a JSON list) a race gives for a figure, or its own source (db.repos.citations.figure_keys)."""
    return f"""CASE WHEN {d.json_length_at("r.field_sources", figure)} > 0
                    THEN {d.json_at("r.field_sources", figure)} ELSE {d.json_list_of("r.source")} END"""


# Drivers and tracks the touched seasons concern before the write: their totals are recomputed too.
_OLD_DRIVERS = f"""
INSERT INTO summary_drivers (driver_id)
SELECT DISTINCT driver_id FROM driver_season_stats WHERE {_IN_TOUCHED}
"""
_OLD_TRACKS = f"""
INSERT INTO summary_tracks (track_id)
SELECT DISTINCT track_id FROM season_tracks WHERE {_IN_TOUCHED}
"""

# Each start. A pole is the race's recorded pole; else the one car that started first; a start whose
# position is unknown (or shared) in a race without a recorded pole is "not recorded".
_SEASON_STARTS = f"""
INSERT INTO driver_season_stats (driver_id, series, season, starts, wins, top5, top10, poles_official,
    poles_from_start, poles_unknown, laps_led, laps_led_unknown, best_finish)
WITH firsts AS (
    SELECT x.race_id, sum(CASE WHEN x.start = 1 THEN 1 ELSE 0 END) AS n
    FROM results x WHERE x.race_id IN (SELECT r.id FROM {_TOUCHED} WHERE {_OF_TOUCHED})
    GROUP BY x.race_id
)
SELECT x.driver_id, r.series, r.season, count(*),
       sum(CASE WHEN x.finish = 1 THEN 1 ELSE 0 END),
       sum(CASE WHEN x.finish <= 5 THEN 1 ELSE 0 END),
       sum(CASE WHEN x.finish <= 10 THEN 1 ELSE 0 END),
       sum(CASE WHEN r.pole_driver_id = x.driver_id THEN 1 ELSE 0 END),
       sum(CASE WHEN r.pole_driver_id IS NULL AND x.start = 1 AND f.n = 1 THEN 1 ELSE 0 END),
       sum(CASE WHEN r.pole_driver_id IS NULL AND ((x.start IS NULL AND f.n = 0) OR (x.start = 1 AND f.n > 1))
                THEN 1 ELSE 0 END),
       sum(x.laps_led), sum(CASE WHEN x.laps_led IS NULL THEN 1 ELSE 0 END), min(x.finish)
FROM {_TOUCHED} JOIN results x ON x.race_id = r.id JOIN firsts f ON f.race_id = r.id
WHERE {_OF_TOUCHED}
GROUP BY x.driver_id, r.series, r.season
"""

# Races a driver is the recorded winner of, with or without a stored field.
_SEASON_WINS = f"""
INSERT INTO driver_season_stats (driver_id, series, season, wins_on_record)
SELECT r.winner_id, r.series, r.season, count(*) FROM {_TOUCHED}
WHERE {_OF_TOUCHED} AND r.winner_id IS NOT NULL
GROUP BY r.winner_id, r.series, r.season
ON CONFLICT (driver_id, series, season) DO UPDATE SET wins_on_record = excluded.wins_on_record
"""

# Recorded poles in races whose stored field does not hold the driver (a feed pole before the results).
_SEASON_POLES = f"""
INSERT INTO driver_season_stats (driver_id, series, season, poles_unstarted)
SELECT r.pole_driver_id, r.series, r.season, count(*) FROM {_TOUCHED}
WHERE {_OF_TOUCHED} AND r.pole_driver_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM results y WHERE y.race_id = r.id AND y.driver_id = r.pole_driver_id)
GROUP BY r.pole_driver_id, r.series, r.season
ON CONFLICT (driver_id, series, season) DO UPDATE SET poles_unstarted = excluded.poles_unstarted
"""


# Per driver and season, the distinct key lists first (a season's races mostly cite the same), then the keys.
def _season_sources(d: Dialect) -> str:
    return f"""
INSERT INTO driver_season_sources (driver_id, series, season, figure, source_key)
WITH cited AS (
    SELECT x.driver_id, r.series, r.season, 'results' AS figure, {_keys(d, "results")} AS keys
    FROM {_TOUCHED} JOIN results x ON x.race_id = r.id WHERE {_OF_TOUCHED}
    UNION
    SELECT r.pole_driver_id, r.series, r.season, 'pole', {_keys(d, "pole")}
    FROM {_TOUCHED} WHERE {_OF_TOUCHED} AND r.pole_driver_id IS NOT NULL
    UNION
    -- A pole taken from the start positions cites the results it was read from.
    SELECT x.driver_id, r.series, r.season, 'pole', {_keys(d, "results")}
    FROM {_TOUCHED} JOIN results x ON x.race_id = r.id AND x.start = 1
    WHERE {_OF_TOUCHED} AND r.pole_driver_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM results y WHERE y.race_id = r.id AND y.start = 1 AND y.finish <> x.finish)
    UNION
    SELECT r.winner_id, r.series, r.season, 'winner', {_keys(d, "winner")}
    FROM {_TOUCHED} WHERE {_OF_TOUCHED} AND r.winner_id IS NOT NULL
)
SELECT DISTINCT c.driver_id, c.series, c.season, c.figure, k.value FROM cited c, {d.json_items("c.keys", "k")}
"""


_NEW_DRIVERS = f"""
INSERT INTO summary_drivers (driver_id)
SELECT DISTINCT driver_id FROM driver_season_stats s WHERE {_IN_TOUCHED}
  AND NOT EXISTS (SELECT 1 FROM summary_drivers d WHERE d.driver_id = s.driver_id)
"""


def _season_summary(d: Dialect) -> str:
    # PostgreSQL 15 wants a name for the subquery; SQLite's text stays as migration 0010 holds it.
    return f"""
INSERT INTO season_summary (series, season, races, with_results, results, result_sources, schedule_sources,
    winners, winner_facts, margin_facts, pole_facts, result_facts)
SELECT series, season, count(*), sum(has), sum(n),
       coalesce({d.distinct_list("CASE WHEN has = 1 THEN result_key END")}, ''),
       coalesce({d.distinct_list("CASE WHEN has = 0 THEN source END")}, ''),
       sum(won), sum(winner_fact), sum(margin_fact), sum(pole_fact), sum(result_fact)
FROM (
    SELECT r.series, r.season, r.source,
           coalesce({d.json_at("r.field_sources", "results", 0)}, r.source) AS result_key,
           (SELECT count(*) FROM results x WHERE x.race_id = r.id) AS n,
           CASE WHEN EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id) THEN 1 ELSE 0 END AS has,
           CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END AS won,
           CASE WHEN {FIGURE_FILTER["winner"]} THEN 1 ELSE 0 END AS winner_fact,
           CASE WHEN {FIGURE_FILTER["margin"]} THEN 1 ELSE 0 END AS margin_fact,
           CASE WHEN {FIGURE_FILTER["pole"]} THEN 1 ELSE 0 END AS pole_fact,
           CASE WHEN {FIGURE_FILTER["results"]} THEN 1 ELSE 0 END AS result_fact
    FROM {_TOUCHED} WHERE {_OF_TOUCHED}
) {"" if d.name == "sqlite" else "per_race "}GROUP BY series, season
"""


_SEASON_TRACKS = f"""
INSERT INTO season_tracks (series, season, track_id, races)
SELECT r.series, r.season, r.track_id, count(*) FROM {_TOUCHED} WHERE {_OF_TOUCHED}
GROUP BY r.series, r.season, r.track_id
"""

_NEW_TRACKS = f"""
INSERT INTO summary_tracks (track_id)
SELECT DISTINCT track_id FROM season_tracks s WHERE {_IN_TOUCHED}
  AND NOT EXISTS (SELECT 1 FROM summary_tracks w WHERE w.track_id = s.track_id)
"""

_SERIES_STATS = """
INSERT INTO driver_series_stats (driver_id, series, starts, wins, top5, top10, poles_official, poles_from_start,
    poles_unknown, poles_unstarted, laps_led, laps_led_unknown, wins_on_record, first_season, last_season,
    best_finish, best_season)
WITH totals AS (
    SELECT s.driver_id, s.series, sum(s.starts) AS starts, sum(s.wins) AS wins, sum(s.top5) AS top5,
           sum(s.top10) AS top10, sum(s.poles_official) AS poles_official,
           sum(s.poles_from_start) AS poles_from_start, sum(s.poles_unknown) AS poles_unknown,
           sum(s.poles_unstarted) AS poles_unstarted, sum(s.laps_led) AS laps_led,
           sum(s.laps_led_unknown) AS laps_led_unknown, sum(s.wins_on_record) AS wins_on_record,
           min(s.season) AS first_season, max(s.season) AS last_season, min(s.best_finish) AS best_finish
    FROM summary_drivers w CROSS JOIN driver_season_stats s WHERE s.driver_id = w.driver_id
    GROUP BY s.driver_id, s.series
)
SELECT t.driver_id, t.series, t.starts, t.wins, t.top5, t.top10, t.poles_official, t.poles_from_start,
       t.poles_unknown, t.poles_unstarted, t.laps_led, t.laps_led_unknown, t.wins_on_record, t.first_season,
       t.last_season, t.best_finish,
       (SELECT max(b.season) FROM driver_season_stats b
        WHERE b.driver_id = t.driver_id AND b.series = t.series AND b.best_finish = t.best_finish)
FROM totals t
"""

_SERIES_SOURCES = """
INSERT INTO driver_series_sources (driver_id, series, figure, source_key, first_season)
SELECT s.driver_id, s.series, s.figure, s.source_key, min(s.season)
FROM summary_drivers w CROSS JOIN driver_season_sources s WHERE s.driver_id = w.driver_id
GROUP BY s.driver_id, s.series, s.figure, s.source_key
"""

_TRACK_RACES = """
INSERT INTO track_series_races (track_id, series, races)
SELECT s.track_id, s.series, sum(s.races)
FROM summary_tracks w CROSS JOIN season_tracks s WHERE s.track_id = w.track_id
GROUP BY s.track_id, s.series
"""


@functools.cache
def refresh_steps(d: Dialect) -> tuple[str, ...]:
    """The statements of one refresh, in order, in the database's dialect."""
    return (
        _OLD_DRIVERS,
        _OLD_TRACKS,
        f"DELETE FROM driver_season_stats WHERE {_IN_TOUCHED}",
        f"DELETE FROM driver_season_sources WHERE {_IN_TOUCHED}",
        f"DELETE FROM season_summary WHERE {_IN_TOUCHED}",
        f"DELETE FROM season_tracks WHERE {_IN_TOUCHED}",
        _SEASON_STARTS,
        _SEASON_WINS,
        _SEASON_POLES,
        _season_sources(d),
        _season_summary(d),
        _SEASON_TRACKS,
        _NEW_DRIVERS,
        _NEW_TRACKS,
        "DELETE FROM driver_series_stats WHERE driver_id IN (SELECT driver_id FROM summary_drivers)",
        "DELETE FROM driver_series_sources WHERE driver_id IN (SELECT driver_id FROM summary_drivers)",
        "DELETE FROM track_series_races WHERE track_id IN (SELECT track_id FROM summary_tracks)",
        _SERIES_STATS,
        _SERIES_SOURCES,
        _TRACK_RACES,
        "DELETE FROM summary_seasons",
        "DELETE FROM summary_drivers",
        "DELETE FROM summary_tracks",
    )


# In order; the migration that fills the tables for a database that predates them runs these too (SQLite).
REFRESH_STEPS = refresh_steps(SQLITE)

# Every season stored, and every season a summary still holds (its races may have gone since).
ALL_SEASONS = """
INSERT INTO summary_seasons (series, season)
SELECT series, season FROM races UNION SELECT series, season FROM season_summary
"""


async def refresh_seasons(db: Database, seasons: Iterable[tuple[Series | str, int]]) -> int:
    """Recompute the summaries of these seasons and the totals they feed; call inside the write's transaction.

    Returns how many seasons were recomputed (none: nothing runs, nothing changes).
    """
    touched = sorted(set(seasons))
    if not touched:
        return 0
    await db.execute_many("INSERT INTO summary_seasons (series, season) VALUES (?, ?)", touched)
    for step in refresh_steps(db.dialect):
        await db.execute(step)
    return len(touched)


async def refresh_races(db: Database, race_ids: Iterable[int]) -> int:
    """`refresh_seasons` for the seasons of these races."""
    ids = sorted(set(race_ids))
    if not ids:
        return 0
    marks = ",".join("?" * len(ids))
    rows = await db.fetch(f"SELECT DISTINCT series, season FROM races WHERE id IN ({marks})", ids)
    seasons = [(str(r[0]), int(r[1])) for r in rows]
    return await refresh_seasons(db, seasons)


async def refresh_all(db: Database) -> None:
    """Recompute every summary from scratch (tests, and a database whose rows were written by hand)."""
    await db.execute(ALL_SEASONS)
    for step in refresh_steps(db.dialect):
        await db.execute(step)
