-- Maintainer links of local projects (issue 6 #1): a project's `maintainers` may name any
-- organization, but only a local organization whose editor made or confirmed the link
-- boosts the project's news. One row per local organization the project lists;
-- `confirmed` is 0/1. A listed organization without a confirmed row is only "claimed".
-- The PostgreSQL twin has the same file name.

CREATE TABLE project_maintainers (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    org_actor_id BIGINT NOT NULL REFERENCES actors (id),
    confirmed BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL,
    PRIMARY KEY (project_id, org_actor_id)
);
CREATE INDEX project_maintainers_org ON project_maintainers (org_actor_id);

-- The owning organization made every existing project: its link is confirmed. Other
-- organizations listed so far never confirmed anything and stay claimed.
INSERT INTO project_maintainers (project_id, org_actor_id, confirmed, updated)
SELECT p.id, o.actor_id, 1, p.updated FROM projects p JOIN orgs o ON o.id = p.org_id;
