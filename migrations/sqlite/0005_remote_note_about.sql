-- What a received note is about: its `context` when that names an event or a project
-- (an announcement's `about`, a project's news post). The AP id, as TEXT.
-- The twin in the other backend's folder has the same file name.
ALTER TABLE remote_notes ADD COLUMN about TEXT;
