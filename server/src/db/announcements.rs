//! Announcements published by organizations. Rows are never removed: a deleted announcement
//! keeps its row (and so its id) as a tombstone, so ids are never reused.

use sqlx::FromRow;

use super::{decode_flag, decode_json, Audience, Conn};

#[derive(Debug, Clone)]
pub struct AnnouncementRow {
    pub id: i64,
    pub org_id: i64,
    pub author_user_id: i64,
    pub content_md: String,
    pub content_html: String,
    pub language: String,
    pub tags: Vec<String>,
    pub published: i64,
    pub updated: Option<i64>,
    pub deleted_at: Option<i64>,
    /// The AP id of the event or project the announcement is about.
    pub about: Option<String>,
    /// Hidden by a moderator (issue 9): out of every public view, still on the editors' list.
    pub hidden: bool,
}

/// An `announcements` row as stored: tags as JSON text.
#[derive(FromRow)]
pub(super) struct AnnouncementRecord {
    id: i64,
    org_id: i64,
    author_user_id: i64,
    content_md: String,
    content_html: String,
    language: String,
    tags: String,
    published: i64,
    updated: Option<i64>,
    deleted_at: Option<i64>,
    about: Option<String>,
    hidden: i64,
}

impl TryFrom<AnnouncementRecord> for AnnouncementRow {
    type Error = sqlx::Error;

    fn try_from(r: AnnouncementRecord) -> Result<Self, Self::Error> {
        Ok(AnnouncementRow {
            id: r.id,
            org_id: r.org_id,
            author_user_id: r.author_user_id,
            content_md: r.content_md,
            content_html: r.content_html,
            language: r.language,
            tags: decode_json("announcements.tags", &r.tags)?,
            published: r.published,
            updated: r.updated,
            deleted_at: r.deleted_at,
            about: r.about,
            hidden: decode_flag("announcements.hidden", r.hidden)?,
        })
    }
}

const COLUMNS: &str = "id, org_id, author_user_id, content_md, content_html, language, tags, published, updated, deleted_at, about, hidden";

// One argument per column: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub async fn insert_announcement(
    conn: &mut Conn,
    org_id: i64,
    author_user_id: i64,
    content_md: &str,
    content_html: &str,
    language: &str,
    tags: &str,
    about: Option<&str>,
    now: i64,
) -> Result<AnnouncementRow, sqlx::Error> {
    sqlx::query_as::<_, AnnouncementRecord>(&format!(
        "INSERT INTO announcements (org_id, author_user_id, content_md, content_html, language, tags, about, published) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(org_id)
    .bind(author_user_id)
    .bind(content_md)
    .bind(content_html)
    .bind(language)
    .bind(tags)
    .bind(about)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_into()
}

// One argument per column: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub async fn update_announcement(
    conn: &mut Conn,
    id: i64,
    content_md: &str,
    content_html: &str,
    language: &str,
    tags: &str,
    about: Option<&str>,
    updated: i64,
) -> Result<AnnouncementRow, sqlx::Error> {
    sqlx::query_as::<_, AnnouncementRecord>(&format!(
        "UPDATE announcements SET content_md = $1, content_html = $2, language = $3, tags = $4, about = $5, updated = $6 \
         WHERE id = $7 RETURNING {COLUMNS}"
    ))
    .bind(content_md)
    .bind(content_html)
    .bind(language)
    .bind(tags)
    .bind(about)
    .bind(updated)
    .bind(id)
    .fetch_one(conn)
    .await?
    .try_into()
}

pub async fn mark_announcement_deleted(
    conn: &mut Conn,
    id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE announcements SET deleted_at = $1, content_md = '', content_html = '', tags = '[]' WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_announcement(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<AnnouncementRow>, sqlx::Error> {
    sqlx::query_as::<_, AnnouncementRecord>(&format!(
        "SELECT {COLUMNS} FROM announcements WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(AnnouncementRow::try_from)
    .transpose()
}

/// Live announcements a moderator did not hide (the instance's public post count).
pub async fn count_live_announcements(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM announcements WHERE deleted_at IS NULL AND hidden = 0")
        .fetch_one(conn)
        .await
}

/// Live announcements carrying a hashtag, not hidden by a moderator (tags is a JSON array of lower-case names).
pub async fn list_announcements_by_tag(
    conn: &mut Conn,
    tag: &str,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, sqlx::Error> {
    let pattern = format!("%\"{}\"%", tag.replace(['%', '_', '"', '\\'], ""));
    sqlx::query_as::<_, AnnouncementRecord>(&format!(
        "SELECT {COLUMNS} FROM announcements WHERE deleted_at IS NULL AND hidden = 0 AND LOWER(tags) LIKE $1 \
         ORDER BY id DESC LIMIT $2"
    ))
    .bind(pattern)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(AnnouncementRow::try_from)
    .collect()
}

/// Live announcements of an org, newest first; for the public without hidden ones.
pub async fn list_org_announcements(
    conn: &mut Conn,
    org_id: i64,
    audience: Audience,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, sqlx::Error> {
    sqlx::query_as::<_, AnnouncementRecord>(&format!(
        "SELECT {COLUMNS} FROM announcements WHERE org_id = $1 AND deleted_at IS NULL{} \
         ORDER BY id DESC LIMIT $2",
        audience.hidden_condition("")
    ))
    .bind(org_id)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(AnnouncementRow::try_from)
    .collect()
}
