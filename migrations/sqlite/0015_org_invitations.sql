-- Invitations to organizations (issue 8): a link (and, with an address, an e-mail) that makes
-- the person who opens it while signed in a member with the given role, once. Only the SHA-256
-- of the token is stored. Times are unix microseconds; `used_at` set means used up.
-- Also the Markdown source of an org's summary (the actor keeps the rendered HTML) and the
-- org's logo and header image with their alt texts.
-- The twin in the other backend's folder has the same file name.
CREATE TABLE org_invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    email TEXT,
    invited_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by BIGINT REFERENCES users (id)
);
CREATE INDEX org_invitations_org ON org_invitations (org_id);

ALTER TABLE orgs ADD COLUMN summary_source TEXT NOT NULL DEFAULT '';

-- `kind` is logo or header; `url` the full-size image as federated.
CREATE TABLE org_images (
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    kind TEXT NOT NULL,
    media_id BIGINT NOT NULL,
    url TEXT NOT NULL,
    alt TEXT NOT NULL,
    PRIMARY KEY (org_id, kind)
);
