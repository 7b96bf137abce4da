-- Official points standings, one snapshot per series, season and the race after which they stood.
-- The rows are NASCAR's own figures as the points feed sent them: the bot never recomputes points.
CREATE TABLE standings (
    id INTEGER PRIMARY KEY,
    series TEXT NOT NULL REFERENCES series(code),
    season INTEGER NOT NULL,
    after_race INTEGER NOT NULL,         -- points races run when these stood (the feed's most starts)
    official INTEGER NOT NULL,           -- 1: NASCAR's points after the race; 0: live, during that race
    source TEXT NOT NULL REFERENCES sources(key),
    url TEXT NOT NULL,                   -- the feed address the rows came from
    fetched_at TEXT NOT NULL,
    UNIQUE (series, season, after_race)
);

CREATE TABLE standings_rows (
    standings_id INTEGER NOT NULL REFERENCES standings(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    feed_driver_id INTEGER NOT NULL,     -- NASCAR's driver id; joins drivers.feed_id when we know the driver
    driver_name TEXT NOT NULL,           -- as the feed spells it
    car_number TEXT,
    points INTEGER NOT NULL,
    starts INTEGER,
    wins INTEGER,
    top_5 INTEGER,
    top_10 INTEGER,
    poles INTEGER,
    laps_led INTEGER,
    stage_points INTEGER,
    playoff_points INTEGER,
    playoff_rank INTEGER,                -- the feed's projected playoff order; NULL when it gives none
    cutoff_delta INTEGER,                -- the feed's points to the playoff cutoff (delta_playoff)
    in_chase INTEGER,                    -- live feed's is_in_chase
    points_eligible INTEGER,
    rookie INTEGER,
    PRIMARY KEY (standings_id, feed_driver_id)
) WITHOUT ROWID;
CREATE INDEX standings_rows_driver ON standings_rows(feed_driver_id);

-- Discord Scheduled Events: which series a server wants, and one ledger row per race and server.
CREATE TABLE event_subscriptions (
    guild_id INTEGER NOT NULL,
    series TEXT NOT NULL REFERENCES series(code),
    disabled_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, series)
);

CREATE TABLE guild_events (
    guild_id INTEGER NOT NULL,
    race_id INTEGER NOT NULL,            -- no foreign key: a race removed from the store still has our event
    event_id INTEGER,                    -- Discord's id; NULL until Discord has answered the create
    state TEXT NOT NULL CHECK (state IN ('creating', 'active', 'failed', 'removing', 'removed', 'deleted_by_admin')),
    name TEXT NOT NULL,                  -- as last sent (or attempted)
    start_utc TEXT NOT NULL,
    fingerprint TEXT NOT NULL,           -- hash of every field last sent, to know when an edit is due
    detail TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, race_id)
) WITHOUT ROWID;
CREATE INDEX guild_events_event ON guild_events(event_id);

-- Spoiler-safe results per server.
CREATE TABLE spoiler_settings (
    guild_id INTEGER PRIMARY KEY,
    hide_results INTEGER NOT NULL DEFAULT 0,
    results_delay_h INTEGER NOT NULL DEFAULT 0 CHECK (results_delay_h BETWEEN 0 AND 72),
    updated_at TEXT NOT NULL
);
