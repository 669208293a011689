-- Regional federation (issue 10): sources feed the regional calendar and project directory.
-- A source is any remote actor the instance actor follows for the region (an organization, a
-- project, another instance's Application actor, a Mobilizon group, a Gancio instance) or a
-- relay. The follow itself is a `follows` row (follower = the instance actor), so its state
-- (pending, accepted) lives there. Portable types only; booleans 0/1 BIGINT; times unix
-- microseconds. The PostgreSQL twin has the same file name.

-- `kind`: actor or relay. `input` is what the admin entered (host, handle or URL). `filter` is
-- a JSON `ContentFilter` (domain/filters.rs): what of the source reaches the regional views.
-- Health: the last object received or backfilled, the last error ('' after a success).
CREATE TABLE sources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    input TEXT NOT NULL,
    filter TEXT NOT NULL DEFAULT '{}',
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    last_success_at BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    last_error_at BIGINT,
    received_count BIGINT NOT NULL DEFAULT 0,
    backfill_state TEXT NOT NULL DEFAULT 'pending',
    backfilled_at BIGINT,
    backfill_count BIGINT NOT NULL DEFAULT 0
);

-- The source an object reached us through (NULL: not through a source, e.g. a person's follow;
-- such objects stay out of the regional views).
ALTER TABLE events ADD COLUMN source_id BIGINT;
ALTER TABLE remote_projects ADD COLUMN source_id BIGINT;
ALTER TABLE remote_notes ADD COLUMN source_id BIGINT;
CREATE INDEX events_source ON events (source_id, series_end);
CREATE INDEX remote_projects_source ON remote_projects (source_id, id);
