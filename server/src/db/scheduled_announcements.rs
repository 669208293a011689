//! Announcements written for later: kept here until due, then published (and the row removed).

use sqlx::FromRow;

use super::{decode_json, Conn};

#[derive(Debug, Clone)]
pub struct ScheduledRow {
    pub id: i64,
    pub org_id: i64,
    pub author_user_id: i64,
    pub content_md: String,
    pub language: String,
    pub media_ids: Vec<i64>,
    pub publish_at: i64,
    /// The IANA zone the time was written in.
    pub zone: String,
    pub created_at: i64,
}

#[derive(FromRow)]
struct ScheduledRecord {
    id: i64,
    org_id: i64,
    author_user_id: i64,
    content_md: String,
    language: String,
    media_ids: String,
    publish_at: i64,
    zone: String,
    created_at: i64,
}

impl TryFrom<ScheduledRecord> for ScheduledRow {
    type Error = sqlx::Error;

    fn try_from(r: ScheduledRecord) -> Result<Self, Self::Error> {
        Ok(ScheduledRow {
            id: r.id,
            org_id: r.org_id,
            author_user_id: r.author_user_id,
            content_md: r.content_md,
            language: r.language,
            media_ids: decode_json("scheduled_announcements.media_ids", &r.media_ids)?,
            publish_at: r.publish_at,
            zone: r.zone,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str =
    "id, org_id, author_user_id, content_md, language, media_ids, publish_at, zone, created_at";

/// What a scheduled announcement says and when it goes out.
pub struct ScheduledContent<'a> {
    pub content_md: &'a str,
    pub language: &'a str,
    pub media_ids: &'a [i64],
    pub publish_at: i64,
    pub zone: &'a str,
}

fn ids_json(ids: &[i64]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

pub async fn insert_scheduled(
    conn: &mut Conn,
    org_id: i64,
    author_user_id: i64,
    c: &ScheduledContent<'_>,
    now: i64,
) -> Result<ScheduledRow, sqlx::Error> {
    sqlx::query_as::<_, ScheduledRecord>(&format!(
        "INSERT INTO scheduled_announcements (org_id, author_user_id, content_md, language, media_ids, publish_at, zone, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(org_id)
    .bind(author_user_id)
    .bind(c.content_md)
    .bind(c.language)
    .bind(ids_json(c.media_ids))
    .bind(c.publish_at)
    .bind(c.zone)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_into()
}

pub async fn update_scheduled(
    conn: &mut Conn,
    id: i64,
    c: &ScheduledContent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scheduled_announcements SET content_md = $1, language = $2, media_ids = $3, publish_at = $4, zone = $5 \
         WHERE id = $6",
    )
    .bind(c.content_md)
    .bind(c.language)
    .bind(ids_json(c.media_ids))
    .bind(c.publish_at)
    .bind(c.zone)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a scheduled announcement; false when it was gone already (published or deleted
/// meanwhile), which lets one publisher win a race.
pub async fn delete_scheduled(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM scheduled_announcements WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn find_scheduled(conn: &mut Conn, id: i64) -> Result<Option<ScheduledRow>, sqlx::Error> {
    sqlx::query_as::<_, ScheduledRecord>(&format!(
        "SELECT {COLUMNS} FROM scheduled_announcements WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(ScheduledRow::try_from)
    .transpose()
}

/// An org's scheduled announcements, soonest first.
pub async fn list_org_scheduled(
    conn: &mut Conn,
    org_id: i64,
) -> Result<Vec<ScheduledRow>, sqlx::Error> {
    sqlx::query_as::<_, ScheduledRecord>(&format!(
        "SELECT {COLUMNS} FROM scheduled_announcements WHERE org_id = $1 ORDER BY publish_at, id"
    ))
    .bind(org_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ScheduledRow::try_from)
    .collect()
}

/// Scheduled announcements due at `now`, oldest first.
pub async fn list_due_scheduled(
    conn: &mut Conn,
    now: i64,
    limit: i64,
) -> Result<Vec<ScheduledRow>, sqlx::Error> {
    sqlx::query_as::<_, ScheduledRecord>(&format!(
        "SELECT {COLUMNS} FROM scheduled_announcements WHERE publish_at <= $1 ORDER BY publish_at, id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ScheduledRow::try_from)
    .collect()
}
