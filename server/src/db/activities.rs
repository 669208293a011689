//! Activities we sent: the outbox, and the source the delivery queue reads from.

use sqlx::FromRow;

use super::{decode_flag, decode_json, Conn};

/// An activity we sent.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub kind: String,
    pub object_ap_id: Option<String>,
    pub public: bool,
    /// The activity as sent.
    pub json: serde_json::Value,
    pub created_at: i64,
}

/// An `outgoing_activities` row as stored: `public` as 0/1, the activity as JSON text.
#[derive(FromRow)]
struct ActivityRecord {
    id: i64,
    ap_id: String,
    actor_id: i64,
    kind: String,
    object_ap_id: Option<String>,
    public: i64,
    json: String,
    created_at: i64,
}

impl TryFrom<ActivityRecord> for ActivityRow {
    type Error = sqlx::Error;

    fn try_from(r: ActivityRecord) -> Result<Self, Self::Error> {
        Ok(ActivityRow {
            id: r.id,
            ap_id: r.ap_id,
            actor_id: r.actor_id,
            kind: r.kind,
            object_ap_id: r.object_ap_id,
            public: decode_flag("outgoing_activities.public", r.public)?,
            json: decode_json("outgoing_activities.json", &r.json)?,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str = "id, ap_id, actor_id, kind, object_ap_id, public, json, created_at";

// One argument per column: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub async fn insert_activity(
    conn: &mut Conn,
    ap_id: &str,
    actor_id: i64,
    kind: &str,
    object_ap_id: Option<&str>,
    public: bool,
    json: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO outgoing_activities (ap_id, actor_id, kind, object_ap_id, public, json, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(ap_id)
    .bind(actor_id)
    .bind(kind)
    .bind(object_ap_id)
    .bind(public as i64)
    .bind(json)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The condition that leaves out activities about what a moderator hid (issue 9): an org's
/// announcements and events, and the news posts of hidden projects that orgs boosted. `actor`
/// is the sending actor's id (a placeholder or a column), `base` the placeholder of the
/// instance's base URL. Local objects keep no ActivityPub id in their rows; theirs are
/// `{base}/announcements/{id}`, `{base}/events/{id}` and `{base}/projects/{slug}/posts/{id}`.
/// A hidden project's own outbox is not served at all.
fn not_about_hidden(actor: &str, base: &str) -> String {
    format!(
        "(object_ap_id IS NULL OR object_ap_id NOT IN \
         (SELECT {base} || '/announcements/' || CAST(n.id AS TEXT) FROM announcements n \
         WHERE n.hidden = 1 AND n.org_id IN (SELECT o.id FROM orgs o WHERE o.actor_id = {actor}) \
         UNION ALL SELECT COALESCE(e.ap_id, {base} || '/events/' || CAST(e.id AS TEXT)) FROM events e \
         WHERE e.hidden = 1 AND e.org_id IN (SELECT o.id FROM orgs o WHERE o.actor_id = {actor}) \
         UNION ALL SELECT {base} || '/projects/' || p.slug || '/posts/' || CAST(pp.id AS TEXT) \
         FROM project_posts pp JOIN projects p ON p.id = pp.project_id WHERE p.hidden = 1))"
    )
}

/// A public activity we sent, unless it is about an object a moderator hid.
pub async fn find_public_activity(
    conn: &mut Conn,
    ap_id: &str,
    base_url: &str,
) -> Result<Option<ActivityRow>, sqlx::Error> {
    sqlx::query_as::<_, ActivityRecord>(&format!(
        "SELECT {COLUMNS} FROM outgoing_activities WHERE ap_id = $1 AND public = 1 AND {}",
        not_about_hidden("outgoing_activities.actor_id", "$2")
    ))
    .bind(ap_id)
    .bind(base_url)
    .fetch_optional(conn)
    .await?
    .map(ActivityRow::try_from)
    .transpose()
}

/// How many activities an actor's outbox lists.
pub async fn count_public_activities(
    conn: &mut Conn,
    actor_id: i64,
    base_url: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM outgoing_activities WHERE actor_id = $1 AND public = 1 AND {}",
        not_about_hidden("$1", "$2")
    ))
    .bind(actor_id)
    .bind(base_url)
    .fetch_one(conn)
    .await
}

/// Public activities of an actor, newest first (its outbox), none about hidden objects.
pub async fn list_public_activities(
    conn: &mut Conn,
    actor_id: i64,
    base_url: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ActivityRow>, sqlx::Error> {
    sqlx::query_as::<_, ActivityRecord>(&format!(
        "SELECT {COLUMNS} FROM outgoing_activities WHERE actor_id = $1 AND public = 1 AND {} \
         ORDER BY id DESC LIMIT $3 OFFSET $4",
        not_about_hidden("$1", "$2")
    ))
    .bind(actor_id)
    .bind(base_url)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ActivityRow::try_from)
    .collect()
}

/// Once an object is deleted, the Create and Update activities about it must no longer show
/// its content: they are dropped from the outbox listing (the Delete stays).
pub async fn hide_activities_about(conn: &mut Conn, object_ap_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outgoing_activities SET public = 0 WHERE object_ap_id = $1 AND kind IN ('Create', 'Update')")
        .bind(object_ap_id)
        .execute(conn)
        .await?;
    Ok(())
}
