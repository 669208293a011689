-- Core schema: actors (local and remote), people, organizations, follows, announcements,
-- remote notes, the delivery queue and inbox de-duplication.
-- Portable types only (TEXT, BIGINT, DOUBLE PRECISION, BLOB); booleans are 0/1 BIGINT and
-- times are unix microseconds. The PostgreSQL twin has the same file name.

CREATE TABLE actors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    local BIGINT NOT NULL DEFAULT 0,
    local_username TEXT UNIQUE,
    username TEXT NOT NULL,
    host TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    icon_url TEXT,
    inbox TEXT NOT NULL DEFAULT '',
    shared_inbox TEXT,
    outbox TEXT NOT NULL DEFAULT '',
    followers TEXT NOT NULL DEFAULT '',
    following TEXT NOT NULL DEFAULT '',
    key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    manually_approves BIGINT NOT NULL DEFAULT 0,
    discoverable BIGINT NOT NULL DEFAULT 1,
    fields TEXT NOT NULL DEFAULT '[]',
    published BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    fetched_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX actors_key_id ON actors (key_id);
CREATE INDEX actors_host ON actors (host);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE org_members (
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE follows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    follower_id BIGINT NOT NULL REFERENCES actors (id),
    target_id BIGINT NOT NULL REFERENCES actors (id),
    ap_id TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (follower_id, target_id)
);
CREATE INDEX follows_target ON follows (target_id, state);

CREATE TABLE announcements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    author_user_id BIGINT NOT NULL REFERENCES users (id),
    content_md TEXT NOT NULL,
    content_html TEXT NOT NULL,
    language TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    published BIGINT NOT NULL,
    updated BIGINT,
    deleted_at BIGINT
);
CREATE INDEX announcements_org ON announcements (org_id, id);

CREATE TABLE remote_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    content_html TEXT NOT NULL,
    summary TEXT,
    language TEXT,
    url TEXT,
    in_reply_to TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    published BIGINT NOT NULL,
    updated BIGINT,
    deleted_at BIGINT,
    received_at BIGINT NOT NULL
);
CREATE INDEX remote_notes_actor ON remote_notes (actor_id, published);

CREATE TABLE outgoing_activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    kind TEXT NOT NULL,
    object_ap_id TEXT,
    public BIGINT NOT NULL,
    json TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX outgoing_activities_actor ON outgoing_activities (actor_id, public, id);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id BIGINT NOT NULL REFERENCES outgoing_activities (id),
    inbox TEXT NOT NULL,
    host TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (activity_id, inbox)
);
CREATE INDEX deliveries_host_due ON deliveries (host, next_attempt_at, id);

CREATE TABLE delivery_hosts (
    host TEXT PRIMARY KEY,
    fail_count BIGINT NOT NULL DEFAULT 0,
    failing_since BIGINT,
    next_attempt_at BIGINT NOT NULL DEFAULT 0,
    last_success_at BIGINT,
    dead BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE received_activities (
    ap_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);

CREATE TABLE domain_blocks (
    host TEXT PRIMARY KEY,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
