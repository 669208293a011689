//! Notes received from actors that local people follow.

use sqlx::FromRow;

use super::{decode_json, decode_name, encode_list, Conn};

stored_names! {
    /// A note's visibility, as Mastodon derives it from the addressing (OB-10).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Visibility {
        /// Public in `to`.
        Public = "public",
        /// Public only in `cc`: shown to anyone who opens it, left out of public listings.
        Unlisted = "unlisted",
        /// The sender's followers collection in `to`, no Public.
        Followers = "followers",
        /// Only the actors named in `to`/`cc` (Mastodon's direct and limited posts).
        Direct = "direct",
    }
}

impl Visibility {
    /// Public and unlisted posts may be shown to anyone; only they become comments.
    pub fn is_public(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Unlisted)
    }
}

#[derive(Debug, Clone)]
pub struct RemoteNoteRow {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub content_html: String,
    pub summary: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub in_reply_to: Option<String>,
    pub tags: Vec<String>,
    pub published: i64,
    pub updated: Option<i64>,
    pub deleted_at: Option<i64>,
    pub received_at: i64,
    /// The note's `context`: the event or project it is about.
    pub about: Option<String>,
    pub visibility: Visibility,
}

/// A `remote_notes` row as stored: tags as JSON text, the visibility as its name.
#[derive(FromRow)]
struct RemoteNoteRecord {
    id: i64,
    ap_id: String,
    actor_id: i64,
    content_html: String,
    summary: Option<String>,
    language: Option<String>,
    url: Option<String>,
    in_reply_to: Option<String>,
    tags: String,
    published: i64,
    updated: Option<i64>,
    deleted_at: Option<i64>,
    received_at: i64,
    about: Option<String>,
    visibility: String,
}

impl TryFrom<RemoteNoteRecord> for RemoteNoteRow {
    type Error = sqlx::Error;

    fn try_from(r: RemoteNoteRecord) -> Result<Self, Self::Error> {
        Ok(RemoteNoteRow {
            id: r.id,
            ap_id: r.ap_id,
            actor_id: r.actor_id,
            content_html: r.content_html,
            summary: r.summary,
            language: r.language,
            url: r.url,
            in_reply_to: r.in_reply_to,
            tags: decode_json("remote_notes.tags", &r.tags)?,
            published: r.published,
            updated: r.updated,
            deleted_at: r.deleted_at,
            received_at: r.received_at,
            about: r.about,
            visibility: decode_name("remote_notes.visibility", &r.visibility)?,
        })
    }
}

const COLUMNS: &str = "id, ap_id, actor_id, content_html, summary, language, url, in_reply_to, tags, published, updated, deleted_at, received_at, about, visibility";

#[derive(Debug, Clone)]
pub struct NewRemoteNote {
    pub ap_id: String,
    pub actor_id: i64,
    pub content_html: String,
    pub summary: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub in_reply_to: Option<String>,
    pub tags: Vec<String>,
    pub published: i64,
    pub updated: Option<i64>,
    pub about: Option<String>,
    /// Set once, never by an edit (Mastodon does not let an Update change a post's
    /// visibility).
    pub visibility: Visibility,
}

/// Stores a new note and returns its id; a note id seen before (even deleted) is left alone
/// (`None`).
pub async fn insert_remote_note(
    conn: &mut Conn,
    n: &NewRemoteNote,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO remote_notes (ap_id, actor_id, content_html, summary, language, url, in_reply_to, tags, published, updated, received_at, about, visibility) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (ap_id) DO NOTHING RETURNING id",
    )
    .bind(&n.ap_id)
    .bind(n.actor_id)
    .bind(&n.content_html)
    .bind(&n.summary)
    .bind(&n.language)
    .bind(&n.url)
    .bind(&n.in_reply_to)
    .bind(encode_list(&n.tags))
    .bind(n.published)
    .bind(n.updated)
    .bind(now)
    .bind(&n.about)
    .bind(n.visibility.as_str())
    .fetch_optional(conn)
    .await
}

/// Records the local actors a note is addressed to.
pub async fn insert_note_recipients(
    conn: &mut Conn,
    note_id: i64,
    actor_ids: &[i64],
) -> Result<(), sqlx::Error> {
    for actor_id in actor_ids {
        sqlx::query(
            "INSERT INTO remote_note_recipients (note_id, actor_id) VALUES ($1, $2) \
             ON CONFLICT (note_id, actor_id) DO NOTHING",
        )
        .bind(note_id)
        .bind(actor_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Applies an edit if it is newer than what is stored (Mastodon OB-15).
pub async fn update_remote_note(conn: &mut Conn, n: &NewRemoteNote) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE remote_notes SET content_html = $1, summary = $2, language = $3, url = $4, tags = $5, updated = $6, about = $10 \
         WHERE ap_id = $7 AND actor_id = $8 AND deleted_at IS NULL AND COALESCE(updated, published) < $9",
    )
    .bind(&n.content_html)
    .bind(&n.summary)
    .bind(&n.language)
    .bind(&n.url)
    .bind(encode_list(&n.tags))
    .bind(n.updated)
    .bind(&n.ap_id)
    .bind(n.actor_id)
    .bind(n.updated.unwrap_or(n.published))
    .bind(&n.about)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Marks a note deleted and clears its content; the id stays known so a late Create cannot
/// bring it back (Mastodon OB-16).
pub async fn mark_remote_note_deleted(
    conn: &mut Conn,
    ap_id: &str,
    actor_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE remote_notes SET deleted_at = $1, content_html = '', summary = NULL, tags = '[]', about = NULL \
         WHERE ap_id = $2 AND actor_id = $3 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(ap_id)
    .bind(actor_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn find_remote_note(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<RemoteNoteRow>, sqlx::Error> {
    sqlx::query_as::<_, RemoteNoteRecord>(&format!(
        "SELECT {COLUMNS} FROM remote_notes WHERE ap_id = $1"
    ))
    .bind(ap_id)
    .fetch_optional(conn)
    .await?
    .map(RemoteNoteRow::try_from)
    .transpose()
}

/// A timeline entry: the note and who wrote it.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    pub ap_id: String,
    pub actor_ap_id: String,
    pub content_html: String,
    pub language: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub published: i64,
    pub updated: Option<i64>,
    pub about: Option<String>,
}

/// A timeline entry as stored: tags as JSON text.
#[derive(FromRow)]
struct TimelineRecord {
    ap_id: String,
    actor_ap_id: String,
    content_html: String,
    language: Option<String>,
    url: Option<String>,
    tags: String,
    published: i64,
    updated: Option<i64>,
    about: Option<String>,
}

impl TryFrom<TimelineRecord> for TimelineRow {
    type Error = sqlx::Error;

    fn try_from(r: TimelineRecord) -> Result<Self, Self::Error> {
        Ok(TimelineRow {
            ap_id: r.ap_id,
            actor_ap_id: r.actor_ap_id,
            content_html: r.content_html,
            language: r.language,
            url: r.url,
            tags: decode_json("remote_notes.tags", &r.tags)?,
            published: r.published,
            updated: r.updated,
            about: r.about,
        })
    }
}

/// Live notes of the actors a local actor follows, newest first: those addressed to the
/// public (public, unlisted), to the sender's followers (which the reader is one of), or to
/// the reader by name. A direct note to someone else never shows. A limited actor's notes
/// still reach its followers here; a suspended one's do not, nor notes a moderator hid.
pub async fn list_timeline(
    conn: &mut Conn,
    follower_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<TimelineRow>, sqlx::Error> {
    sqlx::query_as::<_, TimelineRecord>(
        "SELECT n.ap_id, a.ap_id AS actor_ap_id, n.content_html, n.language, n.url, n.tags, n.published, n.updated, n.about \
         FROM remote_notes n JOIN actors a ON a.id = n.actor_id \
         JOIN follows f ON f.target_id = n.actor_id AND f.follower_id = $1 AND f.state = 'accepted' \
         WHERE n.deleted_at IS NULL AND n.hidden = 0 AND a.suspended_at IS NULL \
         AND (n.visibility IN ('public', 'unlisted', 'followers') \
              OR EXISTS (SELECT 1 FROM remote_note_recipients r WHERE r.note_id = n.id AND r.actor_id = $1)) \
         ORDER BY n.published DESC, n.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(follower_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(TimelineRow::try_from)
    .collect()
}
