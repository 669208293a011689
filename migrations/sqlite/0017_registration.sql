-- Registration and account recovery (issue 8): invitations to the instance, requests waiting
-- for an admin's approval, and password-reset tokens. Tokens are stored as their SHA-256,
-- never the value. Times are unix microseconds.
-- The twin in the other backend's folder has the same file name.
CREATE TABLE instance_invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    max_uses BIGINT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0
);

-- A person who registered while the instance approves registrations: the account exists,
-- disabled, until an admin approves (the row goes) or rejects it (status 'rejected').
-- `lang` is the language the person registered in, for the answer by e-mail.
CREATE TABLE registration_requests (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    reason TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- A password-reset link: single use (used_at), expiring.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
