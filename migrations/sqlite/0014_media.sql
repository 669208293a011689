-- Uploaded images (issue 8, media) and what announcements do with them; announcements
-- scheduled for later. Portable types only; times are unix microseconds.
-- The twin in the other backend's folder has the same file name.

-- An image as stored: the files are `{key}.{ext}` (full) and `{key}-thumb.{ext}` in the
-- media store; the owner is the actor (person or organization) it was uploaded for.
CREATE TABLE media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_actor_id BIGINT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    extension TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    alt TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX media_owner ON media (owner_actor_id, id);

-- The images of an announcement, in order (at most four).
CREATE TABLE announcement_media (
    announcement_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    media_id BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, position)
);

-- An announcement to publish at `publish_at` (written as wall time in `zone`); it becomes a
-- real announcement (and is federated) when due, and this row goes away. `media_ids` is a
-- JSON array of media ids.
CREATE TABLE scheduled_announcements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL,
    author_user_id BIGINT NOT NULL,
    content_md TEXT NOT NULL,
    language TEXT NOT NULL,
    media_ids TEXT NOT NULL DEFAULT '[]',
    publish_at BIGINT NOT NULL,
    zone TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX scheduled_announcements_due ON scheduled_announcements (publish_at);
CREATE INDEX scheduled_announcements_org ON scheduled_announcements (org_id, publish_at);
