-- Alerts: what the planner last saw of each race (to notice start changes and races turning
-- official), and the lead time of each delivery (for /alerts status without parsing keys).
CREATE TABLE alert_race_watch (
    race_id INTEGER PRIMARY KEY REFERENCES races(id) ON DELETE CASCADE,
    start_utc TEXT,                   -- the start the reminders were last planned for
    status TEXT NOT NULL,             -- scheduled/provisional/official when last seen
    seen_at TEXT NOT NULL
);

ALTER TABLE deliveries ADD COLUMN lead_min INTEGER;
ALTER TABLE deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deliveries_state ON deliveries(state, claimed_at);
