-- PostgreSQL twin of sqlite/0012_pause_until_resumed.sql.
ALTER TABLE alert_subscriptions ADD COLUMN paused_until_resumed INTEGER NOT NULL DEFAULT 0;
UPDATE alert_subscriptions SET paused_until_resumed = 1, paused_until = NULL WHERE paused_until >= '9999';
