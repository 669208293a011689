-- Comments and reactions (issue 3 part 8).
-- Portable types only (TEXT, BIGINT); booleans are 0/1 BIGINT and times are unix microseconds.
-- The twin in the other backend's folder has the same file name.
-- No foreign key to actors: deleting a remote actor (Delete{Person}) removes its actor row, and
-- its comments and reactions then drop out of every listing, which joins on actors.

-- A reply from anyone to one of our objects. `target_ap_id` is the local object the thread
-- hangs under (an announcement, event or project); `parent_ap_id` is the object it replies to
-- (the target itself or another comment). Deleted comments keep their row (content blanked)
-- so a redelivered Create cannot bring them back (Mastodon OB-16).
CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL,
    owner_actor_id BIGINT NOT NULL,
    target_ap_id TEXT NOT NULL,
    parent_ap_id TEXT NOT NULL,
    url TEXT,
    content_html TEXT NOT NULL,
    summary TEXT,
    language TEXT,
    published BIGINT NOT NULL,
    updated BIGINT,
    hidden BIGINT NOT NULL DEFAULT 0,
    deleted_at BIGINT,
    received_at BIGINT NOT NULL
);
CREATE INDEX comments_target ON comments (target_ap_id, published);
CREATE INDEX comments_parent ON comments (parent_ap_id, published);
CREATE INDEX comments_owner ON comments (owner_actor_id, id);

-- Objects whose comments an editor closed.
CREATE TABLE comment_closures (
    object_ap_id TEXT PRIMARY KEY,
    closed_at BIGINT NOT NULL
);

-- Likes and boosts of our objects: one per actor, kind and object.
CREATE TABLE reactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    actor_id BIGINT NOT NULL,
    object_ap_id TEXT NOT NULL,
    activity_ap_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, actor_id, object_ap_id)
);
CREATE INDEX reactions_object ON reactions (object_ap_id, kind);
CREATE INDEX reactions_activity ON reactions (activity_ap_id);
