-- The calendar lists events in start order (`ORDER BY starts_at LIMIT …`): an index on the
-- start lets it read the first page without sorting every upcoming event.
-- The twin in the other backend's folder has the same file name.
CREATE INDEX events_starts_at ON events (starts_at);
