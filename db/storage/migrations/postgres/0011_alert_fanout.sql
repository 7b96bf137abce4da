-- PostgreSQL twin of sqlite/0011_alert_fanout.sql.
CREATE INDEX IF NOT EXISTS alert_subscriptions_page
    ON alert_subscriptions(series, guild_id) WHERE disabled_reason IS NULL;

CREATE TABLE IF NOT EXISTS alert_race_official (
    race_id INTEGER PRIMARY KEY REFERENCES races(id) ON DELETE CASCADE,
    official_at TEXT NOT NULL
);
