//! Prize and funding calls (issue 12): the call, its nominations, the public vote's ballots and
//! the results. The rules (who may do what, in which phase) are in `domain::calls`.

use sqlx::FromRow;

use super::{decode_json, Conn};

/// A call's stored fields, as written by `insert_call` and `update_call`.
#[derive(Debug, Clone, PartialEq)]
pub struct CallFields {
    pub kind: String,
    pub title: String,
    pub description_md: String,
    pub description_html: String,
    pub criteria_md: String,
    pub criteria_html: String,
    pub rules_md: String,
    pub rules_html: String,
    pub categories: Vec<String>,
    pub jury: Vec<String>,
    pub amount: String,
    pub language: String,
    pub timezone: String,
    pub nominations_open: i64,
    pub nominations_close: i64,
    pub jury_until: i64,
    pub vote_open: i64,
    pub vote_close: i64,
    pub announce_at: i64,
}

#[derive(Debug, Clone)]
pub struct CallRow {
    pub id: i64,
    pub org_id: i64,
    pub actor_id: i64,
    pub slug: String,
    pub fields: CallFields,
    /// When the shortlist was published and the vote's `Question` sent.
    pub shortlist_published: Option<i64>,
    /// When the closing `Update{Question}` with the tallies was sent.
    pub vote_closed: Option<i64>,
    pub results_published: Option<i64>,
    pub created: i64,
    pub updated: Option<i64>,
}

#[derive(FromRow)]
struct CallRecord {
    id: i64,
    org_id: i64,
    actor_id: i64,
    slug: String,
    kind: String,
    title: String,
    description_md: String,
    description_html: String,
    criteria_md: String,
    criteria_html: String,
    rules_md: String,
    rules_html: String,
    categories: String,
    jury: String,
    amount: String,
    language: String,
    timezone: String,
    nominations_open: i64,
    nominations_close: i64,
    jury_until: i64,
    vote_open: i64,
    vote_close: i64,
    announce_at: i64,
    shortlist_published: Option<i64>,
    vote_closed: Option<i64>,
    results_published: Option<i64>,
    created: i64,
    updated: Option<i64>,
}

impl TryFrom<CallRecord> for CallRow {
    type Error = sqlx::Error;

    fn try_from(r: CallRecord) -> Result<Self, Self::Error> {
        Ok(CallRow {
            id: r.id,
            org_id: r.org_id,
            actor_id: r.actor_id,
            slug: r.slug,
            fields: CallFields {
                kind: r.kind,
                title: r.title,
                description_md: r.description_md,
                description_html: r.description_html,
                criteria_md: r.criteria_md,
                criteria_html: r.criteria_html,
                rules_md: r.rules_md,
                rules_html: r.rules_html,
                categories: decode_json("calls.categories", &r.categories)?,
                jury: decode_json("calls.jury", &r.jury)?,
                amount: r.amount,
                language: r.language,
                timezone: r.timezone,
                nominations_open: r.nominations_open,
                nominations_close: r.nominations_close,
                jury_until: r.jury_until,
                vote_open: r.vote_open,
                vote_close: r.vote_close,
                announce_at: r.announce_at,
            },
            shortlist_published: r.shortlist_published,
            vote_closed: r.vote_closed,
            results_published: r.results_published,
            created: r.created,
            updated: r.updated,
        })
    }
}

const CALL_COLUMNS: &str = "id, org_id, actor_id, slug, kind, title, description_md, description_html, \
    criteria_md, criteria_html, rules_md, rules_html, categories, jury, amount, language, timezone, \
    nominations_open, nominations_close, jury_until, vote_open, vote_close, announce_at, \
    shortlist_published, vote_closed, results_published, created, updated";

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Binds the 19 fields of `CallFields` in column order.
macro_rules! bind_fields {
    ($q:expr, $f:expr) => {
        $q.bind(&$f.kind)
            .bind(&$f.title)
            .bind(&$f.description_md)
            .bind(&$f.description_html)
            .bind(&$f.criteria_md)
            .bind(&$f.criteria_html)
            .bind(&$f.rules_md)
            .bind(&$f.rules_html)
            .bind(json_list(&$f.categories))
            .bind(json_list(&$f.jury))
            .bind(&$f.amount)
            .bind(&$f.language)
            .bind(&$f.timezone)
            .bind($f.nominations_open)
            .bind($f.nominations_close)
            .bind($f.jury_until)
            .bind($f.vote_open)
            .bind($f.vote_close)
            .bind($f.announce_at)
    };
}

pub async fn insert_call(
    conn: &mut Conn,
    org_id: i64,
    actor_id: i64,
    slug: &str,
    f: &CallFields,
    now: i64,
) -> Result<CallRow, sqlx::Error> {
    let sql = format!(
        "INSERT INTO calls (kind, title, description_md, description_html, criteria_md, criteria_html, \
         rules_md, rules_html, categories, jury, amount, language, timezone, nominations_open, \
         nominations_close, jury_until, vote_open, vote_close, announce_at, org_id, actor_id, slug, created) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
         $20, $21, $22, $23) RETURNING {CALL_COLUMNS}"
    );
    bind_fields!(sqlx::query_as::<_, CallRecord>(&sql), f)
        .bind(org_id)
        .bind(actor_id)
        .bind(slug)
        .bind(now)
        .fetch_one(conn)
        .await?
        .try_into()
}

pub async fn update_call(
    conn: &mut Conn,
    id: i64,
    f: &CallFields,
    now: i64,
) -> Result<CallRow, sqlx::Error> {
    let sql = format!(
        "UPDATE calls SET kind = $1, title = $2, description_md = $3, description_html = $4, \
         criteria_md = $5, criteria_html = $6, rules_md = $7, rules_html = $8, categories = $9, \
         jury = $10, amount = $11, language = $12, timezone = $13, nominations_open = $14, \
         nominations_close = $15, jury_until = $16, vote_open = $17, vote_close = $18, \
         announce_at = $19, updated = $20 WHERE id = $21 RETURNING {CALL_COLUMNS}"
    );
    bind_fields!(sqlx::query_as::<_, CallRecord>(&sql), f)
        .bind(now)
        .bind(id)
        .fetch_one(conn)
        .await?
        .try_into()
}

pub async fn find_call_by_slug(
    conn: &mut Conn,
    slug: &str,
) -> Result<Option<CallRow>, sqlx::Error> {
    sqlx::query_as::<_, CallRecord>(&format!("SELECT {CALL_COLUMNS} FROM calls WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(conn)
        .await?
        .map(CallRow::try_from)
        .transpose()
}

pub async fn find_call_by_actor(
    conn: &mut Conn,
    actor_id: i64,
) -> Result<Option<CallRow>, sqlx::Error> {
    sqlx::query_as::<_, CallRecord>(&format!(
        "SELECT {CALL_COLUMNS} FROM calls WHERE actor_id = $1"
    ))
    .bind(actor_id)
    .fetch_optional(conn)
    .await?
    .map(CallRow::try_from)
    .transpose()
}

/// Calls, those announced last first; of one org when `org_id` is given.
pub async fn list_calls(
    conn: &mut Conn,
    org_id: Option<i64>,
    limit: i64,
) -> Result<Vec<CallRow>, sqlx::Error> {
    sqlx::query_as::<_, CallRecord>(&format!(
        "SELECT {CALL_COLUMNS} FROM calls WHERE ($1 IS NULL OR org_id = $1) \
         ORDER BY announce_at DESC, id DESC LIMIT $2"
    ))
    .bind(org_id)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(CallRow::try_from)
    .collect()
}

/// Sets one of the phase stamps (`shortlist_published`, `vote_closed`, `results_published`)
/// once; false when it was already set (another request got there first).
pub async fn stamp_call(
    conn: &mut Conn,
    id: i64,
    stamp: CallStamp,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let column = stamp.column();
    let done = sqlx::query(&format!(
        "UPDATE calls SET {column} = $1 WHERE id = $2 AND {column} IS NULL"
    ))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the vote's close to `at` (an organizer closes the vote early).
pub async fn set_vote_close(conn: &mut Conn, id: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE calls SET vote_close = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStamp {
    ShortlistPublished,
    VoteClosed,
    ResultsPublished,
}

impl CallStamp {
    fn column(self) -> &'static str {
        match self {
            CallStamp::ShortlistPublished => "shortlist_published",
            CallStamp::VoteClosed => "vote_closed",
            CallStamp::ResultsPublished => "results_published",
        }
    }
}

/// Calls whose vote has ended but whose closing `Update{Question}` was not sent yet.
pub async fn list_calls_to_close(conn: &mut Conn, now: i64) -> Result<Vec<CallRow>, sqlx::Error> {
    sqlx::query_as::<_, CallRecord>(&format!(
        "SELECT {CALL_COLUMNS} FROM calls WHERE shortlist_published IS NOT NULL \
         AND vote_closed IS NULL AND vote_close <= $1 ORDER BY id LIMIT 100"
    ))
    .bind(now)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(CallRow::try_from)
    .collect()
}

/// A nomination or application: a project named for a call.
#[derive(Debug, Clone, FromRow)]
pub struct NominationRow {
    pub id: i64,
    pub call_id: i64,
    pub project_ap_id: String,
    pub project_name: String,
    pub project_url: String,
    /// The remote project's inbox, to tell it it was shortlisted or won.
    pub project_inbox: Option<String>,
    pub local_project_id: Option<i64>,
    pub nominated_by_user: Option<i64>,
    pub nominated_by_actor: Option<i64>,
    /// Set when an organization applied with one of its own projects.
    pub applicant_org: Option<i64>,
    /// The fediverse reply it came from.
    pub source_ap_id: Option<String>,
    pub statement: String,
    pub status: String,
    pub organizer_note: String,
    pub option_name: String,
    pub created: i64,
}

const NOMINATION_COLUMNS: &str = "id, call_id, project_ap_id, project_name, project_url, project_inbox, \
    local_project_id, nominated_by_user, nominated_by_actor, applicant_org, source_ap_id, statement, \
    status, organizer_note, option_name, created";

/// A nomination to store.
#[derive(Debug, Clone)]
pub struct NewNomination {
    pub call_id: i64,
    pub project_ap_id: String,
    pub project_name: String,
    pub project_url: String,
    pub project_inbox: Option<String>,
    pub local_project_id: Option<i64>,
    pub nominated_by_user: Option<i64>,
    pub nominated_by_actor: Option<i64>,
    pub applicant_org: Option<i64>,
    pub source_ap_id: Option<String>,
    pub statement: String,
    pub status: String,
}

/// Stores a nomination; `None` when the project is already nominated for the call.
pub async fn insert_nomination(
    conn: &mut Conn,
    n: &NewNomination,
    now: i64,
) -> Result<Option<NominationRow>, sqlx::Error> {
    sqlx::query_as::<_, NominationRow>(&format!(
        "INSERT INTO call_nominations (call_id, project_ap_id, project_name, project_url, project_inbox, \
         local_project_id, nominated_by_user, nominated_by_actor, applicant_org, source_ap_id, statement, \
         status, organizer_note, option_name, created) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', $3, $13) \
         ON CONFLICT (call_id, project_ap_id) DO NOTHING RETURNING {NOMINATION_COLUMNS}"
    ))
    .bind(n.call_id)
    .bind(&n.project_ap_id)
    .bind(&n.project_name)
    .bind(&n.project_url)
    .bind(&n.project_inbox)
    .bind(n.local_project_id)
    .bind(n.nominated_by_user)
    .bind(n.nominated_by_actor)
    .bind(n.applicant_org)
    .bind(&n.source_ap_id)
    .bind(&n.statement)
    .bind(&n.status)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn list_nominations(
    conn: &mut Conn,
    call_id: i64,
) -> Result<Vec<NominationRow>, sqlx::Error> {
    sqlx::query_as::<_, NominationRow>(&format!(
        "SELECT {NOMINATION_COLUMNS} FROM call_nominations WHERE call_id = $1 ORDER BY id"
    ))
    .bind(call_id)
    .fetch_all(conn)
    .await
}

pub async fn find_nomination(
    conn: &mut Conn,
    call_id: i64,
    id: i64,
) -> Result<Option<NominationRow>, sqlx::Error> {
    sqlx::query_as::<_, NominationRow>(&format!(
        "SELECT {NOMINATION_COLUMNS} FROM call_nominations WHERE call_id = $1 AND id = $2"
    ))
    .bind(call_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Sets a nomination's status, organizer's note and poll option name.
pub async fn review_nomination(
    conn: &mut Conn,
    id: i64,
    status: &str,
    note: &str,
    option_name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE call_nominations SET status = $1, organizer_note = $2, option_name = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(note)
    .bind(option_name)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a ballot; false when this voter already voted in the call.
pub async fn insert_vote(
    conn: &mut Conn,
    call_id: i64,
    nomination_id: i64,
    voter: &str,
    vote_ap_id: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO call_votes (call_id, nomination_id, voter, vote_ap_id, created) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (call_id, voter) DO NOTHING",
    )
    .bind(call_id)
    .bind(nomination_id)
    .bind(voter)
    .bind(vote_ap_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether this voter voted in the call.
pub async fn has_voted(conn: &mut Conn, call_id: i64, voter: &str) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM call_votes WHERE call_id = $1 AND voter = $2")
            .bind(call_id)
            .bind(voter)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// Ballots per nomination (nominations without ballots are absent).
pub async fn count_votes(conn: &mut Conn, call_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT nomination_id, COUNT(*) FROM call_votes WHERE call_id = $1 GROUP BY nomination_id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await
}

/// The remote voters' actor ids (their servers get the closing tallies).
pub async fn list_remote_voters(conn: &mut Conn, call_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT voter FROM call_votes WHERE call_id = $1 AND voter NOT LIKE 'user:%' ORDER BY id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await
}

/// A result: a nomination the jury chose, the audience's choice, or a funded project.
#[derive(Debug, Clone, FromRow)]
pub struct ResultRow {
    pub nomination_id: i64,
    pub kind: String,
    pub label: String,
}

pub async fn insert_result(
    conn: &mut Conn,
    call_id: i64,
    r: &ResultRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO call_results (call_id, nomination_id, kind, label) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (call_id, nomination_id, kind) DO UPDATE SET label = excluded.label",
    )
    .bind(call_id)
    .bind(r.nomination_id)
    .bind(&r.kind)
    .bind(&r.label)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn list_results(conn: &mut Conn, call_id: i64) -> Result<Vec<ResultRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT nomination_id, kind, label FROM call_results WHERE call_id = $1 ORDER BY kind, nomination_id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await
}

/// The published results naming a local project, with the call's title (for its page).
pub async fn list_project_awards(
    conn: &mut Conn,
    local_project_id: i64,
) -> Result<Vec<(String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug, c.title, r.kind, r.label FROM call_results r \
         JOIN call_nominations n ON n.id = r.nomination_id JOIN calls c ON c.id = r.call_id \
         WHERE n.local_project_id = $1 AND c.results_published IS NOT NULL ORDER BY c.announce_at DESC",
    )
    .bind(local_project_id)
    .fetch_all(conn)
    .await
}
