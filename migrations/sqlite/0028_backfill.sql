-- Backfill and freshness of sources (issue 10). Portable types only; times unix microseconds.
-- The PostgreSQL twin has the same file name.

-- A failed backfill is tried again after `backfill_retry_at`, the wait doubling with each of
-- `backfill_failures` (reset by a success).
ALTER TABLE sources ADD COLUMN backfill_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN backfill_retry_at BIGINT;

-- Remote projects are fetched again from their origin at `refresh_at` (NULL: as soon as the
-- refresher runs); each failure in a row doubles the wait (`refresh_failures`).
ALTER TABLE remote_projects ADD COLUMN refresh_at BIGINT;
ALTER TABLE remote_projects ADD COLUMN refresh_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE remote_projects ADD COLUMN refresh_error TEXT NOT NULL DEFAULT '';
CREATE INDEX remote_projects_refresh ON remote_projects (refresh_at);
