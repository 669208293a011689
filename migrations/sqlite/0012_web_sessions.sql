-- The web interface (issue 8): browser sessions, settings the admin edits on a page, a
-- disabled flag on accounts, and the events that rate limits count.
-- A session is stored by the SHA-256 of its cookie value, never the value; `csrf` is the
-- token every form of the session carries. Times are unix microseconds.
-- The twin in the other backend's folder has the same file name.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Instance settings changed on the admin pages (name, description, rules, contact,
-- languages, registration mode); the settings file gives the defaults.
CREATE TABLE instance_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;

-- One row per counted attempt (a failed sign-in, a reset request, a report): a limit counts
-- the rows of its bucket inside its window; old rows are deleted as new ones arrive.
CREATE TABLE rate_events (
    bucket TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rate_events_bucket ON rate_events (bucket, at);
