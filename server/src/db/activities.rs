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

pub async fn find_activity_by_ap_id(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<ActivityRow>, sqlx::Error> {
    sqlx::query_as::<_, ActivityRecord>(&format!(
        "SELECT {COLUMNS} FROM outgoing_activities WHERE ap_id = $1"
    ))
    .bind(ap_id)
    .fetch_optional(conn)
    .await?
    .map(ActivityRow::try_from)
    .transpose()
}

pub async fn count_public_activities(conn: &mut Conn, actor_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM outgoing_activities WHERE actor_id = $1 AND public = 1",
    )
    .bind(actor_id)
    .fetch_one(conn)
    .await
}

/// Public activities of an actor, newest first.
pub async fn list_public_activities(
    conn: &mut Conn,
    actor_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ActivityRow>, sqlx::Error> {
    sqlx::query_as::<_, ActivityRecord>(&format!(
        "SELECT {COLUMNS} FROM outgoing_activities WHERE actor_id = $1 AND public = 1 ORDER BY id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(actor_id)
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
