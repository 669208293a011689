//! Comments (remote replies to our objects), comment closures and reactions (likes, boosts).
//! Listings join on `actors`, so the comments and reactions of a deleted remote actor vanish
//! with its actor row.

use sqlx::FromRow;

use super::announcements::{AnnouncementRecord, AnnouncementRow};
use super::{decode_flag, Conn};

/// A stored comment with its author's public names.
#[derive(Debug, Clone)]
pub struct CommentRow {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub owner_actor_id: i64,
    pub target_ap_id: String,
    pub parent_ap_id: String,
    pub url: Option<String>,
    pub content_html: String,
    pub summary: Option<String>,
    pub language: Option<String>,
    pub published: i64,
    pub updated: Option<i64>,
    pub hidden: bool,
    pub deleted_at: Option<i64>,
    pub author_ap_id: String,
    pub author_name: String,
    pub author_username: String,
    pub author_host: String,
    pub author_url: String,
}

/// A `comments` row (with its author's names) as stored: `hidden` as 0/1.
#[derive(FromRow)]
struct CommentRecord {
    id: i64,
    ap_id: String,
    actor_id: i64,
    owner_actor_id: i64,
    target_ap_id: String,
    parent_ap_id: String,
    url: Option<String>,
    content_html: String,
    summary: Option<String>,
    language: Option<String>,
    published: i64,
    updated: Option<i64>,
    hidden: i64,
    deleted_at: Option<i64>,
    author_ap_id: String,
    author_name: String,
    author_username: String,
    author_host: String,
    author_url: String,
}

impl TryFrom<CommentRecord> for CommentRow {
    type Error = sqlx::Error;

    fn try_from(r: CommentRecord) -> Result<Self, Self::Error> {
        Ok(CommentRow {
            id: r.id,
            ap_id: r.ap_id,
            actor_id: r.actor_id,
            owner_actor_id: r.owner_actor_id,
            target_ap_id: r.target_ap_id,
            parent_ap_id: r.parent_ap_id,
            url: r.url,
            content_html: r.content_html,
            summary: r.summary,
            language: r.language,
            published: r.published,
            updated: r.updated,
            hidden: decode_flag("comments.hidden", r.hidden)?,
            deleted_at: r.deleted_at,
            author_ap_id: r.author_ap_id,
            author_name: r.author_name,
            author_username: r.author_username,
            author_host: r.author_host,
            author_url: r.author_url,
        })
    }
}

const COLUMNS: &str =
    "c.id, c.ap_id, c.actor_id, c.owner_actor_id, c.target_ap_id, c.parent_ap_id, \
    c.url, c.content_html, c.summary, c.language, c.published, c.updated, c.hidden, c.deleted_at, \
    a.ap_id AS author_ap_id, a.name AS author_name, a.username AS author_username, \
    a.host AS author_host, a.url AS author_url";

/// A comment to insert.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub ap_id: &'a str,
    pub actor_id: i64,
    pub owner_actor_id: i64,
    pub target_ap_id: &'a str,
    pub parent_ap_id: &'a str,
    pub url: Option<&'a str>,
    pub content_html: &'a str,
    pub summary: Option<&'a str>,
    pub language: Option<&'a str>,
    pub published: i64,
    pub updated: Option<i64>,
}

/// Inserts a comment; false when its id is already known (also a deleted one).
pub async fn insert_comment(
    conn: &mut Conn,
    c: &NewComment<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO comments (ap_id, actor_id, owner_actor_id, target_ap_id, parent_ap_id, url, \
         content_html, summary, language, published, updated, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (ap_id) DO NOTHING",
    )
    .bind(c.ap_id)
    .bind(c.actor_id)
    .bind(c.owner_actor_id)
    .bind(c.target_ap_id)
    .bind(c.parent_ap_id)
    .bind(c.url)
    .bind(c.content_html)
    .bind(c.summary)
    .bind(c.language)
    .bind(c.published)
    .bind(c.updated)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Applies an edit of a live comment by its author; false when nothing changed.
pub async fn update_comment_content(
    conn: &mut Conn,
    ap_id: &str,
    actor_id: i64,
    content_html: &str,
    summary: Option<&str>,
    language: Option<&str>,
    updated: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE comments SET content_html = $1, summary = $2, language = $3, updated = $4 \
         WHERE ap_id = $5 AND actor_id = $6 AND deleted_at IS NULL",
    )
    .bind(content_html)
    .bind(summary)
    .bind(language)
    .bind(updated)
    .bind(ap_id)
    .bind(actor_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A comment by its AP id (deleted ones too), while its author is known.
pub async fn find_comment_by_ap_id(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<CommentRow>, sqlx::Error> {
    sqlx::query_as::<_, CommentRecord>(&format!(
        "SELECT {COLUMNS} FROM comments c JOIN actors a ON a.id = c.actor_id WHERE c.ap_id = $1"
    ))
    .bind(ap_id)
    .fetch_optional(conn)
    .await?
    .map(CommentRow::try_from)
    .transpose()
}

pub async fn find_comment(conn: &mut Conn, id: i64) -> Result<Option<CommentRow>, sqlx::Error> {
    sqlx::query_as::<_, CommentRecord>(&format!(
        "SELECT {COLUMNS} FROM comments c JOIN actors a ON a.id = c.actor_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(CommentRow::try_from)
    .transpose()
}

/// Any row with this id, deleted or not, author present or not: ids are never reused.
pub async fn comment_id_known(conn: &mut Conn, ap_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE ap_id = $1")
        .bind(ap_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Blanks a comment and keeps its id as a tombstone. `actor_id` limits it to the author's own
/// comments (a remote Delete); `None` is a moderator's delete.
pub async fn mark_comment_deleted(
    conn: &mut Conn,
    ap_id: &str,
    actor_id: Option<i64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE comments SET deleted_at = $1, content_html = '', summary = NULL \
         WHERE ap_id = $2 AND deleted_at IS NULL AND ($3 = 0 OR actor_id = $4)",
    )
    .bind(now)
    .bind(ap_id)
    .bind(actor_id.is_some() as i64)
    .bind(actor_id.unwrap_or(0))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_comment_hidden(
    conn: &mut Conn,
    id: i64,
    hidden: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE comments SET hidden = $1 WHERE id = $2 AND deleted_at IS NULL")
        .bind(hidden as i64)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// One page of the visible thread under `target_ap_id`: `roots_limit` direct replies to the
/// object from `roots_offset` on (oldest first), with every visible reply below them, at most
/// `max_rows` comments in all, oldest first. A reply below a hidden or deleted comment is left
/// out with it, since the walk only goes through visible comments.
pub async fn list_visible_thread_page(
    conn: &mut Conn,
    target_ap_id: &str,
    roots_limit: i64,
    roots_offset: i64,
    max_rows: i64,
    max_depth: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    // `WITH RECURSIVE` and a LIMIT inside a subquery of the anchor work on SQLite and
    // PostgreSQL alike; UNION (not UNION ALL) ends the walk even if ids ever formed a cycle.
    // Comments of suspended or limited actors (or limited domains) are left out with their
    // replies, like hidden ones: object pages are public views.
    let hidden = super::domain_policies::HIDDEN_ACTOR_IDS;
    sqlx::query_as::<_, CommentRecord>(&format!(
        "WITH RECURSIVE tree(ap_id, depth) AS ( \
           SELECT ap_id, 0 FROM (SELECT r.ap_id FROM comments r \
             WHERE r.target_ap_id = $1 AND r.parent_ap_id = $1 \
               AND r.hidden = 0 AND r.deleted_at IS NULL AND r.actor_id NOT IN {hidden} \
             ORDER BY r.published, r.id LIMIT $2 OFFSET $3) roots \
           UNION \
           SELECT k.ap_id, tree.depth + 1 FROM comments k JOIN tree ON k.parent_ap_id = tree.ap_id \
             WHERE k.target_ap_id = $1 AND k.hidden = 0 AND k.deleted_at IS NULL \
               AND k.actor_id NOT IN {hidden} AND tree.depth < $5) \
         SELECT {COLUMNS} FROM comments c JOIN actors a ON a.id = c.actor_id \
         WHERE c.target_ap_id = $1 AND c.ap_id IN (SELECT ap_id FROM tree) \
         ORDER BY c.published, c.id LIMIT $4"
    ))
    .bind(target_ap_id)
    .bind(roots_limit)
    .bind(roots_offset)
    .bind(max_rows)
    .bind(max_depth)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(CommentRow::try_from)
    .collect()
}

/// Visible direct replies to an object (ours or a comment), oldest first.
pub async fn list_visible_replies(
    conn: &mut Conn,
    parent_ap_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    sqlx::query_as::<_, CommentRecord>(&format!(
        "SELECT {COLUMNS} FROM comments c JOIN actors a ON a.id = c.actor_id \
         WHERE c.parent_ap_id = $1 AND c.hidden = 0 AND c.deleted_at IS NULL AND {} \
         ORDER BY c.published, c.id LIMIT $2 OFFSET $3",
        super::domain_policies::shown_actor("a")
    ))
    .bind(parent_ap_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(CommentRow::try_from)
    .collect()
}

pub async fn count_visible_replies(
    conn: &mut Conn,
    parent_ap_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM comments c JOIN actors a ON a.id = c.actor_id \
         WHERE c.parent_ap_id = $1 AND c.hidden = 0 AND c.deleted_at IS NULL AND {}",
        super::domain_policies::shown_actor("a")
    ))
    .bind(parent_ap_id)
    .fetch_one(conn)
    .await
}

/// Live comments (hidden ones too) on the objects of a local owner, newest first; optionally
/// only those under one object. For moderators.
pub async fn list_owner_comments(
    conn: &mut Conn,
    owner_actor_id: i64,
    target_ap_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    sqlx::query_as::<_, CommentRecord>(&format!(
        "SELECT {COLUMNS} FROM comments c JOIN actors a ON a.id = c.actor_id \
         WHERE c.owner_actor_id = $1 AND c.deleted_at IS NULL AND ($2 = '' OR c.target_ap_id = $3) \
         ORDER BY c.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind(owner_actor_id)
    .bind(target_ap_id.unwrap_or(""))
    .bind(target_ap_id.unwrap_or(""))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(CommentRow::try_from)
    .collect()
}

/// Who may reply to an object, as stored: `None` (anyone), `closed` or `followers`.
pub async fn find_reply_mode(
    conn: &mut Conn,
    object_ap_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT mode FROM comment_closures WHERE object_ap_id = $1")
        .bind(object_ap_id)
        .fetch_optional(conn)
        .await
}

/// Stores who may reply to an object: `None` opens it to anyone.
pub async fn set_reply_mode(
    conn: &mut Conn,
    object_ap_id: &str,
    mode: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    match mode {
        Some(mode) => {
            sqlx::query(
                "INSERT INTO comment_closures (object_ap_id, closed_at, mode) VALUES ($1, $2, $3) \
                 ON CONFLICT (object_ap_id) DO UPDATE SET mode = excluded.mode",
            )
            .bind(object_ap_id)
            .bind(now)
            .bind(mode)
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM comment_closures WHERE object_ap_id = $1")
                .bind(object_ap_id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// The local actor that published an object: the actor of a still-public `Create` of it (every
/// object we federate is created through the outbox), else a local actor with that id.
pub async fn find_local_object_owner(
    conn: &mut Conn,
    object_ap_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let by_create: Option<i64> = sqlx::query_scalar(
        "SELECT actor_id FROM outgoing_activities \
         WHERE object_ap_id = $1 AND kind = 'Create' AND public = 1 ORDER BY id LIMIT 1",
    )
    .bind(object_ap_id)
    .fetch_optional(&mut *conn)
    .await?;
    if by_create.is_some() {
        return Ok(by_create);
    }
    sqlx::query_scalar("SELECT id FROM actors WHERE ap_id = $1 AND local = 1")
        .bind(object_ap_id)
        .fetch_optional(conn)
        .await
}

/// Records a like or boost; false when this actor already had one on the object.
pub async fn insert_reaction(
    conn: &mut Conn,
    kind: &str,
    actor_id: i64,
    object_ap_id: &str,
    activity_ap_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO reactions (kind, actor_id, object_ap_id, activity_ap_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, actor_id, object_ap_id) DO NOTHING",
    )
    .bind(kind)
    .bind(actor_id)
    .bind(object_ap_id)
    .bind(activity_ap_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes an actor's reaction named by its activity id or by its object; true when removed.
pub async fn delete_reaction(
    conn: &mut Conn,
    kind: &str,
    actor_id: i64,
    activity_ap_id: &str,
    object_ap_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM reactions WHERE kind = $1 AND actor_id = $2 \
         AND (activity_ap_id = $3 OR object_ap_id = $4)",
    )
    .bind(kind)
    .bind(actor_id)
    .bind(activity_ap_id)
    .bind(object_ap_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Reactions of a kind on an object, by actors still known.
pub async fn count_reactions(
    conn: &mut Conn,
    object_ap_id: &str,
    kind: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM reactions r JOIN actors a ON a.id = r.actor_id \
         WHERE r.object_ap_id = $1 AND r.kind = $2",
    )
    .bind(object_ap_id)
    .bind(kind)
    .fetch_one(conn)
    .await
}

/// Who reacted with `kind` to an object, newest first (actors still known).
#[derive(Debug, Clone, FromRow)]
pub struct ReactorRow {
    pub name: String,
    pub username: String,
    pub host: String,
    pub url: String,
    pub created_at: i64,
}

pub async fn list_reactors(
    conn: &mut Conn,
    object_ap_id: &str,
    kind: &str,
    limit: i64,
) -> Result<Vec<ReactorRow>, sqlx::Error> {
    sqlx::query_as::<_, ReactorRow>(
        "SELECT a.name, a.username, a.host, a.url, r.created_at FROM reactions r \
         JOIN actors a ON a.id = r.actor_id \
         WHERE r.object_ap_id = $1 AND r.kind = $2 ORDER BY r.id DESC LIMIT $3",
    )
    .bind(object_ap_id)
    .bind(kind)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Live announcements of the whole instance a moderator did not hide, newest first (the
/// instance Atom feed).
pub async fn list_recent_announcements(
    conn: &mut Conn,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, sqlx::Error> {
    // Every column: the row type belongs to `db::announcements` and grows with it.
    // Suspended and limited organizations stay out of the instance feed, as out of the pages.
    let sql = format!(
        "SELECT * FROM announcements WHERE deleted_at IS NULL AND hidden = 0 AND org_id IN \
         (SELECT o.id FROM orgs o JOIN actors a ON a.id = o.actor_id WHERE {}) \
         ORDER BY id DESC LIMIT $1",
        super::domain_policies::shown_actor("a")
    );
    sqlx::query_as::<_, AnnouncementRecord>(&sql)
        .bind(limit)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(AnnouncementRow::try_from)
        .collect()
}
