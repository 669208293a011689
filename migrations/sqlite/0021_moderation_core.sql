-- Moderation (issue 9), the part every moderation feature shares: the moderation log and the
-- moderation state of actors. Reports, domain policies, list subscriptions and reply policies
-- have their own migrations (0022 to 0026).
-- Portable types only (TEXT, BIGINT); booleans are 0/1 BIGINT and times are unix microseconds.
-- The twin in the other backend's folder has the same file name.

-- Every moderation action: who (NULL: the instance itself, e.g. a list refresh or a purge),
-- when, what, on what, why. `reason` is for the moderators; `public_reason` may be shown on
-- the public log, which shows no person: only the action, the kind of target, its host and
-- the public reason.
CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    moderator_user_id BIGINT,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    target_host TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    public_reason TEXT NOT NULL DEFAULT '',
    report_id BIGINT
);
CREATE INDEX moderation_log_target ON moderation_log (target);
CREATE INDEX moderation_log_host ON moderation_log (target_host, id);

-- A moderator's decisions about one actor, local or remote: suspended (nothing of it is shown
-- or accepted; a local one's data is purged at `purge_at`) or limited (absent from public and
-- regional views, still delivered to its followers). `domain_limited` mirrors a `limit` policy
-- on the actor's domain, kept by the domain policies, so every listing filters with one column.
ALTER TABLE actors ADD COLUMN suspended_at BIGINT;
ALTER TABLE actors ADD COLUMN purge_at BIGINT;
ALTER TABLE actors ADD COLUMN limited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE actors ADD COLUMN domain_limited BIGINT NOT NULL DEFAULT 0;

-- Domain policies (Mastodon's domain blocks): `severity` is suspend (nothing in or out; the
-- only severity the inbox and the queue refuse), limit (absent from public and regional views,
-- followers still receive) or none (only the media or report options below). `reason` is the
-- private note; `public_reason` is shown on the public list of moderated servers; `obfuscate`
-- shows the host there partly hidden. `subscription_id` names the subscribed list an entry came
-- from (NULL: set by an admin here, which a list never overwrites).
ALTER TABLE domain_blocks ADD COLUMN severity TEXT NOT NULL DEFAULT 'suspend';
ALTER TABLE domain_blocks ADD COLUMN reject_media BIGINT NOT NULL DEFAULT 0;
ALTER TABLE domain_blocks ADD COLUMN reject_reports BIGINT NOT NULL DEFAULT 0;
ALTER TABLE domain_blocks ADD COLUMN public_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE domain_blocks ADD COLUMN obfuscate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE domain_blocks ADD COLUMN subscription_id BIGINT;
ALTER TABLE domain_blocks ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- The allowlist (used when the instance federates only with listed domains).
CREATE TABLE domain_allows (
    host TEXT PRIMARY KEY,
    subscription_id BIGINT,
    created_at BIGINT NOT NULL
);
