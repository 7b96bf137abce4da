-- NASCAR feed sync and nascaR.data history import.
-- History rows have no race date: such races carry a placeholder race_date (YYYY-01-01) and
-- date_known = 0, so builders show the season only and never an invented day.
ALTER TABLE races ADD COLUMN date_known INTEGER NOT NULL DEFAULT 1;

-- NASCAR's own driver id, so feed rows join by id even when the spelling changes.
ALTER TABLE drivers ADD COLUMN feed_id INTEGER;
CREATE UNIQUE INDEX drivers_feed_id ON drivers(feed_id) WHERE feed_id IS NOT NULL;

-- Who led which laps (the feed's race_leaders; the first row is a 0-0 entry for the car that started first).
CREATE TABLE race_leaders (
    race_id INTEGER NOT NULL REFERENCES races(id) ON DELETE CASCADE,
    start_lap INTEGER NOT NULL,
    end_lap INTEGER NOT NULL,
    car_number TEXT NOT NULL,
    PRIMARY KEY (race_id, start_lap, end_lap, car_number)
) WITHOUT ROWID;

CREATE INDEX races_feed_poll ON races(status, start_utc);
