-- Moderators' actions on single objects (issue 9): `hidden` = 1 keeps an object out of every
-- public page, feed and API here while it is kept (a moderator may unhide it). Removal of a
-- local object uses its `deleted_at`; remote objects a moderator removed are deleted here.
-- Comments already have their own `hidden` column. Actors' suspension and limits are in 0021.
-- Portable types only: booleans are 0/1 BIGINT. The twin in the other backend's folder has the
-- same file name.
ALTER TABLE announcements ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
ALTER TABLE remote_notes ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
ALTER TABLE remote_projects ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
CREATE INDEX actors_purge_at ON actors (purge_at);
