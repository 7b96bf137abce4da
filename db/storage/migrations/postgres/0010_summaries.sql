-- PostgreSQL twin of sqlite/0010_summaries.sql: the same tables. SQLite's step also fills them for the races
-- already stored; a PostgreSQL database has none at this step (PostgreSQL support came after 0012, and
-- `db copy` writes into a fully migrated schema), so there is nothing to fill.
-- Totals the fan commands read instead of counting results (db/summaries.py keeps them current in every
-- race-data write's transaction), so what a command costs does not grow with the history.

-- What one refresh works on: the seasons a write touched, then the drivers and tracks they concern.
-- Empty outside a data transaction.
CREATE TABLE summary_seasons (
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    PRIMARY KEY (series, season)
);
CREATE TABLE summary_drivers (driver_id INTEGER PRIMARY KEY);
CREATE TABLE summary_tracks (track_id INTEGER PRIMARY KEY);

-- A driver's season in one series: starts and finishes in races whose field is stored, plus the races
-- they are the recorded winner or pole of (db/careers.py explains each figure).
CREATE TABLE driver_season_stats (
    driver_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    starts INTEGER NOT NULL DEFAULT 0,
    wins INTEGER NOT NULL DEFAULT 0,
    top5 INTEGER NOT NULL DEFAULT 0,
    top10 INTEGER NOT NULL DEFAULT 0,
    poles_official INTEGER NOT NULL DEFAULT 0,    -- started from the race's recorded pole
    poles_from_start INTEGER NOT NULL DEFAULT 0,  -- the one car that started first, where no pole is recorded
    poles_unknown INTEGER NOT NULL DEFAULT 0,     -- starts where neither is recorded
    poles_unstarted INTEGER NOT NULL DEFAULT 0,   -- recorded poles in races whose stored field lacks the driver
    laps_led INTEGER,                             -- NULL: not recorded in any start
    laps_led_unknown INTEGER NOT NULL DEFAULT 0,
    best_finish INTEGER,                          -- NULL: no start
    wins_on_record INTEGER NOT NULL DEFAULT 0,    -- races whose recorded winner is the driver
    PRIMARY KEY (driver_id, series, season)
);
CREATE INDEX driver_season_stats_season ON driver_season_stats(series, season, driver_id);

-- Where those figures come from: source keys per figure ('results', 'pole', 'winner').
CREATE TABLE driver_season_sources (
    driver_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    figure TEXT NOT NULL,
    source_key TEXT NOT NULL,
    PRIMARY KEY (driver_id, series, season, figure, source_key)
);
CREATE INDEX driver_season_sources_season ON driver_season_sources(series, season);

-- The same over a driver's whole record in a series.
CREATE TABLE driver_series_stats (
    driver_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    starts INTEGER NOT NULL,
    wins INTEGER NOT NULL,
    top5 INTEGER NOT NULL,
    top10 INTEGER NOT NULL,
    poles_official INTEGER NOT NULL,
    poles_from_start INTEGER NOT NULL,
    poles_unknown INTEGER NOT NULL,
    poles_unstarted INTEGER NOT NULL,
    laps_led INTEGER,
    laps_led_unknown INTEGER NOT NULL,
    wins_on_record INTEGER NOT NULL,
    first_season INTEGER NOT NULL,
    last_season INTEGER NOT NULL,
    best_finish INTEGER,
    best_season INTEGER,                -- the latest season with the best finish
    PRIMARY KEY (driver_id, series)
);
CREATE TABLE driver_series_sources (
    driver_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    figure TEXT NOT NULL,
    source_key TEXT NOT NULL,
    first_season INTEGER NOT NULL,      -- sources are cited oldest first
    PRIMARY KEY (driver_id, series, figure, source_key)
);

-- What a season holds (/about, /schedule) and how many races hold each trivia figure.
CREATE TABLE season_summary (
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    races INTEGER NOT NULL,
    with_results INTEGER NOT NULL,      -- races whose field is stored
    results INTEGER NOT NULL,
    result_sources TEXT NOT NULL,       -- comma-separated keys the stored fields come from
    schedule_sources TEXT NOT NULL,     -- and the races without a field
    winners INTEGER NOT NULL,           -- races with a recorded winner
    winner_facts INTEGER NOT NULL,      -- races holding each trivia figure (db.summaries.FIGURE_FILTER)
    margin_facts INTEGER NOT NULL,
    pole_facts INTEGER NOT NULL,
    result_facts INTEGER NOT NULL,
    PRIMARY KEY (series, season)
);
CREATE INDEX season_summary_winners ON season_summary(season) WHERE winners > 0;

-- Races per track, per season and in all (the name index ranks tracks by it).
CREATE TABLE season_tracks (
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    track_id INTEGER NOT NULL,
    races INTEGER NOT NULL,
    PRIMARY KEY (series, season, track_id)
);
CREATE INDEX season_tracks_track ON season_tracks(track_id, series);
CREATE TABLE track_series_races (
    track_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    races INTEGER NOT NULL,
    PRIMARY KEY (track_id, series)
);

-- Freshness lines read the newest change and answer through an index, not a walk over every race.
CREATE INDEX races_series_updated ON races(series, updated_at);
CREATE INDEX races_series_dated ON races(series, race_date) WHERE date_known = 1;
CREATE INDEX raw_responses_fetched ON raw_responses(status, fetched_at);
-- /result's races at a track in one series, newest season first (races_track alone leaves the series to
-- filter, and the planner may walk a whole series instead).
CREATE INDEX races_track_series ON races(track_id, series, season);
-- Trivia's wrong margins are real margins near the answer: a range of this index, not a walk over races.
CREATE INDEX races_margin ON races(margin_s) WHERE margin_s IS NOT NULL;
