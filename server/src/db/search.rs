//! Full-text search: SQLite FTS5 and PostgreSQL text search behind one function each.
//!
//! `search_documents` mirrors the searchable rows of seven source tables (local and remote
//! organizations, projects, events, announcements/notes). It is kept current by comparing each
//! source row's `stamp` (update time plus deletion time) with the stored one, so no other
//! module has to call us when it writes. Visibility is decided again at query time by joining
//! back to the source (deleted, undiscoverable or scheduled rows never show, even when the
//! index is behind). SQLite matches text stemmed by the caller in the FTS5 table `search_fts`;
//! PostgreSQL builds `tsv` with the 'german'/'english' configurations.

use sqlx::FromRow;

use super::{decode_flag, decode_name, Backend, Conn};

stored_names! {
    /// Which table a search document mirrors.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Source {
        Org = "org",
        RemoteActor = "remote_actor",
        Project = "project",
        RemoteProject = "remote_project",
        Event = "event",
        Announcement = "announcement",
        RemoteNote = "remote_note",
    }
}

stored_names! {
    /// What a search result is, as people filter by it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Kind {
        Organization = "organization",
        Project = "project",
        Event = "event",
        Announcement = "announcement",
    }
}

/// The SQL of one source: its tables (the main one aliased `s`), which rows count, and
/// expressions for the columns of a [`SourceRow`].
struct SourceSql {
    /// The main table alone (aliased `s`), for the fingerprint: `scope` and `stamp` use only it.
    table: &'static str,
    from: &'static str,
    scope: &'static str,
    stamp: &'static str,
    live: &'static str,
    /// title, body (HTML or text), extra (plain words: tags, place), author, language, time
    /// zone, time, link, ActivityPub id (remote rows only).
    columns: &'static str,
}

impl Source {
    pub fn kind(self) -> Kind {
        match self {
            Source::Org | Source::RemoteActor => Kind::Organization,
            Source::Project | Source::RemoteProject => Kind::Project,
            Source::Event => Kind::Event,
            Source::Announcement | Source::RemoteNote => Kind::Announcement,
        }
    }

    fn sql(self) -> SourceSql {
        match self {
            Source::Org => SourceSql {
                table: "orgs s JOIN actors a ON a.id = s.actor_id",
                from: "orgs s JOIN actors a ON a.id = s.actor_id",
                scope: "1 = 1",
                stamp: "a.updated",
                live: "1",
                columns: "CASE WHEN a.name = '' THEN s.slug ELSE a.name END, a.summary, '', \
                    '@' || a.username || '@' || a.host, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
                    a.published, '/orgs/' || s.slug, CAST(NULL AS TEXT)",
            },
            Source::RemoteActor => SourceSql {
                table: "actors s",
                from: "actors s",
                scope: "s.local = 0 AND s.kind IN ('Group', 'Organization')",
                stamp: "s.updated",
                live: "s.discoverable",
                columns: "CASE WHEN s.name = '' THEN s.username ELSE s.name END, s.summary, '', \
                    '@' || s.username || '@' || s.host, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
                    s.published, CASE WHEN s.url = '' THEN s.ap_id ELSE s.url END, s.ap_id",
            },
            Source::Project => SourceSql {
                table: "projects s",
                from: "projects s JOIN orgs o ON o.id = s.org_id JOIN actors a ON a.id = o.actor_id",
                scope: "1 = 1",
                stamp: "s.updated + COALESCE(s.deleted_at, 0)",
                live: "CASE WHEN s.deleted_at IS NULL THEN 1 ELSE 0 END",
                columns: "s.name, s.summary || ' ' || s.description_html, s.topics || ' ' || s.languages, \
                    a.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), s.published, '/projects/' || s.slug, \
                    CAST(NULL AS TEXT)",
            },
            Source::RemoteProject => SourceSql {
                table: "remote_projects s",
                from: "remote_projects s JOIN actors a ON a.id = s.actor_id",
                scope: "1 = 1",
                stamp: "s.received_at",
                live: "1",
                // The body is the stored object (JSON); the domain takes its texts.
                columns: "s.name, s.data, '', a.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
                    s.updated, s.ap_id, s.ap_id",
            },
            Source::Event => SourceSql {
                table: "events s",
                from: "events s JOIN actors a ON a.id = s.actor_id",
                scope: "1 = 1",
                stamp: "COALESCE(s.updated, s.published) + COALESCE(s.deleted_at, 0)",
                live: "CASE WHEN s.deleted_at IS NULL THEN 1 ELSE 0 END",
                columns: "s.title, CASE WHEN s.description_html = '' THEN COALESCE(s.remote_summary, '') \
                    ELSE s.description_html END, COALESCE(s.place_name, '') || ' ' || \
                    COALESCE(s.locality, '') || ' ' || COALESCE(s.category, '') || ' ' || s.tags, \
                    CASE WHEN a.name = '' THEN a.username ELSE a.name END, s.language, s.timezone, \
                    s.starts_at, CASE WHEN s.local = 1 THEN '/events/' || CAST(s.id AS TEXT) \
                    ELSE COALESCE(s.url, s.ap_id, '') END, \
                    CASE WHEN s.local = 1 THEN CAST(NULL AS TEXT) ELSE s.ap_id END",
            },
            Source::Announcement => SourceSql {
                table: "announcements s",
                from: "announcements s JOIN orgs o ON o.id = s.org_id JOIN actors a ON a.id = o.actor_id",
                scope: "1 = 1",
                stamp: "COALESCE(s.updated, s.published) + COALESCE(s.deleted_at, 0)",
                live: "CASE WHEN s.deleted_at IS NULL THEN 1 ELSE 0 END",
                columns: "'', s.content_html, s.tags, CASE WHEN a.name = '' THEN a.username ELSE a.name END, \
                    s.language, CAST(NULL AS TEXT), s.published, \
                    '/announcements/' || CAST(s.id AS TEXT), CAST(NULL AS TEXT)",
            },
            Source::RemoteNote => SourceSql {
                table: "remote_notes s",
                from: "remote_notes s JOIN actors a ON a.id = s.actor_id",
                // Only public posts: unlisted ones stay out of listings (Mastodon's rule).
                scope: "s.visibility = 'public'",
                stamp: "COALESCE(s.updated, s.published) + COALESCE(s.deleted_at, 0)",
                live: "CASE WHEN s.deleted_at IS NULL THEN 1 ELSE 0 END",
                columns: "'', s.content_html, COALESCE(s.summary, '') || ' ' || s.tags, \
                    CASE WHEN a.name = '' THEN a.username ELSE a.name END, s.language, \
                    CAST(NULL AS TEXT), s.published, COALESCE(s.url, s.ap_id), s.ap_id",
            },
        }
    }
}

/// Whether the document `d` (an alias) may be shown now (`now` is a placeholder): the join
/// back to the sources that makes an index that is behind harmless.
fn visible_clause(d: &str, now: &str) -> String {
    // Suspended and limited actors (and limited domains) are left out of search, and so is what
    // a moderator hid (`hidden` = 1): a public view.
    let hidden = super::domain_policies::HIDDEN_ACTOR_IDS;
    format!(
        "CASE {d}.source \
         WHEN 'org' THEN EXISTS (SELECT 1 FROM orgs x WHERE x.id = {d}.source_id \
             AND x.actor_id NOT IN {hidden}) \
         WHEN 'remote_actor' THEN EXISTS (SELECT 1 FROM actors x WHERE x.id = {d}.source_id \
             AND x.local = 0 AND x.discoverable = 1 AND x.id NOT IN {hidden}) \
         WHEN 'project' THEN EXISTS (SELECT 1 FROM projects x WHERE x.id = {d}.source_id \
             AND x.deleted_at IS NULL AND x.hidden = 0 AND NOT EXISTS (SELECT 1 FROM orgs o \
             WHERE o.id = x.org_id AND o.actor_id IN {hidden})) \
         WHEN 'remote_project' THEN EXISTS (SELECT 1 FROM remote_projects x WHERE x.id = {d}.source_id \
             AND x.hidden = 0 AND x.actor_id NOT IN {hidden}) \
         WHEN 'event' THEN EXISTS (SELECT 1 FROM events x WHERE x.id = {d}.source_id \
             AND x.deleted_at IS NULL AND x.hidden = 0 AND x.actor_id NOT IN {hidden}) \
         WHEN 'announcement' THEN EXISTS (SELECT 1 FROM announcements x WHERE x.id = {d}.source_id \
             AND x.deleted_at IS NULL AND x.hidden = 0 AND x.published <= {now} AND NOT EXISTS (SELECT 1 FROM orgs o \
             WHERE o.id = x.org_id AND o.actor_id IN {hidden})) \
         WHEN 'remote_note' THEN EXISTS (SELECT 1 FROM remote_notes x WHERE x.id = {d}.source_id \
             AND x.deleted_at IS NULL AND x.hidden = 0 AND x.visibility = 'public' AND x.actor_id NOT IN {hidden}) \
         ELSE 1 = 0 END"
    )
}

/// A source row that is new or changed since it was indexed.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub source_id: i64,
    pub stamp: i64,
    pub live: bool,
    pub title: String,
    /// HTML or text (the remote project's stored JSON object for `RemoteProject`).
    pub body: String,
    /// Plain words searched but not shown as such: tags, topics, place.
    pub extra: String,
    pub author: String,
    pub language: Option<String>,
    pub zone: Option<String>,
    pub at: i64,
    pub link: String,
    pub ap_id: Option<String>,
}

#[derive(FromRow)]
struct SourceRecord {
    source_id: i64,
    stamp: i64,
    live: i64,
    title: String,
    body: String,
    extra: String,
    author: String,
    language: Option<String>,
    zone: Option<String>,
    at: i64,
    link: String,
    ap_id: Option<String>,
}

/// A source's fingerprint: row count, newest stamp and a checksum of all stamps. Equal to the
/// saved one means nothing was added, changed, deleted or removed since the last full pass.
pub async fn source_signature(conn: &mut Conn, source: Source) -> Result<String, sqlx::Error> {
    let sql = source.sql();
    let q = format!(
        "SELECT COUNT(*), COALESCE(MAX({stamp}), 0), \
         CAST(COALESCE(SUM(({stamp}) % 1000003), 0) AS BIGINT) FROM {table} WHERE {scope}",
        stamp = sql.stamp,
        table = sql.table,
        scope = sql.scope
    );
    let (n, newest, sum): (i64, i64, i64) = sqlx::query_as(&q).fetch_one(conn).await?;
    Ok(format!("{n}:{newest}:{sum}"))
}

/// The fingerprint saved after the last full pass over `source`.
pub async fn saved_signature(
    conn: &mut Conn,
    source: Source,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT signature FROM search_sources WHERE source = $1")
        .bind(source.as_str())
        .fetch_optional(conn)
        .await
}

pub async fn save_signature(
    conn: &mut Conn,
    source: Source,
    signature: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO search_sources (source, signature) VALUES ($1, $2) \
         ON CONFLICT (source) DO UPDATE SET signature = excluded.signature",
    )
    .bind(source.as_str())
    .bind(signature)
    .execute(conn)
    .await?;
    Ok(())
}

/// Up to `limit` rows of `source` that have no document yet or whose stamp changed.
pub async fn changed_rows(
    conn: &mut Conn,
    source: Source,
    limit: i64,
) -> Result<Vec<SourceRow>, sqlx::Error> {
    let sql = source.sql();
    let q = format!(
        "SELECT s.id AS source_id, {stamp} AS stamp, CAST({live} AS BIGINT) AS live, {columns} \
         FROM {from} LEFT JOIN search_documents d ON d.source = $1 AND d.source_id = s.id \
         WHERE ({scope}) AND (d.id IS NULL OR d.stamp <> {stamp}) ORDER BY s.id LIMIT $2",
        stamp = sql.stamp,
        live = sql.live,
        columns = name_columns(sql.columns, &ROW_COLUMNS),
        from = sql.from,
        scope = sql.scope
    );
    let records: Vec<SourceRecord> = sqlx::query_as(&q)
        .bind(source.as_str())
        .bind(limit)
        .fetch_all(conn)
        .await?;
    records
        .into_iter()
        .map(|r| {
            Ok(SourceRow {
                source_id: r.source_id,
                stamp: r.stamp,
                live: decode_flag("live", r.live)?,
                title: r.title,
                body: r.body,
                extra: r.extra,
                author: r.author,
                language: r.language,
                zone: r.zone,
                at: r.at,
                link: r.link,
                ap_id: r.ap_id,
            })
        })
        .collect()
}

/// The names of a source's `columns`, in order.
const ROW_COLUMNS: [&str; 9] = [
    "title", "body", "extra", "author", "language", "zone", "at", "link", "ap_id",
];

/// `a, b, c` as `a AS n1, b AS n2, c AS n3`.
fn name_columns(columns: &str, names: &[&str]) -> String {
    split_columns(columns)
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{p} AS {}", names.get(i).copied().unwrap_or("extra_column")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A column list split at its top-level commas (not those in parentheses or quotes).
fn split_columns(columns: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let mut quoted = false;
    for (i, ch) in columns.char_indices() {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(columns[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(columns[start..].trim());
    parts
}

/// The stemming a document's text gets: its language's, or both when unknown or another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stemming {
    German,
    English,
    Both,
}

/// A document ready to store: display texts, and the same texts stemmed for SQLite's FTS5
/// table (PostgreSQL stems itself and ignores them).
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub source: Source,
    pub source_id: i64,
    pub stamp: i64,
    pub live: bool,
    pub title: String,
    pub body: String,
    pub author: String,
    /// The item's language tag as given (shown as `lang` on the result).
    pub language: Option<String>,
    /// Which stemming the text gets (PostgreSQL configurations 'german'/'english').
    pub stemming: Stemming,
    pub zone: Option<String>,
    pub at: i64,
    pub link: String,
    /// The remote object's id, when it differs from no link of ours.
    pub ap_id: Option<String>,
    pub stemmed_title: String,
    pub stemmed_body: String,
}

const UPSERT: &str = "INSERT INTO search_documents \
    (source, source_id, kind, stamp, live, title, body, author, language, zone, at, link, ap_id{tsv_col}) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13{tsv_val}) \
    ON CONFLICT (source, source_id) DO UPDATE SET kind = excluded.kind, stamp = excluded.stamp, \
    live = excluded.live, title = excluded.title, body = excluded.body, author = excluded.author, \
    language = excluded.language, zone = excluded.zone, at = excluded.at, link = excluded.link, \
    ap_id = excluded.ap_id{tsv_set} \
    RETURNING id";

/// The tsvector of a document on PostgreSQL: title (weight A) and body (B), in the
/// configuration(s) `$14` and `$15` ('german'/'english'; both when the language is unknown).
const PG_TSV: &str = "setweight(to_tsvector(CAST($14 AS regconfig), $6), 'A') \
    || setweight(to_tsvector(CAST($14 AS regconfig), $7), 'B') \
    || setweight(to_tsvector(CAST($15 AS regconfig), $6), 'A') \
    || setweight(to_tsvector(CAST($15 AS regconfig), $7), 'B')";

/// Stores (or replaces) a document and its text index entry. Run it in a transaction.
pub async fn store_document(
    conn: &mut Conn,
    backend: Backend,
    doc: &NewDocument,
) -> Result<(), sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => UPSERT
            .replace("{tsv_col}", "")
            .replace("{tsv_val}", "")
            .replace("{tsv_set}", ""),
        Backend::Postgres => UPSERT
            .replace("{tsv_col}", ", tsv")
            .replace("{tsv_val}", &format!(", {PG_TSV}"))
            .replace("{tsv_set}", ", tsv = excluded.tsv"),
    };
    let mut q = sqlx::query_scalar::<_, i64>(&sql)
        .bind(doc.source.as_str())
        .bind(doc.source_id)
        .bind(doc.source.kind().as_str())
        .bind(doc.stamp)
        .bind(i64::from(doc.live))
        .bind(&doc.title)
        .bind(&doc.body)
        .bind(&doc.author)
        .bind(doc.language.as_deref())
        .bind(doc.zone.as_deref())
        .bind(doc.at)
        .bind(&doc.link)
        .bind(doc.ap_id.as_deref());
    if backend == Backend::Postgres {
        let (first, second) = match doc.stemming {
            Stemming::German => ("german", "german"),
            Stemming::English => ("english", "english"),
            Stemming::Both => ("german", "english"),
        };
        q = q.bind(first).bind(second);
    }
    let id = q.fetch_one(&mut *conn).await?;
    if backend == Backend::Sqlite {
        sqlx::query("DELETE FROM search_fts WHERE rowid = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        if doc.live {
            sqlx::query("INSERT INTO search_fts (rowid, title, body) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(&doc.stemmed_title)
                .bind(&doc.stemmed_body)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Drops the documents of `source` whose row no longer exists (a purged remote actor takes
/// its notes, events and projects along).
pub async fn forget_vanished(
    conn: &mut Conn,
    backend: Backend,
    source: Source,
) -> Result<(), sqlx::Error> {
    let sql = source.sql();
    let table = sql.table.split_whitespace().next().unwrap_or("actors");
    let q = format!(
        "DELETE FROM search_documents WHERE source = $1 \
         AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.id = search_documents.source_id)"
    );
    sqlx::query(&q)
        .bind(source.as_str())
        .execute(&mut *conn)
        .await?;
    if backend == Backend::Sqlite {
        sqlx::query("DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_documents)")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What to look for. `fts` is the FTS5 expression of stemmed terms (SQLite); `text` the
/// query as typed (PostgreSQL parses it with `websearch_to_tsquery`).
#[derive(Debug, Clone)]
pub struct TextQuery<'a> {
    pub fts: &'a str,
    pub text: &'a str,
    pub kind: Option<Kind>,
    pub now: i64,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub author: String,
    pub language: Option<String>,
    pub zone: Option<String>,
    pub at: i64,
    pub link: String,
}

#[derive(FromRow)]
struct HitRecord {
    kind: String,
    title: String,
    body: String,
    author: String,
    language: Option<String>,
    zone: Option<String>,
    at: i64,
    link: String,
}

impl TryFrom<HitRecord> for Hit {
    type Error = sqlx::Error;

    fn try_from(r: HitRecord) -> Result<Self, Self::Error> {
        Ok(Hit {
            kind: decode_name("search_documents.kind", &r.kind)?,
            title: r.title,
            body: r.body,
            author: r.author,
            language: r.language,
            zone: r.zone,
            at: r.at,
            link: r.link,
        })
    }
}

/// FROM and WHERE of a text query on `backend`: `$1` the query, `$2` the kind ('' for all),
/// `$3` now.
/// The index is refreshed before each search, so `live` decides; the join back to the sources
/// (`visible_clause`) is left to the few rows shown, where it costs little. Announcements
/// scheduled for later wait for their time.
fn matching(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid \
             WHERE search_fts MATCH $1 AND d.live = 1 AND ($2 = '' OR d.kind = $2) \
             AND (d.kind <> 'announcement' OR d.at <= $3)"
        }
        Backend::Postgres => {
            "FROM search_documents d \
             WHERE d.tsv @@ (websearch_to_tsquery('german', $1) || websearch_to_tsquery('english', $1)) \
             AND d.live = 1 AND ($2 = '' OR d.kind = $2) AND (d.kind <> 'announcement' OR d.at <= $3)"
        }
    }
}

/// How many of the newest matches PostgreSQL ranks (`search_documents`).
const RANKED_CANDIDATES: i64 = 2000;

/// The best matches, best first (title matches weigh more), `limit` from `offset`.
pub async fn search_documents(
    conn: &mut Conn,
    backend: Backend,
    q: &TextQuery<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Hit>, sqlx::Error> {
    let sql = match backend {
        // bm25 is lower for better matches.
        Backend::Sqlite => format!(
            "SELECT t.kind, t.title, t.body, t.author, t.language, t.zone, t.at, t.link FROM \
             (SELECT d.id, d.source, d.source_id, d.kind, d.title, d.body, d.author, d.language, \
             d.zone, d.at, d.link, bm25(search_fts, 4.0, 1.0) AS score {matching} \
             ORDER BY score ASC, d.at DESC, d.id LIMIT $4 OFFSET $5) AS t \
             WHERE {visible} ORDER BY t.score ASC, t.at DESC, t.id",
            matching = matching(backend),
            visible = visible_clause("t", "$3"),
        ),
        // ts_rank reads each match's whole tsvector: a word found in tens of thousands of
        // documents would rank them all. Only the newest `RANKED_CANDIDATES` matches are
        // ranked (more than the pages a search shows), found by the GIN index and the time.
        Backend::Postgres => format!(
            "SELECT t.kind, t.title, t.body, t.author, t.language, t.zone, t.at, t.link FROM \
             (SELECT c.*, ts_rank(c.tsv, websearch_to_tsquery('german', $1) || \
             websearch_to_tsquery('english', $1)) AS score FROM \
             (SELECT d.id, d.source, d.source_id, d.kind, d.title, d.body, d.author, d.language, \
             d.zone, d.at, d.link, d.tsv {matching} ORDER BY d.at DESC, d.id \
             LIMIT {RANKED_CANDIDATES}) AS c \
             ORDER BY score DESC, c.at DESC, c.id LIMIT $4 OFFSET $5) AS t \
             WHERE {visible} ORDER BY t.score DESC, t.at DESC, t.id",
            matching = matching(backend),
            visible = visible_clause("t", "$3"),
        ),
    };
    let records: Vec<HitRecord> = sqlx::query_as(&sql)
        .bind(query_text(backend, q))
        .bind(q.kind.map_or("", Kind::as_str))
        .bind(q.now)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    records.into_iter().map(Hit::try_from).collect()
}

fn query_text<'a>(backend: Backend, q: &TextQuery<'a>) -> &'a str {
    match backend {
        Backend::Sqlite => q.fts,
        Backend::Postgres => q.text,
    }
}

/// How many documents match, by kind (the query's kind filter is ignored: the counts label
/// the filter's choices).
pub async fn count_hits(
    conn: &mut Conn,
    backend: Backend,
    q: &TextQuery<'_>,
) -> Result<Vec<(Kind, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT d.kind, COUNT(*) {} GROUP BY d.kind",
        matching(backend)
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(query_text(backend, q))
        .bind("")
        .bind(q.now)
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|(k, n)| Ok((decode_name("search_documents.kind", &k)?, n)))
        .collect()
}

/// The live, visible document whose link is `link` (a local path or a remote URL) or whose
/// remote id it is.
pub async fn find_document_by_link(
    conn: &mut Conn,
    link: &str,
    now: i64,
) -> Result<Option<Hit>, sqlx::Error> {
    let sql = format!(
        "SELECT d.kind, d.title, d.body, d.author, d.language, d.zone, d.at, d.link \
         FROM search_documents d WHERE (d.link = $1 OR d.ap_id = $1) AND d.live = 1 AND {} LIMIT 1",
        visible_clause("d", "$2")
    );
    let record: Option<HitRecord> = sqlx::query_as(&sql)
        .bind(link)
        .bind(now)
        .fetch_optional(conn)
        .await?;
    record.map(Hit::try_from).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_at_top_level_commas_only() {
        assert_eq!(
            name_columns("a, COALESCE(b, ''), 'x, y'", &["p", "q", "r"]),
            "a AS p, COALESCE(b, '') AS q, 'x, y' AS r"
        );
    }

    #[test]
    fn every_source_has_eight_columns() {
        for s in Source::ALL {
            assert_eq!(
                split_columns(s.sql().columns).len(),
                ROW_COLUMNS.len(),
                "{s:?}"
            );
        }
    }
}
