//! SQL for moderators' actions (issue 9): actors' suspension and limits, the moderation-hidden
//! flag of single objects, an account's content as the moderation page lists it, and the bulk
//! removal of a suspended remote actor's content. The log is `db::moderation_log`.

use sqlx::FromRow;

use super::{decode_flag, Conn};

/// The kinds of object a moderator acts on, each with its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// A local organization's announcement (`announcements`).
    Announcement,
    /// An event, local or remote (`events`).
    Event,
    /// A local project (`projects`).
    Project,
    /// A reply to one of our objects (`comments`).
    Comment,
    /// A remote actor's note (`remote_notes`).
    RemoteNote,
    /// A remote project (`remote_projects`).
    RemoteProject,
}

impl ContentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Announcement => "announcement",
            ContentKind::Event => "event",
            ContentKind::Project => "project",
            ContentKind::Comment => "comment",
            ContentKind::RemoteNote => "note",
            ContentKind::RemoteProject => "remote-project",
        }
    }
}

/// One object of an account, as the moderation page lists it. `ap_id` is `None` for local
/// rows whose id derives from the row id (announcements, local events).
#[derive(Debug, Clone)]
pub struct ContentRow {
    pub kind: ContentKind,
    pub id: i64,
    pub ap_id: Option<String>,
    /// The title, name or (HTML) content.
    pub text: String,
    pub hidden: bool,
    pub local: bool,
}

#[derive(FromRow)]
struct ContentRecord {
    id: i64,
    ap_id: Option<String>,
    text: String,
    hidden: i64,
    local: i64,
}

/// An account's live objects of one kind, newest first.
pub async fn list_actor_content(
    conn: &mut Conn,
    kind: ContentKind,
    actor_id: i64,
    limit: i64,
) -> Result<Vec<ContentRow>, sqlx::Error> {
    let sql = match kind {
        ContentKind::Announcement => {
            "SELECT a.id, NULL AS ap_id, a.content_html AS text, a.hidden, 1 AS local \
             FROM announcements a JOIN orgs o ON o.id = a.org_id \
             WHERE o.actor_id = $1 AND a.deleted_at IS NULL ORDER BY a.id DESC LIMIT $2"
        }
        ContentKind::Event => {
            "SELECT id, ap_id, title AS text, hidden, local FROM events \
             WHERE actor_id = $1 AND deleted_at IS NULL ORDER BY id DESC LIMIT $2"
        }
        ContentKind::Project => {
            "SELECT p.id, a.ap_id, p.name AS text, p.hidden, 1 AS local \
             FROM projects p JOIN orgs o ON o.id = p.org_id JOIN actors a ON a.id = p.actor_id \
             WHERE o.actor_id = $1 AND p.deleted_at IS NULL ORDER BY p.id DESC LIMIT $2"
        }
        ContentKind::Comment => {
            "SELECT id, ap_id, content_html AS text, hidden, 0 AS local FROM comments \
             WHERE actor_id = $1 AND deleted_at IS NULL ORDER BY id DESC LIMIT $2"
        }
        ContentKind::RemoteNote => {
            "SELECT id, ap_id, content_html AS text, hidden, 0 AS local FROM remote_notes \
             WHERE actor_id = $1 AND deleted_at IS NULL ORDER BY id DESC LIMIT $2"
        }
        ContentKind::RemoteProject => {
            "SELECT id, ap_id, name AS text, hidden, 0 AS local FROM remote_projects \
             WHERE actor_id = $1 ORDER BY id DESC LIMIT $2"
        }
    };
    let records = sqlx::query_as::<_, ContentRecord>(sql)
        .bind(actor_id)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    records
        .into_iter()
        .map(|r| {
            Ok(ContentRow {
                kind,
                id: r.id,
                ap_id: r.ap_id,
                text: r.text,
                hidden: decode_flag("hidden", r.hidden)?,
                local: decode_flag("local", r.local)?,
            })
        })
        .collect()
}

/// Hides (or shows again) one object everywhere public; false when there is no live row.
pub async fn set_content_hidden(
    conn: &mut Conn,
    kind: ContentKind,
    id: i64,
    hidden: bool,
) -> Result<bool, sqlx::Error> {
    let sql = match kind {
        ContentKind::Announcement => {
            "UPDATE announcements SET hidden = $1 WHERE id = $2 AND deleted_at IS NULL"
        }
        ContentKind::Event => "UPDATE events SET hidden = $1 WHERE id = $2 AND deleted_at IS NULL",
        ContentKind::Project => {
            "UPDATE projects SET hidden = $1 WHERE id = $2 AND deleted_at IS NULL"
        }
        ContentKind::Comment => {
            "UPDATE comments SET hidden = $1 WHERE id = $2 AND deleted_at IS NULL"
        }
        ContentKind::RemoteNote => {
            "UPDATE remote_notes SET hidden = $1 WHERE id = $2 AND deleted_at IS NULL"
        }
        ContentKind::RemoteProject => "UPDATE remote_projects SET hidden = $1 WHERE id = $2",
    };
    let done = sqlx::query(sql)
        .bind(i64::from(hidden))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether a moderator hid the object (false for unknown rows).
pub async fn is_content_hidden(
    conn: &mut Conn,
    kind: ContentKind,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let sql = match kind {
        ContentKind::Announcement => "SELECT hidden FROM announcements WHERE id = $1",
        ContentKind::Event => "SELECT hidden FROM events WHERE id = $1",
        ContentKind::Project => "SELECT hidden FROM projects WHERE id = $1",
        ContentKind::Comment => "SELECT hidden FROM comments WHERE id = $1",
        ContentKind::RemoteNote => "SELECT hidden FROM remote_notes WHERE id = $1",
        ContentKind::RemoteProject => "SELECT hidden FROM remote_projects WHERE id = $1",
    };
    let flag: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    flag.map_or(Ok(false), |f| decode_flag("hidden", f))
}

/// The local project whose actor is `actor_id` (live or not): its row id.
pub async fn find_project_id_by_actor(
    conn: &mut Conn,
    actor_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM projects WHERE actor_id = $1 AND deleted_at IS NULL")
        .bind(actor_id)
        .fetch_optional(conn)
        .await
}

/// Sets or clears an actor's suspension (and the time its data is purged, for local ones).
pub async fn set_actor_suspension(
    conn: &mut Conn,
    actor_id: i64,
    suspended_at: Option<i64>,
    purge_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE actors SET suspended_at = $1, purge_at = $2 WHERE id = $3")
        .bind(suspended_at)
        .bind(purge_at)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Limits an actor (absent from public and regional views) or lifts the limit.
pub async fn set_actor_limited(
    conn: &mut Conn,
    actor_id: i64,
    limited: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE actors SET limited = $1 WHERE id = $2")
        .bind(i64::from(limited))
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// When a suspended local actor's data is purged (`None`: not due, or purged already).
pub async fn find_actor_purge_at(
    conn: &mut Conn,
    actor_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let at: Option<Option<i64>> = sqlx::query_scalar("SELECT purge_at FROM actors WHERE id = $1")
        .bind(actor_id)
        .fetch_optional(conn)
        .await?;
    Ok(at.flatten())
}

/// Suspended local actors whose data is due to be purged at `now`.
pub async fn list_purge_due(conn: &mut Conn, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM actors WHERE local = 1 AND suspended_at IS NOT NULL \
         AND purge_at IS NOT NULL AND purge_at <= $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(conn)
    .await
}

/// The person (user) whose actor is `actor_id`, if any.
pub async fn find_user_id_by_actor(
    conn: &mut Conn,
    actor_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE actor_id = $1")
        .bind(actor_id)
        .fetch_optional(conn)
        .await
}

/// Removes every follow from or of an actor (a suspended remote actor's ties to us).
pub async fn delete_actor_follows(conn: &mut Conn, actor_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM follows WHERE follower_id = $1 OR target_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes every comment of a (remote) actor here, keeping the ids (a redelivery cannot bring
/// them back).
pub async fn delete_actor_comments(
    conn: &mut Conn,
    actor_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE comments SET deleted_at = $1, content_html = '', summary = NULL \
         WHERE actor_id = $2 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(actor_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes every stored note of a remote actor here.
pub async fn delete_actor_notes(
    conn: &mut Conn,
    actor_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE remote_notes SET deleted_at = $1, content_html = '', summary = NULL, \
         tags = '[]', about = NULL WHERE actor_id = $2 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(actor_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes every stored event of a remote actor here.
pub async fn delete_actor_remote_events(
    conn: &mut Conn,
    actor_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE events SET deleted_at = $1, description_md = '', description_html = '', \
         remote_summary = NULL, uid = NULL WHERE actor_id = $2 AND local = 0 \
         AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(actor_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes every stored project of a remote actor here.
pub async fn delete_actor_remote_projects(
    conn: &mut Conn,
    actor_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM remote_projects WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Actors (not the instance actor) whose handle, host or name contains `q`, local first.
pub async fn search_actor_ids(
    conn: &mut Conn,
    q: &str,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    sqlx::query_scalar(
        "SELECT id FROM actors WHERE kind <> 'Application' AND \
         (LOWER(username) LIKE $1 ESCAPE '\\' OR LOWER(host) LIKE $1 ESCAPE '\\' \
          OR LOWER(name) LIKE $1 ESCAPE '\\') \
         ORDER BY local DESC, host, username LIMIT $2",
    )
    .bind(pattern)
    .bind(limit)
    .fetch_all(conn)
    .await
}
