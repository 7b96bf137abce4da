-- Race facts side. Every figure keeps where it came from (source keys) and when it changed.
CREATE TABLE series (
    code TEXT PRIMARY KEY,            -- cup, xfinity, truck
    name TEXT NOT NULL,
    feed_id INTEGER NOT NULL UNIQUE   -- NASCAR feed series_id
);
INSERT INTO series (code, name, feed_id) VALUES
    ('cup', 'NASCAR Cup Series', 1),
    ('xfinity', 'NASCAR Xfinity Series', 2),
    ('truck', 'NASCAR Craftsman Truck Series', 3);

CREATE TABLE sources (
    key TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT,
    published TEXT,
    publisher TEXT
);

CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    city TEXT,
    state TEXT,
    length_miles REAL,
    surface TEXT,
    timezone TEXT NOT NULL DEFAULT 'America/New_York'
);

CREATE TABLE track_aliases (
    alias_norm TEXT PRIMARY KEY,      -- casefolded, accents stripped
    alias TEXT NOT NULL,
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE
);

CREATE TABLE drivers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL UNIQUE
);

CREATE TABLE driver_aliases (
    alias_norm TEXT PRIMARY KEY,
    alias TEXT NOT NULL,
    driver_id INTEGER NOT NULL REFERENCES drivers(id) ON DELETE CASCADE
);

CREATE TABLE races (
    id INTEGER PRIMARY KEY,
    series TEXT NOT NULL REFERENCES series(code),
    season INTEGER NOT NULL,
    race_number INTEGER,              -- points-race number; NULL for exhibitions
    feed_race_id INTEGER UNIQUE,      -- NASCAR race_id when known
    name TEXT NOT NULL,
    track_id INTEGER NOT NULL REFERENCES tracks(id),
    start_utc TEXT,                   -- ISO 8601 UTC; NULL when only the day is known
    race_date TEXT NOT NULL,          -- local race day (ISO date)
    tv TEXT,
    radio TEXT,
    points_race INTEGER NOT NULL DEFAULT 1,
    scheduled_laps INTEGER,
    scheduled_miles REAL,
    actual_laps INTEGER,
    actual_miles REAL,
    stage_ends TEXT NOT NULL DEFAULT '[]',   -- JSON list of end laps
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'provisional', 'official')),
    winner_id INTEGER REFERENCES drivers(id),
    cautions INTEGER,
    caution_laps INTEGER,
    lead_changes INTEGER,
    leaders INTEGER,
    margin_text TEXT,
    margin_s REAL,
    average_speed_mph REAL,
    pole_driver_id INTEGER REFERENCES drivers(id),
    pole_time_s REAL,
    pole_speed_mph REAL,
    notes TEXT NOT NULL DEFAULT '[]',        -- JSON list of sourced notes
    source TEXT NOT NULL,                    -- source key of the race as a whole
    field_sources TEXT NOT NULL DEFAULT '{}',-- JSON {figure: [source keys]}
    corrected INTEGER NOT NULL DEFAULT 0,    -- a later import changed an official result
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX races_points_key ON races(series, season, race_number) WHERE race_number IS NOT NULL;
CREATE UNIQUE INDEX races_exhibition_key ON races(series, season, name) WHERE race_number IS NULL;
CREATE INDEX races_track ON races(track_id, season);
CREATE INDEX races_start ON races(start_utc);
CREATE INDEX races_date ON races(race_date);

CREATE TABLE results (
    race_id INTEGER NOT NULL REFERENCES races(id) ON DELETE CASCADE,
    finish INTEGER NOT NULL,
    start INTEGER,
    car_number TEXT NOT NULL,
    driver_id INTEGER NOT NULL REFERENCES drivers(id),
    team TEXT,
    make TEXT,
    laps INTEGER,
    laps_led INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running',
    points INTEGER,
    rating REAL,
    PRIMARY KEY (race_id, finish)
) WITHOUT ROWID;
CREATE INDEX results_driver ON results(driver_id, race_id);

CREATE TABLE stage_results (
    race_id INTEGER NOT NULL REFERENCES races(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL,
    position INTEGER NOT NULL,
    car_number TEXT,
    driver_id INTEGER NOT NULL REFERENCES drivers(id),
    points INTEGER,
    PRIMARY KEY (race_id, stage, position)
) WITHOUT ROWID;

CREATE TABLE cautions (
    race_id INTEGER NOT NULL REFERENCES races(id) ON DELETE CASCADE,
    start_lap INTEGER NOT NULL,
    end_lap INTEGER NOT NULL,
    reason TEXT,
    comment TEXT,
    PRIMARY KEY (race_id, start_lap)
) WITHOUT ROWID;

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    speaker_id INTEGER NOT NULL REFERENCES drivers(id),
    race_id INTEGER REFERENCES races(id) ON DELETE SET NULL,
    context TEXT,
    said_to TEXT,
    said_on TEXT,
    source TEXT NOT NULL REFERENCES sources(key),
    UNIQUE (speaker_id, text)
);
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, context, content='quotes', content_rowid='id');
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text, context) VALUES ('delete', old.id, old.text, old.context);
END;
CREATE TRIGGER quotes_au AFTER UPDATE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text, context) VALUES ('delete', old.id, old.text, old.context);
    INSERT INTO quotes_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
END;

CREATE TABLE notable_finishes (
    id INTEGER PRIMARY KEY,
    rank INTEGER,                     -- as ranked by the sources; NULL = not ranked
    tied INTEGER NOT NULL DEFAULT 0,
    margin_s REAL NOT NULL,
    winner_id INTEGER NOT NULL REFERENCES drivers(id),
    runner_up_id INTEGER REFERENCES drivers(id),
    track_id INTEGER NOT NULL REFERENCES tracks(id),
    series TEXT NOT NULL REFERENCES series(code),
    season INTEGER NOT NULL,
    race_name TEXT NOT NULL,
    date_text TEXT NOT NULL,
    race_date TEXT,
    points_race INTEGER NOT NULL DEFAULT 1,
    note TEXT,
    sources TEXT NOT NULL,            -- JSON list of source keys
    UNIQUE (series, season, race_name)
);

CREATE TABLE raw_responses (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    body BLOB,
    UNIQUE (url, sha256)
);

CREATE TABLE data_loads (
    name TEXT PRIMARY KEY,            -- dataset file name or import kind
    sha256 TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

-- Guild side.
CREATE TABLE alert_subscriptions (
    guild_id INTEGER NOT NULL,
    series TEXT NOT NULL REFERENCES series(code),
    channel_id INTEGER NOT NULL,
    role_id INTEGER,
    leads_min TEXT NOT NULL DEFAULT '[60]',   -- JSON list of lead times in minutes
    kinds TEXT NOT NULL DEFAULT '["reminder","results","changes"]',
    paused_until TEXT,
    disabled_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, series)
);

CREATE TABLE deliveries (
    key TEXT PRIMARY KEY,             -- kind|race|start|guild|channel|lead
    kind TEXT NOT NULL,
    race_id INTEGER NOT NULL,
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'missed')),
    late INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER,
    detail TEXT,
    fire_at TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX deliveries_guild ON deliveries(guild_id, fire_at);

CREATE TABLE trivia_settings (
    guild_id INTEGER PRIMARY KEY,
    time_limit_s INTEGER NOT NULL DEFAULT 20,
    questions_per_game INTEGER NOT NULL DEFAULT 5,
    reveal_answer INTEGER NOT NULL DEFAULT 1,
    cooldown_s INTEGER NOT NULL DEFAULT 30
);

CREATE TABLE trivia_scores (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    question_key TEXT NOT NULL,
    correct INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, answered_at, question_key)
);

CREATE TABLE trivia_streaks (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    current INTEGER NOT NULL DEFAULT 0,
    best INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE bot_state (
    key TEXT PRIMARY KEY,             -- e.g. command_sync_hash
    value TEXT NOT NULL
);
