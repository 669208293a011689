//! Uploaded media: one row per image (its files live in the media store), and the images of
//! each announcement in order.

use sqlx::FromRow;

use super::Conn;

/// An image as stored.
#[derive(Debug, Clone)]
pub struct MediaRow {
    pub id: i64,
    pub owner_actor_id: i64,
    /// The store key; files are `{key}.{extension}` and `{key}-thumb.{extension}`.
    pub storage_key: String,
    pub extension: String,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub created_at: i64,
}

#[derive(FromRow)]
struct MediaRecord {
    id: i64,
    owner_actor_id: i64,
    storage_key: String,
    extension: String,
    content_type: String,
    width: i64,
    height: i64,
    alt: String,
    created_at: i64,
}

impl From<MediaRecord> for MediaRow {
    fn from(r: MediaRecord) -> Self {
        MediaRow {
            id: r.id,
            owner_actor_id: r.owner_actor_id,
            storage_key: r.storage_key,
            extension: r.extension,
            content_type: r.content_type,
            width: u32::try_from(r.width).unwrap_or(0),
            height: u32::try_from(r.height).unwrap_or(0),
            alt: r.alt,
            created_at: r.created_at,
        }
    }
}

const COLUMNS: &str =
    "id, owner_actor_id, storage_key, extension, content_type, width, height, alt, created_at";

/// A new image's row.
pub struct NewMedia<'a> {
    pub owner_actor_id: i64,
    pub storage_key: &'a str,
    pub extension: &'a str,
    pub content_type: &'a str,
    pub width: u32,
    pub height: u32,
    pub alt: &'a str,
    pub now: i64,
}

pub async fn insert_media(conn: &mut Conn, m: &NewMedia<'_>) -> Result<MediaRow, sqlx::Error> {
    sqlx::query_as::<_, MediaRecord>(&format!(
        "INSERT INTO media (owner_actor_id, storage_key, extension, content_type, width, height, alt, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(m.owner_actor_id)
    .bind(m.storage_key)
    .bind(m.extension)
    .bind(m.content_type)
    .bind(i64::from(m.width))
    .bind(i64::from(m.height))
    .bind(m.alt)
    .bind(m.now)
    .fetch_one(conn)
    .await
    .map(MediaRow::from)
}

pub async fn find_media(conn: &mut Conn, id: i64) -> Result<Option<MediaRow>, sqlx::Error> {
    Ok(
        sqlx::query_as::<_, MediaRecord>(&format!("SELECT {COLUMNS} FROM media WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?
            .map(MediaRow::from),
    )
}

/// Sets the alt text of an image.
pub async fn update_media_alt(conn: &mut Conn, id: i64, alt: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE media SET alt = $1 WHERE id = $2")
        .bind(alt)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the row of `media` unless something still shows it: an announcement, an org logo or header, a scheduled announcement, an
/// event banner or an actor icon (those two hold the URL, which contains the key). Returns
/// whether the row went; its files are the caller's to remove then.
pub async fn delete_media_if_unused(
    conn: &mut Conn,
    media: &MediaRow,
) -> Result<bool, sqlx::Error> {
    // `media_ids` is a JSON array without spaces (`[3,14]`): `,3,14,` holds `,14,`.
    let in_json_list = format!("%,{},%", media.id);
    let in_url = format!("%/media/{}.%", media.storage_key);
    let done = sqlx::query(
        "DELETE FROM media WHERE id = $1 AND owner_actor_id = $2 \
         AND NOT EXISTS (SELECT 1 FROM announcement_media am WHERE am.media_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM org_images oi WHERE oi.media_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM scheduled_announcements s \
             WHERE ',' || REPLACE(REPLACE(s.media_ids, '[', ''), ']', '') || ',' LIKE $3) \
         AND NOT EXISTS (SELECT 1 FROM events e WHERE e.banner_url LIKE $4) \
         AND NOT EXISTS (SELECT 1 FROM actors a WHERE a.icon_url LIKE $4)",
    )
    .bind(media.id)
    .bind(media.owner_actor_id)
    .bind(in_json_list)
    .bind(in_url)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The images of an announcement, in order.
pub async fn list_announcement_media(
    conn: &mut Conn,
    announcement_id: i64,
) -> Result<Vec<MediaRow>, sqlx::Error> {
    Ok(sqlx::query_as::<_, MediaRecord>(
        "SELECT m.id, m.owner_actor_id, m.storage_key, m.extension, m.content_type, m.width, m.height, m.alt, m.created_at \
         FROM announcement_media am JOIN media m ON m.id = am.media_id \
         WHERE am.announcement_id = $1 ORDER BY am.position",
    )
    .bind(announcement_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(MediaRow::from)
    .collect())
}

/// Replaces the images of an announcement by `media_ids`, in that order.
pub async fn set_announcement_media(
    conn: &mut Conn,
    announcement_id: i64,
    media_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM announcement_media WHERE announcement_id = $1")
        .bind(announcement_id)
        .execute(&mut *conn)
        .await?;
    for (position, media_id) in media_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO announcement_media (announcement_id, position, media_id) VALUES ($1, $2, $3)",
        )
        .bind(announcement_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(*media_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
