-- One counter that only race-data writes (dataset loads, history imports, feed sync, moved starts)
-- bump. Read caches key on it, so guild-side writes (trivia answers, the delivery ledger, settings)
-- never empty them, while a data change by any process on this database does.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);
