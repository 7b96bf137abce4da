-- PostgreSQL twin of sqlite/0002_alerts.sql.
CREATE TABLE alert_race_watch (
    race_id INTEGER PRIMARY KEY REFERENCES races(id) ON DELETE CASCADE,
    start_utc TEXT,
    status TEXT NOT NULL,
    seen_at TEXT NOT NULL
);

ALTER TABLE deliveries ADD COLUMN lead_min INTEGER;
ALTER TABLE deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deliveries_state ON deliveries(state, claimed_at);
