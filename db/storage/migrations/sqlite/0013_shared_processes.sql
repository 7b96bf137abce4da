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

-- Leases (bot/leases.py): a name held by one owner until expires_at, renewed by its heartbeat, taken by
-- another owner once free or expired, deleted on a clean stop. A process's liveness ("alive:…"), the
-- shards it runs ("shard:N") and the one-at-a-time jobs ("singleton:feed-sync", …).
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
