//! Reports (issue 9): one row per report, from the report form, the API or another server's
//! `Flag`, with a snapshot of what was reported (JSON text) and the moderators' decision.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use super::{decode_json, decode_name, Conn};

stored_names! {
    /// Where a report stands: open in the queue, or decided.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ReportStatus {
        Open = "open",
        Resolved = "resolved",
        Rejected = "rejected",
    }
}

stored_names! {
    /// What the reporter says is wrong (Mastodon's categories; "violation" is a rule of the
    /// instance).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ReportCategory {
        Spam = "spam",
        Legal = "legal",
        Violation = "violation",
        Other = "other",
    }
}

/// A reported object (or account) as it was when reported. `content_html` is sanitized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectSnapshot {
    pub ap_id: String,
    /// The ActivityStreams type (`Note`, `Event`, `Person`, `Group`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    /// A title, a name or an account's display name ("" when it has none).
    pub name: String,
    pub content_html: String,
    /// Unix microseconds, when known.
    pub published: Option<i64>,
}

/// A stored report. `reporter_user` is the local reporter's username, when there is one.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub created_at: i64,
    pub status: ReportStatus,
    pub reporter_user_id: Option<i64>,
    pub reporter_user: Option<String>,
    pub reporter_actor_id: Option<i64>,
    /// The reporting server's host ("" for a report made here).
    pub origin_host: String,
    pub flag_ap_id: Option<String>,
    pub target_actor_ap_id: String,
    pub target_host: String,
    pub comment: String,
    pub category: ReportCategory,
    pub objects: Vec<ObjectSnapshot>,
    pub resolved_by: Option<i64>,
    pub resolved_by_name: Option<String>,
    pub resolved_at: Option<i64>,
    pub resolution_note: String,
    pub forwarded_at: Option<i64>,
}

#[derive(FromRow)]
struct ReportRecord {
    id: i64,
    created_at: i64,
    status: String,
    reporter_user_id: Option<i64>,
    reporter_user: Option<String>,
    reporter_actor_id: Option<i64>,
    origin_host: String,
    flag_ap_id: Option<String>,
    target_actor_ap_id: String,
    target_host: String,
    comment: String,
    category: String,
    objects: String,
    resolved_by: Option<i64>,
    resolved_by_name: Option<String>,
    resolved_at: Option<i64>,
    resolution_note: String,
    forwarded_at: Option<i64>,
}

impl TryFrom<ReportRecord> for ReportRow {
    type Error = sqlx::Error;

    fn try_from(r: ReportRecord) -> Result<Self, Self::Error> {
        Ok(ReportRow {
            id: r.id,
            created_at: r.created_at,
            status: decode_name("reports.status", &r.status)?,
            reporter_user_id: r.reporter_user_id,
            reporter_user: r.reporter_user,
            reporter_actor_id: r.reporter_actor_id,
            origin_host: r.origin_host,
            flag_ap_id: r.flag_ap_id,
            target_actor_ap_id: r.target_actor_ap_id,
            target_host: r.target_host,
            comment: r.comment,
            category: decode_name("reports.category", &r.category)?,
            objects: decode_json("reports.objects", &r.objects)?,
            resolved_by: r.resolved_by,
            resolved_by_name: r.resolved_by_name,
            resolved_at: r.resolved_at,
            resolution_note: r.resolution_note,
            forwarded_at: r.forwarded_at,
        })
    }
}

const SELECT: &str = "SELECT r.id, r.created_at, r.status, r.reporter_user_id, \
     u.username AS reporter_user, r.reporter_actor_id, r.origin_host, r.flag_ap_id, \
     r.target_actor_ap_id, r.target_host, r.comment, r.category, r.objects, r.resolved_by, \
     m.username AS resolved_by_name, r.resolved_at, r.resolution_note, r.forwarded_at \
     FROM reports r LEFT JOIN users u ON u.id = r.reporter_user_id \
     LEFT JOIN users m ON m.id = r.resolved_by";

/// A report to store.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub reporter_user_id: Option<i64>,
    pub reporter_actor_id: Option<i64>,
    pub origin_host: &'a str,
    pub flag_ap_id: Option<&'a str>,
    pub target_actor_ap_id: &'a str,
    pub target_host: &'a str,
    pub comment: &'a str,
    pub category: ReportCategory,
    pub objects: &'a [ObjectSnapshot],
}

/// Stores a report; `None` when this Flag already made a report about this account.
pub async fn insert_report(
    conn: &mut Conn,
    r: &NewReport<'_>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let objects = serde_json::to_string(r.objects).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query_scalar(
        "INSERT INTO reports (created_at, status, reporter_user_id, reporter_actor_id, \
         origin_host, flag_ap_id, target_actor_ap_id, target_host, comment, category, objects) \
         VALUES ($1, 'open', $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (flag_ap_id, target_actor_ap_id) DO NOTHING RETURNING id",
    )
    .bind(now)
    .bind(r.reporter_user_id)
    .bind(r.reporter_actor_id)
    .bind(r.origin_host)
    .bind(r.flag_ap_id)
    .bind(r.target_actor_ap_id)
    .bind(r.target_host)
    .bind(r.comment)
    .bind(r.category.as_str())
    .bind(objects)
    .fetch_optional(conn)
    .await
}

pub async fn find_report(conn: &mut Conn, id: i64) -> Result<Option<ReportRow>, sqlx::Error> {
    sqlx::query_as::<_, ReportRecord>(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(ReportRow::try_from)
        .transpose()
}

/// How many reports wait for a moderator.
pub async fn count_open_reports(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE status = 'open'")
        .fetch_one(conn)
        .await
}

/// Reports with `status`, newest first.
pub async fn list_reports(
    conn: &mut Conn,
    status: ReportStatus,
    limit: i64,
    offset: i64,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    sqlx::query_as::<_, ReportRecord>(&format!(
        "{SELECT} WHERE r.status = $1 ORDER BY r.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(status.as_str())
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ReportRow::try_from)
    .collect()
}

/// Other reports about the same account or about anything on the same host, newest first.
pub async fn list_related_reports(
    conn: &mut Conn,
    except_id: i64,
    target_actor_ap_id: &str,
    target_host: &str,
    limit: i64,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    sqlx::query_as::<_, ReportRecord>(&format!(
        "{SELECT} WHERE r.id <> $1 AND (r.target_actor_ap_id = $2 OR r.target_host = $3) \
         ORDER BY r.id DESC LIMIT $4"
    ))
    .bind(except_id)
    .bind(target_actor_ap_id)
    .bind(target_host)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ReportRow::try_from)
    .collect()
}

/// Decides an open report; false when it was not open (already decided, or no such report).
pub async fn close_report(
    conn: &mut Conn,
    id: i64,
    status: ReportStatus,
    moderator: i64,
    note: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE reports SET status = $1, resolved_by = $2, resolved_at = $3, \
         resolution_note = $4 WHERE id = $5 AND status = 'open'",
    )
    .bind(status.as_str())
    .bind(moderator)
    .bind(now)
    .bind(note)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Notes that the report was forwarded to the reported content's home server.
pub async fn mark_report_forwarded(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE reports SET forwarded_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The id of the comment whose page is `url` (comment lists link comments by their URL).
pub async fn find_comment_ap_id_by_url(
    conn: &mut Conn,
    url: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT ap_id FROM comments WHERE url = $1 ORDER BY id LIMIT 1")
        .bind(url)
        .fetch_optional(conn)
        .await
}
