-- Several bot processes on one database. A moved start is recorded here once, by whichever process
-- sees it first, and every process posts the notice to its own servers from this row: the shared
-- alert_race_watch alone let the first process consume the change for everyone (issue 17).
CREATE TABLE IF NOT EXISTS alert_race_change (
    race_id INTEGER NOT NULL REFERENCES races(id) ON DELETE CASCADE,
    start_utc TEXT NOT NULL,          -- the new start
    previous_start TEXT NOT NULL,     -- the start announced before it
    seen_at TEXT NOT NULL,            -- when it was first seen: subscriptions set up later are not told
    PRIMARY KEY (race_id, start_utc)
);
