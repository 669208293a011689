-- Collections (issue 10, Gancio's "collections"): named views over local and source content.
-- `filter` is a JSON `ContentFilter` (db/filters.rs) that db/calendar.rs turns into SQL.
-- The admin may make one the default view of the home page and calendar (instance setting
-- `default_collection`, its slug). Portable types only; times unix microseconds. The twin in
-- the other backend's folder has the same file name.
CREATE TABLE collections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    filter TEXT NOT NULL DEFAULT '{}',
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A radius filter reads a latitude band first (the bounding box), then the longitude and the
-- distance: events with coordinates, by latitude.
CREATE INDEX events_latitude ON events (latitude, longitude);

-- The calendar lists events that have not ended (`series_end >= now`) in start order: with the
-- end beside the start in one index, the events that are over are skipped in the index alone
-- (100,000 events from 20 sources: revier-bench's regional phase).
CREATE INDEX events_upcoming ON events (starts_at, id, series_end);
