-- PostgreSQL twin of sqlite/0003_feed_and_history.sql.
ALTER TABLE races ADD COLUMN date_known INTEGER NOT NULL DEFAULT 1;

ALTER TABLE drivers ADD COLUMN feed_id INTEGER;
CREATE UNIQUE INDEX drivers_feed_id ON drivers(feed_id) WHERE feed_id IS NOT NULL;

CREATE TABLE race_leaders (
    race_id INTEGER NOT NULL REFERENCES races(id) ON DELETE CASCADE,
    start_lap INTEGER NOT NULL,
    end_lap INTEGER NOT NULL,
    car_number TEXT NOT NULL,
    PRIMARY KEY (race_id, start_lap, end_lap, car_number)
);

CREATE INDEX races_feed_poll ON races(status, start_utc);
