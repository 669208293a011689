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

-- No index on the coordinates: with one, PostgreSQL's generic plan for a radius filter scanned
-- the latitude band and sorted it (70 ms over 100,000 events); reading upcoming events in start
-- order and testing the box and the distance on each stops after a page (under 1 ms).

-- The calendar lists events that have not ended (`series_end >= now`) in start order: with the
-- end beside the start in one index, the events that are over are skipped in the index alone
-- (100,000 events from 20 sources: revier-bench's regional phase). It starts with the start, so
-- it serves every read `events_starts_at` (0020) served; that one is dropped, or both planners
-- keep choosing it and read every past event's row.
CREATE INDEX events_upcoming ON events (starts_at, id, series_end);
DROP INDEX events_starts_at;
