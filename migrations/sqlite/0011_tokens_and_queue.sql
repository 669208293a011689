-- API tokens may expire and remember (roughly) when they were last used; the listing shows
-- both, never the token. Events whose participant count changed wait for one coalesced
-- `Update{Event}` (a Join/Leave storm must not send one Update per RSVP): the time it is due,
-- NULL when nothing waits. Times are unix microseconds.
-- The twin in the other backend's folder has the same file name.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE events ADD COLUMN count_update_due_at BIGINT;
CREATE INDEX events_count_update_due ON events (count_update_due_at);
