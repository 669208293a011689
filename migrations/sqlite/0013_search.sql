-- Full-text search (issue 8). `search_documents` holds one row per searchable thing, local or
-- remote, refreshed from the source tables by comparing `stamp` (the source row's update and
-- deletion times); `live` = 0 keeps a deleted source's row as a tombstone so that it is not
-- indexed again. The text is matched in `search_fts`: FTS5 over text stemmed in Rust
-- (German and/or English, by the item's language), rowid = search_documents.id.
CREATE TABLE search_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    stamp BIGINT NOT NULL,
    live BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    language TEXT,
    zone TEXT,
    at BIGINT NOT NULL,
    link TEXT NOT NULL,
    ap_id TEXT,
    UNIQUE (source, source_id)
);
CREATE INDEX search_documents_kind ON search_documents (kind, live);
CREATE INDEX search_documents_link ON search_documents (link);
CREATE INDEX search_documents_ap_id ON search_documents (ap_id);

-- What each source looked like at its last complete pass (count, newest stamp, checksum):
-- a search compares it first and skips unchanged sources.
CREATE TABLE search_sources (
    source TEXT PRIMARY KEY,
    signature TEXT NOT NULL
);

CREATE VIRTUAL TABLE search_fts USING fts5(
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The fingerprint of each source reads only these columns: covering indexes keep it from
-- reading the (large) rows themselves on every search.
CREATE INDEX search_stamp_actors ON actors (local, kind, updated);
CREATE INDEX search_stamp_projects ON projects (updated, deleted_at);
CREATE INDEX search_stamp_remote_projects ON remote_projects (received_at);
CREATE INDEX search_stamp_events ON events (updated, published, deleted_at);
CREATE INDEX search_stamp_announcements ON announcements (updated, published, deleted_at);
CREATE INDEX search_stamp_remote_notes ON remote_notes (visibility, updated, published, deleted_at);
