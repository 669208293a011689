//! The moderation log: one row per moderation action (issue 9).

use sqlx::FromRow;

use super::Conn;

/// A logged action as stored.
#[derive(Debug, Clone, FromRow)]
pub struct LogRow {
    pub id: i64,
    pub at: i64,
    /// Who acted; `None` for the instance itself (a list refresh, a scheduled purge).
    pub moderator_user_id: Option<i64>,
    /// The moderator's username, when there is one.
    pub moderator: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target: String,
    pub target_host: String,
    pub reason: String,
    pub public_reason: String,
    pub report_id: Option<i64>,
}

/// What to log.
#[derive(Debug, Clone)]
pub struct NewLogEntry<'a> {
    pub moderator_user_id: Option<i64>,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target: &'a str,
    pub target_host: &'a str,
    pub reason: &'a str,
    pub public_reason: &'a str,
    pub report_id: Option<i64>,
}

pub async fn insert_log_entry(
    conn: &mut Conn,
    e: &NewLogEntry<'_>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moderation_log (at, moderator_user_id, action, target_kind, target, \
         target_host, reason, public_reason, report_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(at)
    .bind(e.moderator_user_id)
    .bind(e.action)
    .bind(e.target_kind)
    .bind(e.target)
    .bind(e.target_host)
    .bind(e.reason)
    .bind(e.public_reason)
    .bind(e.report_id)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

const SELECT: &str = "SELECT l.id, l.at, l.moderator_user_id, u.username AS moderator, l.action, \
     l.target_kind, l.target, l.target_host, l.reason, l.public_reason, l.report_id \
     FROM moderation_log l LEFT JOIN users u ON u.id = l.moderator_user_id";

/// The newest entries first, older than `before` (an id) when given; optionally only those
/// about `target` (an ap id, a host, a report id as text) or on `host`.
pub async fn list_log_entries(
    conn: &mut Conn,
    target: Option<&str>,
    host: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE ($1 IS NULL OR l.target = $1) AND ($2 IS NULL OR l.target_host = $2) \
         AND ($3 IS NULL OR l.id < $3) ORDER BY l.id DESC LIMIT $4"
    ))
    .bind(target)
    .bind(host)
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The entries about a report (its own actions).
pub async fn list_report_log_entries(
    conn: &mut Conn,
    report_id: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE l.report_id = $1 ORDER BY l.id"))
        .bind(report_id)
        .fetch_all(conn)
        .await
}
