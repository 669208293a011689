-- Prize and funding calls (issue 12). A call is run by an organization and has its own actor
-- (`/calls/{slug}`, followable). `kind` is prize or funding; `categories` and `jury` are JSON
-- lists of text; `amount` is the prize money or budget as written. Times are unix microseconds,
-- the dates of the timeline already resolved in the call's `timezone`.
-- A nomination names a project by its ActivityPub id (local or remote); `status` is pending,
-- confirmed, shortlisted or rejected; `option_name` is the poll option (unique in a call).
-- `voter` is `user:<id>` for a local account or the ActivityPub id of a remote one: one vote
-- per account and call. `call_results.kind` is jury, audience or funded.
-- The twin for the other database has the same file name.
CREATE TABLE calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description_md TEXT NOT NULL,
    description_html TEXT NOT NULL,
    criteria_md TEXT NOT NULL,
    criteria_html TEXT NOT NULL,
    rules_md TEXT NOT NULL,
    rules_html TEXT NOT NULL,
    categories TEXT NOT NULL,
    jury TEXT NOT NULL,
    amount TEXT NOT NULL,
    language TEXT NOT NULL,
    timezone TEXT NOT NULL,
    nominations_open BIGINT NOT NULL,
    nominations_close BIGINT NOT NULL,
    jury_until BIGINT NOT NULL,
    vote_open BIGINT NOT NULL,
    vote_close BIGINT NOT NULL,
    announce_at BIGINT NOT NULL,
    shortlist_published BIGINT,
    vote_closed BIGINT,
    results_published BIGINT,
    created BIGINT NOT NULL,
    updated BIGINT
);
CREATE INDEX calls_org ON calls (org_id);

CREATE TABLE call_nominations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id BIGINT NOT NULL REFERENCES calls (id),
    project_ap_id TEXT NOT NULL,
    project_name TEXT NOT NULL,
    project_url TEXT NOT NULL,
    project_inbox TEXT,
    local_project_id BIGINT,
    nominated_by_user BIGINT,
    nominated_by_actor BIGINT,
    applicant_org BIGINT,
    source_ap_id TEXT,
    statement TEXT NOT NULL,
    status TEXT NOT NULL,
    organizer_note TEXT NOT NULL,
    option_name TEXT NOT NULL,
    created BIGINT NOT NULL,
    UNIQUE (call_id, project_ap_id)
);

CREATE TABLE call_votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id BIGINT NOT NULL REFERENCES calls (id),
    nomination_id BIGINT NOT NULL REFERENCES call_nominations (id),
    voter TEXT NOT NULL,
    vote_ap_id TEXT,
    created BIGINT NOT NULL,
    UNIQUE (call_id, voter)
);
CREATE INDEX call_votes_nomination ON call_votes (nomination_id);

CREATE TABLE call_results (
    call_id BIGINT NOT NULL REFERENCES calls (id),
    nomination_id BIGINT NOT NULL REFERENCES call_nominations (id),
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (call_id, nomination_id, kind)
);
