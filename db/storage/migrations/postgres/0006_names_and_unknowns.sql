-- PostgreSQL twin of sqlite/0006_names_and_unknowns.sql (SQLite rebuilds `results` to change a column;
-- PostgreSQL alters it in place).
ALTER TABLE track_aliases ADD COLUMN kind TEXT NOT NULL DEFAULT 'alias';
ALTER TABLE track_aliases ADD COLUMN first_season INTEGER;
ALTER TABLE track_aliases ADD COLUMN last_season INTEGER;
ALTER TABLE track_aliases ADD COLUMN source TEXT;
ALTER TABLE driver_aliases ADD COLUMN kind TEXT NOT NULL DEFAULT 'alias';
ALTER TABLE driver_aliases ADD COLUMN source TEXT;

ALTER TABLE races ADD COLUMN track_called TEXT;

ALTER TABLE results ALTER COLUMN laps_led DROP NOT NULL, ALTER COLUMN laps_led DROP DEFAULT;

CREATE INDEX races_winner ON races(winner_id) WHERE winner_id IS NOT NULL;
CREATE INDEX races_pole ON races(pole_driver_id) WHERE pole_driver_id IS NOT NULL;
CREATE INDEX races_series_season ON races(series, season);
CREATE INDEX races_series_start ON races(series, start_utc);
