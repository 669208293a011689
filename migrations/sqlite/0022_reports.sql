-- Reports (issue 9): from the report form, the API and other servers' Flag activities.
-- Portable types only (TEXT, BIGINT); times are unix microseconds.
-- The twin in the other backend's folder has the same file name.
--
-- Who reported: a local person (reporter_user_id), a remote actor (reporter_actor_id, usually
-- another server's instance actor; pages show only its host, origin_host), or nobody known
-- (an anonymous visitor: both NULL; no address is kept).
-- What: the reported account (target_actor_ap_id, on target_host) and a snapshot of each
-- reported object as it was when reported (JSON array in objects: type, url, name, sanitized
-- content, published), so the moderators see what was reported even after an edit.
-- status: open, resolved or rejected; category: spam, legal, violation or other.
-- flag_ap_id is the Flag's id for a report from another server: one report per Flag and
-- reported account.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    reporter_user_id BIGINT,
    reporter_actor_id BIGINT,
    origin_host TEXT NOT NULL DEFAULT '',
    flag_ap_id TEXT,
    target_actor_ap_id TEXT NOT NULL,
    target_host TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT 'other',
    objects TEXT NOT NULL DEFAULT '[]',
    resolved_by BIGINT,
    resolved_at BIGINT,
    resolution_note TEXT NOT NULL DEFAULT '',
    forwarded_at BIGINT
);
CREATE UNIQUE INDEX reports_flag ON reports (flag_ap_id, target_actor_ap_id);
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_target ON reports (target_actor_ap_id, id);
CREATE INDEX reports_target_host ON reports (target_host, id);
