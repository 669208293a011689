//! Sources of the regional views (issue 10): the actors and relays the instance actor follows
//! for the region, their filter and health, and the `source_id` of what reached us through
//! them. The follow itself is a `follows` row (follower = the instance actor).

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use super::filters::ContentFilter;
use super::{decode_name, Conn};

stored_names! {
    /// What a source is: an `actor` (an organization, a project, another instance's
    /// `Application` actor, a Mobilizon group, a Gancio instance) or a Mastodon/LitePub `relay`
    /// (FEP-ae0c: followed with a `Follow` of Public).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum SourceKind {
        Actor = "actor",
        Relay = "relay",
    }
}

/// A source with its actor and the state of the instance actor's follow of it.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub id: i64,
    pub actor_id: i64,
    pub kind: SourceKind,
    pub input: String,
    pub filter: ContentFilter,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub last_success_at: Option<i64>,
    pub last_error: String,
    pub last_error_at: Option<i64>,
    pub received_count: i64,
    pub backfill_state: String,
    pub backfilled_at: Option<i64>,
    pub backfill_count: i64,
    /// The source's actor id, host, name and handle.
    pub actor_ap_id: String,
    pub actor_host: String,
    pub actor_name: String,
    pub actor_username: String,
    /// `pending`, `accepted`, or `none` when no follow is stored (refused, or ended).
    pub follow_state: String,
}

#[derive(FromRow)]
struct SourceRecord {
    id: i64,
    actor_id: i64,
    kind: String,
    input: String,
    filter: String,
    created_by: Option<i64>,
    created_at: i64,
    last_success_at: Option<i64>,
    last_error: String,
    last_error_at: Option<i64>,
    received_count: i64,
    backfill_state: String,
    backfilled_at: Option<i64>,
    backfill_count: i64,
    actor_ap_id: String,
    actor_host: String,
    actor_name: String,
    actor_username: String,
    follow_state: Option<String>,
}

impl TryFrom<SourceRecord> for SourceRow {
    type Error = sqlx::Error;

    fn try_from(r: SourceRecord) -> Result<Self, Self::Error> {
        Ok(SourceRow {
            id: r.id,
            actor_id: r.actor_id,
            kind: decode_name("sources.kind", &r.kind)?,
            input: r.input,
            filter: ContentFilter::decode("sources.filter", &r.filter)?,
            created_by: r.created_by,
            created_at: r.created_at,
            last_success_at: r.last_success_at,
            last_error: r.last_error,
            last_error_at: r.last_error_at,
            received_count: r.received_count,
            backfill_state: r.backfill_state,
            backfilled_at: r.backfilled_at,
            backfill_count: r.backfill_count,
            actor_ap_id: r.actor_ap_id,
            actor_host: r.actor_host,
            actor_name: r.actor_name,
            actor_username: r.actor_username,
            follow_state: r.follow_state.unwrap_or_else(|| "none".into()),
        })
    }
}

/// The columns of `SourceRecord`; `$1` is the instance actor's id (the follower).
const SELECT: &str = "SELECT s.id, s.actor_id, s.kind, s.input, s.filter, s.created_by, \
    s.created_at, s.last_success_at, s.last_error, s.last_error_at, s.received_count, \
    s.backfill_state, s.backfilled_at, s.backfill_count, a.ap_id AS actor_ap_id, \
    a.host AS actor_host, a.name AS actor_name, a.username AS actor_username, \
    f.state AS follow_state \
    FROM sources s JOIN actors a ON a.id = s.actor_id \
    LEFT JOIN follows f ON f.target_id = s.actor_id AND f.follower_id = $1";

/// Stores a new source; None when the actor is a source already.
#[allow(clippy::too_many_arguments)]
pub async fn insert_source(
    conn: &mut Conn,
    actor_id: i64,
    kind: SourceKind,
    input: &str,
    filter: &ContentFilter,
    created_by: Option<i64>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sources (actor_id, kind, input, filter, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_id) DO NOTHING RETURNING id",
    )
    .persistent(false)
    .bind(actor_id)
    .bind(kind.as_str())
    .bind(input)
    .bind(filter.encode())
    .bind(created_by)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// One source by id (`instance_actor_id`: whose follow state is read).
pub async fn find_source(
    conn: &mut Conn,
    instance_actor_id: i64,
    id: i64,
) -> Result<Option<SourceRow>, sqlx::Error> {
    sqlx::query_as::<_, SourceRecord>(&format!("{SELECT} WHERE s.id = $2"))
        .bind(instance_actor_id)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(SourceRow::try_from)
        .transpose()
}

/// The source whose actor is `actor_id`, if that actor is one.
pub async fn find_source_by_actor(
    conn: &mut Conn,
    instance_actor_id: i64,
    actor_id: i64,
) -> Result<Option<SourceRow>, sqlx::Error> {
    sqlx::query_as::<_, SourceRecord>(&format!("{SELECT} WHERE s.actor_id = $2"))
        .bind(instance_actor_id)
        .bind(actor_id)
        .fetch_optional(conn)
        .await?
        .map(SourceRow::try_from)
        .transpose()
}

/// Every source, oldest first.
pub async fn list_sources(
    conn: &mut Conn,
    instance_actor_id: i64,
) -> Result<Vec<SourceRow>, sqlx::Error> {
    sqlx::query_as::<_, SourceRecord>(&format!("{SELECT} ORDER BY s.id"))
        .bind(instance_actor_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(SourceRow::try_from)
        .collect()
}

/// Replaces a source's filter.
pub async fn set_source_filter(
    conn: &mut Conn,
    id: i64,
    filter: &ContentFilter,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE sources SET filter = $1 WHERE id = $2")
        .bind(filter.encode())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Removes a source; what reached us through it leaves the regional views (its `source_id`
/// is cleared). True when one was removed.
pub async fn delete_source(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    for table in ["events", "remote_projects", "remote_notes"] {
        sqlx::query(&format!(
            "UPDATE {table} SET source_id = NULL WHERE source_id = $1"
        ))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    let r = sqlx::query("DELETE FROM sources WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// An object arrived through the source: counted, and the source is healthy again.
pub async fn record_source_success(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sources SET received_count = received_count + 1, last_success_at = $1, \
         last_error = '' WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Something the source sent or named could not be used (the error as shown to the admin).
pub async fn record_source_error(
    conn: &mut Conn,
    id: i64,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sources SET last_error = $1, last_error_at = $2 WHERE id = $3")
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The source a stored event reached us through (None: none, or no such event).
pub async fn find_event_source(conn: &mut Conn, event_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let v: Option<Option<i64>> = sqlx::query_scalar("SELECT source_id FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(conn)
        .await?;
    Ok(v.flatten())
}

/// The source a stored remote project reached us through.
pub async fn find_remote_project_source(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let v: Option<Option<i64>> =
        sqlx::query_scalar("SELECT source_id FROM remote_projects WHERE ap_id = $1")
            .bind(ap_id)
            .fetch_optional(conn)
            .await?;
    Ok(v.flatten())
}

/// Sets (or, with None, clears) `source_id` of the rows of `table` matching `key_sql` (`$2`).
/// NULL is written as a literal: PostgreSQL through the `Any` driver types a bound NULL
/// differently from a number.
async fn set_source_of<T>(
    conn: &mut Conn,
    table: &str,
    key_sql: &str,
    key: T,
    source_id: Option<i64>,
) -> Result<(), sqlx::Error>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
{
    match source_id {
        Some(s) => {
            sqlx::query(&format!(
                "UPDATE {table} SET source_id = $1 WHERE {key_sql} = $2"
            ))
            .bind(s)
            .bind(key)
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query(&format!(
                "UPDATE {table} SET source_id = NULL WHERE {key_sql} = $1"
            ))
            .bind(key)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// Sets (or clears) the source a remote event reached us through.
pub async fn set_event_source(
    conn: &mut Conn,
    event_id: i64,
    source_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    set_source_of(conn, "events", "local = 0 AND id", event_id, source_id).await
}

/// Sets (or clears) the source a remote project reached us through.
pub async fn set_remote_project_source(
    conn: &mut Conn,
    ap_id: &str,
    source_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    set_source_of(
        conn,
        "remote_projects",
        "ap_id",
        ap_id.to_string(),
        source_id,
    )
    .await
}

/// Sets (or clears) the source a remote note reached us through.
pub async fn set_remote_note_source(
    conn: &mut Conn,
    ap_id: &str,
    source_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    set_source_of(conn, "remote_notes", "ap_id", ap_id.to_string(), source_id).await
}
