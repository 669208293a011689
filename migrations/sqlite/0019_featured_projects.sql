-- Featured projects (issue 8): an admin marks projects the home page shows first. 0/1 BIGINT.
-- The twin in the other backend's folder has the same file name.
ALTER TABLE projects ADD COLUMN featured BIGINT NOT NULL DEFAULT 0;
CREATE INDEX projects_featured ON projects (featured, updated);
