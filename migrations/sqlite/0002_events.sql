-- Events (issue 3): local events of organizations and remote events received by federation,
-- in one table so the regional calendar and the feeds read one place. Participants (RSVP).
-- Portable types only; booleans 0/1 BIGINT; times unix microseconds (UTC instants; the
-- event's IANA timezone is kept beside them). The PostgreSQL twin has the same file name.

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT UNIQUE,
    local BIGINT NOT NULL,
    org_id BIGINT REFERENCES orgs (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    uid TEXT,
    title TEXT NOT NULL,
    description_md TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    remote_summary TEXT,
    url TEXT,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    timezone TEXT NOT NULL,
    all_day BIGINT NOT NULL DEFAULT 0,
    place_name TEXT,
    street_address TEXT,
    postal_code TEXT,
    locality TEXT,
    region TEXT,
    country TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    online_url TEXT,
    co_organizers TEXT NOT NULL DEFAULT '[]',
    related_projects TEXT NOT NULL DEFAULT '[]',
    category TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    language TEXT NOT NULL,
    capacity BIGINT,
    join_mode TEXT NOT NULL,
    registration_url TEXT,
    status TEXT NOT NULL,
    previous_start BIGINT,
    banner_url TEXT,
    banner_alt TEXT,
    rrule TEXT,
    exdates TEXT NOT NULL DEFAULT '[]',
    series_end BIGINT NOT NULL,
    participant_count BIGINT NOT NULL DEFAULT 0,
    published BIGINT NOT NULL,
    updated BIGINT,
    deleted_at BIGINT
);
CREATE INDEX events_org ON events (org_id, series_end);
CREATE INDEX events_series_end ON events (series_end, starts_at);
CREATE UNIQUE INDEX events_org_uid ON events (org_id, uid);

CREATE TABLE event_participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    join_ap_id TEXT,
    join_json TEXT,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (event_id, actor_id)
);
CREATE INDEX event_participants_event ON event_participants (event_id, state);
