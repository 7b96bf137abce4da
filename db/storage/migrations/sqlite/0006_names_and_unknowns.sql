-- Names the way fans say them, and unknown figures kept unknown.

-- Aliases carry what they are and where they come from: a plain alias (legacy, unsourced), a name the
-- track or driver officially carried in given seasons ('name'), or a nickname ('nickname').
ALTER TABLE track_aliases ADD COLUMN kind TEXT NOT NULL DEFAULT 'alias';
ALTER TABLE track_aliases ADD COLUMN first_season INTEGER;
ALTER TABLE track_aliases ADD COLUMN last_season INTEGER;
ALTER TABLE track_aliases ADD COLUMN source TEXT;
ALTER TABLE driver_aliases ADD COLUMN kind TEXT NOT NULL DEFAULT 'alias';
ALTER TABLE driver_aliases ADD COLUMN source TEXT;

-- The track's name as the race's own source gives it, when that is not the track's name today
-- (nascaR.data calls 2025 race 18 at Atlanta "EchoPark Speedway").
ALTER TABLE races ADD COLUMN track_called TEXT;

-- Laps led is unknown for many early races (and whole Xfinity/Truck seasons): NULL, never 0.
CREATE TABLE results_new (
    race_id INTEGER NOT NULL REFERENCES races(id) ON DELETE CASCADE,
    finish INTEGER NOT NULL,
    start INTEGER,
    car_number TEXT NOT NULL,
    driver_id INTEGER NOT NULL REFERENCES drivers(id),
    team TEXT,
    make TEXT,
    laps INTEGER,
    laps_led INTEGER,
    status TEXT NOT NULL DEFAULT 'running',
    points INTEGER,
    rating REAL,
    PRIMARY KEY (race_id, finish)
) WITHOUT ROWID;
INSERT INTO results_new SELECT race_id, finish, start, car_number, driver_id, team, make, laps, laps_led, status,
    points, rating FROM results;
DROP TABLE results;
ALTER TABLE results_new RENAME TO results;
CREATE INDEX results_driver ON results(driver_id, race_id);

-- Career figures count a driver's wins and poles in races whose full field is not stored.
CREATE INDEX races_winner ON races(winner_id) WHERE winner_id IS NOT NULL;
CREATE INDEX races_pole ON races(pole_driver_id) WHERE pole_driver_id IS NOT NULL;
-- /about per series and season; "the next race of the series has been run" (the official policy).
CREATE INDEX races_series_season ON races(series, season);
CREATE INDEX races_series_start ON races(series, start_utc);
