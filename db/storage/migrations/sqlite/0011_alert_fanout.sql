-- Fan-out by pages: one job per (kind, race, start, lead) reads the enabled subscriptions of a series
-- in guild-id order, a page at a time; this partial index is that keyset walk.
CREATE INDEX IF NOT EXISTS alert_subscriptions_page
    ON alert_subscriptions(series, guild_id) WHERE disabled_reason IS NULL;

-- When the bot first saw a race official: results alerts are due then, or that many hours later for a
-- server with a results delay, and a restart in between must still know when.
CREATE TABLE IF NOT EXISTS alert_race_official (
    race_id INTEGER PRIMARY KEY REFERENCES races(id) ON DELETE CASCADE,
    official_at TEXT NOT NULL
);
