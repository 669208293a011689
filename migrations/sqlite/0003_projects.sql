-- Projects (issue 3): local projects (each with its own followable actor), their releases,
-- the news posts they federate, copies of remote projects, and the `about` link of
-- announcements. Portable types only; booleans 0/1 BIGINT, times unix microseconds. Lists are
-- JSON arrays in TEXT. The PostgreSQL twin has the same file name.

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    description_md TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    repository TEXT,
    website TEXT,
    license TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    development_status TEXT,
    maintenance_type TEXT,
    software_type TEXT,
    platforms TEXT NOT NULL DEFAULT '[]',
    maintainers TEXT NOT NULL DEFAULT '[]',
    funders TEXT NOT NULL DEFAULT '[]',
    users TEXT NOT NULL DEFAULT '[]',
    awards TEXT NOT NULL DEFAULT '[]',
    logo TEXT,
    source_url TEXT,
    source_yaml TEXT,
    published BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX projects_org ON projects (org_id, id);
CREATE INDEX projects_source_url ON projects (org_id, source_url);

CREATE TABLE project_releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    version TEXT NOT NULL,
    release_date TEXT,
    notes TEXT NOT NULL DEFAULT '',
    published BIGINT NOT NULL,
    UNIQUE (project_id, version)
);

CREATE TABLE project_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    content_html TEXT NOT NULL,
    language TEXT NOT NULL,
    published BIGINT NOT NULL
);
CREATE INDEX project_posts_project ON project_posts (project_id, id);

CREATE TABLE remote_projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    updated BIGINT NOT NULL,
    received_at BIGINT NOT NULL
);

ALTER TABLE announcements ADD COLUMN about TEXT;
