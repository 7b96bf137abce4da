-- "/alerts pause" without an end was stored as paused_until 9999-01-01, a date every reader had to
-- recognise by convention. It is its own state now; existing indefinite pauses become that state.
ALTER TABLE alert_subscriptions ADD COLUMN paused_until_resumed INTEGER NOT NULL DEFAULT 0;
UPDATE alert_subscriptions SET paused_until_resumed = 1, paused_until = NULL WHERE paused_until >= '9999';
