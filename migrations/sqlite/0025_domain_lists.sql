-- Domain list subscriptions (issue 9): another instance's published block list or allowlist,
-- fetched by URL on a schedule and applied as domain policies (`domain_blocks`) or allowlist
-- rows (`domain_allows`) whose `subscription_id` names the subscription.
-- Portable types only (TEXT, BIGINT); booleans are 0/1 BIGINT and times are unix microseconds.

-- One subscription. `kind` is block or allow; `format` auto, signed, csv or plain;
-- `accept_unsigned` lets a CSV or plain-text list apply (a signed list must always verify).
-- `publisher` is the instance actor that signed the last verified list ('' for none).
-- Health: the last fetch, the last success, the last error ('' after a success), the number
-- of entries the last good list had and of lines skipped as unusable.
CREATE TABLE domain_list_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    accept_unsigned BIGINT NOT NULL DEFAULT 0,
    refresh_secs BIGINT NOT NULL,
    publisher TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    last_fetch_at BIGINT,
    last_success_at BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    entry_count BIGINT NOT NULL DEFAULT 0,
    skipped_count BIGINT NOT NULL DEFAULT 0
);

-- The entries of the last good copy of each list, whether applied or not (an override or an
-- admin's own policy may keep one from applying).
CREATE TABLE domain_list_entries (
    subscription_id BIGINT NOT NULL,
    host TEXT NOT NULL,
    severity TEXT NOT NULL,
    reject_media BIGINT NOT NULL DEFAULT 0,
    reject_reports BIGINT NOT NULL DEFAULT 0,
    public_comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (subscription_id, host)
);
CREATE INDEX domain_list_entries_host ON domain_list_entries (host);

-- An admin's decision about one entry of one list: `ignore` (never applied) or `keep` (stays
-- applied when the list drops it).
CREATE TABLE domain_list_overrides (
    subscription_id BIGINT NOT NULL,
    host TEXT NOT NULL,
    mode TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, host)
);
