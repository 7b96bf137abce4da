-- Totals the fan commands read instead of counting results (db/summaries.py keeps them current in every
-- race-data write's transaction), so what a command costs does not grow with the history.

-- What one refresh works on: the seasons a write touched, then the drivers and tracks they concern.
-- Empty outside a data transaction.
CREATE TABLE summary_seasons (
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    PRIMARY KEY (series, season)
) WITHOUT ROWID;
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
) WITHOUT ROWID;
CREATE INDEX driver_season_stats_season ON driver_season_stats(series, season, driver_id);

-- Where those figures come from: source keys per figure ('results', 'pole', 'winner').
CREATE TABLE driver_season_sources (
    driver_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    figure TEXT NOT NULL,
    source_key TEXT NOT NULL,
    PRIMARY KEY (driver_id, series, season, figure, source_key)
) WITHOUT ROWID;
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
) WITHOUT ROWID;
CREATE TABLE driver_series_sources (
    driver_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    figure TEXT NOT NULL,
    source_key TEXT NOT NULL,
    first_season INTEGER NOT NULL,      -- sources are cited oldest first
    PRIMARY KEY (driver_id, series, figure, source_key)
) WITHOUT ROWID;

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
) WITHOUT ROWID;
CREATE INDEX season_summary_winners ON season_summary(season) WHERE winners > 0;

-- Races per track, per season and in all (the name index ranks tracks by it).
CREATE TABLE season_tracks (
    series TEXT NOT NULL,
    season INTEGER NOT NULL,
    track_id INTEGER NOT NULL,
    races INTEGER NOT NULL,
    PRIMARY KEY (series, season, track_id)
) WITHOUT ROWID;
CREATE INDEX season_tracks_track ON season_tracks(track_id, series);
CREATE TABLE track_series_races (
    track_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    races INTEGER NOT NULL,
    PRIMARY KEY (track_id, series)
) WITHOUT ROWID;

-- Freshness lines read the newest change and answer through an index, not a walk over every race.
CREATE INDEX races_series_updated ON races(series, updated_at);
CREATE INDEX races_series_dated ON races(series, race_date) WHERE date_known = 1;
CREATE INDEX raw_responses_fetched ON raw_responses(status, fetched_at);
-- /result's races at a track in one series, newest season first (races_track alone leaves the series to
-- filter, and the planner may walk a whole series instead).
CREATE INDEX races_track_series ON races(track_id, series, season);
-- Trivia's wrong margins are real margins near the answer: a range of this index, not a walk over races.
CREATE INDEX races_margin ON races(margin_s) WHERE margin_s IS NOT NULL;

-- Fill the summaries for the races already stored (db.summaries.ALL_SEASONS, then REFRESH_STEPS).

INSERT INTO summary_seasons (series, season)
SELECT series, season FROM races UNION SELECT series, season FROM season_summary;

INSERT INTO summary_drivers (driver_id)
SELECT DISTINCT driver_id FROM driver_season_stats WHERE (series, season) IN (SELECT series, season FROM summary_seasons);

INSERT INTO summary_tracks (track_id)
SELECT DISTINCT track_id FROM season_tracks WHERE (series, season) IN (SELECT series, season FROM summary_seasons);

DELETE FROM driver_season_stats WHERE (series, season) IN (SELECT series, season FROM summary_seasons);

DELETE FROM driver_season_sources WHERE (series, season) IN (SELECT series, season FROM summary_seasons);

DELETE FROM season_summary WHERE (series, season) IN (SELECT series, season FROM summary_seasons);

DELETE FROM season_tracks WHERE (series, season) IN (SELECT series, season FROM summary_seasons);

INSERT INTO driver_season_stats (driver_id, series, season, starts, wins, top5, top10, poles_official,
    poles_from_start, poles_unknown, laps_led, laps_led_unknown, best_finish)
WITH firsts AS (
    SELECT x.race_id, sum(CASE WHEN x.start = 1 THEN 1 ELSE 0 END) AS n
    FROM results x WHERE x.race_id IN (SELECT r.id FROM summary_seasons w CROSS JOIN races r WHERE r.series = w.series AND r.season = w.season)
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
FROM summary_seasons w CROSS JOIN races r JOIN results x ON x.race_id = r.id JOIN firsts f ON f.race_id = r.id
WHERE r.series = w.series AND r.season = w.season
GROUP BY x.driver_id, r.series, r.season;

INSERT INTO driver_season_stats (driver_id, series, season, wins_on_record)
SELECT r.winner_id, r.series, r.season, count(*) FROM summary_seasons w CROSS JOIN races r
WHERE r.series = w.series AND r.season = w.season AND r.winner_id IS NOT NULL
GROUP BY r.winner_id, r.series, r.season
ON CONFLICT (driver_id, series, season) DO UPDATE SET wins_on_record = excluded.wins_on_record;

INSERT INTO driver_season_stats (driver_id, series, season, poles_unstarted)
SELECT r.pole_driver_id, r.series, r.season, count(*) FROM summary_seasons w CROSS JOIN races r
WHERE r.series = w.series AND r.season = w.season AND r.pole_driver_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM results y WHERE y.race_id = r.id AND y.driver_id = r.pole_driver_id)
GROUP BY r.pole_driver_id, r.series, r.season
ON CONFLICT (driver_id, series, season) DO UPDATE SET poles_unstarted = excluded.poles_unstarted;

INSERT INTO driver_season_sources (driver_id, series, season, figure, source_key)
WITH cited AS (
    SELECT x.driver_id, r.series, r.season, 'results' AS figure, CASE WHEN json_array_length(r.field_sources, '$.results') > 0
                    THEN json_extract(r.field_sources, '$.results') ELSE json_array(r.source) END AS keys
    FROM summary_seasons w CROSS JOIN races r JOIN results x ON x.race_id = r.id WHERE r.series = w.series AND r.season = w.season
    UNION
    SELECT r.pole_driver_id, r.series, r.season, 'pole', CASE WHEN json_array_length(r.field_sources, '$.pole') > 0
                    THEN json_extract(r.field_sources, '$.pole') ELSE json_array(r.source) END
    FROM summary_seasons w CROSS JOIN races r WHERE r.series = w.series AND r.season = w.season AND r.pole_driver_id IS NOT NULL
    UNION
    -- A pole taken from the start positions cites the results it was read from.
    SELECT x.driver_id, r.series, r.season, 'pole', CASE WHEN json_array_length(r.field_sources, '$.results') > 0
                    THEN json_extract(r.field_sources, '$.results') ELSE json_array(r.source) END
    FROM summary_seasons w CROSS JOIN races r JOIN results x ON x.race_id = r.id AND x.start = 1
    WHERE r.series = w.series AND r.season = w.season AND r.pole_driver_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM results y WHERE y.race_id = r.id AND y.start = 1 AND y.finish <> x.finish)
    UNION
    SELECT r.winner_id, r.series, r.season, 'winner', CASE WHEN json_array_length(r.field_sources, '$.winner') > 0
                    THEN json_extract(r.field_sources, '$.winner') ELSE json_array(r.source) END
    FROM summary_seasons w CROSS JOIN races r WHERE r.series = w.series AND r.season = w.season AND r.winner_id IS NOT NULL
)
SELECT DISTINCT c.driver_id, c.series, c.season, c.figure, k.value FROM cited c, json_each(c.keys) k;

INSERT INTO season_summary (series, season, races, with_results, results, result_sources, schedule_sources,
    winners, winner_facts, margin_facts, pole_facts, result_facts)
SELECT series, season, count(*), sum(has), sum(n),
       coalesce(group_concat(DISTINCT CASE WHEN has = 1 THEN result_key END), ''),
       coalesce(group_concat(DISTINCT CASE WHEN has = 0 THEN source END), ''),
       sum(won), sum(winner_fact), sum(margin_fact), sum(pole_fact), sum(result_fact)
FROM (
    SELECT r.series, r.season, r.source,
           coalesce(json_extract(r.field_sources, '$.results[0]'), r.source) AS result_key,
           (SELECT count(*) FROM results x WHERE x.race_id = r.id) AS n,
           CASE WHEN EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id) THEN 1 ELSE 0 END AS has,
           CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END AS won,
           CASE WHEN r.source <> '' AND r.winner_id IS NOT NULL AND r.status = 'official' THEN 1 ELSE 0 END AS winner_fact,
           CASE WHEN r.source <> '' AND r.margin_s IS NOT NULL AND r.margin_s > 0 AND r.winner_id IS NOT NULL AND r.status = 'official' THEN 1 ELSE 0 END AS margin_fact,
           CASE WHEN r.source <> '' AND r.pole_driver_id IS NOT NULL THEN 1 ELSE 0 END AS pole_fact,
           CASE WHEN r.source <> '' AND r.status = 'official' AND EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id) THEN 1 ELSE 0 END AS result_fact
    FROM summary_seasons w CROSS JOIN races r WHERE r.series = w.series AND r.season = w.season
) GROUP BY series, season;

INSERT INTO season_tracks (series, season, track_id, races)
SELECT r.series, r.season, r.track_id, count(*) FROM summary_seasons w CROSS JOIN races r WHERE r.series = w.series AND r.season = w.season
GROUP BY r.series, r.season, r.track_id;

INSERT INTO summary_drivers (driver_id)
SELECT DISTINCT driver_id FROM driver_season_stats s WHERE (series, season) IN (SELECT series, season FROM summary_seasons)
  AND NOT EXISTS (SELECT 1 FROM summary_drivers d WHERE d.driver_id = s.driver_id);

INSERT INTO summary_tracks (track_id)
SELECT DISTINCT track_id FROM season_tracks s WHERE (series, season) IN (SELECT series, season FROM summary_seasons)
  AND NOT EXISTS (SELECT 1 FROM summary_tracks w WHERE w.track_id = s.track_id);

DELETE FROM driver_series_stats WHERE driver_id IN (SELECT driver_id FROM summary_drivers);

DELETE FROM driver_series_sources WHERE driver_id IN (SELECT driver_id FROM summary_drivers);

DELETE FROM track_series_races WHERE track_id IN (SELECT track_id FROM summary_tracks);

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
FROM totals t;

INSERT INTO driver_series_sources (driver_id, series, figure, source_key, first_season)
SELECT s.driver_id, s.series, s.figure, s.source_key, min(s.season)
FROM summary_drivers w CROSS JOIN driver_season_sources s WHERE s.driver_id = w.driver_id
GROUP BY s.driver_id, s.series, s.figure, s.source_key;

INSERT INTO track_series_races (track_id, series, races)
SELECT s.track_id, s.series, sum(s.races)
FROM summary_tracks w CROSS JOIN season_tracks s WHERE s.track_id = w.track_id
GROUP BY s.track_id, s.series;

DELETE FROM summary_seasons;

DELETE FROM summary_drivers;

DELETE FROM summary_tracks;
