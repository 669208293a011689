//! Actors, local and remote: the one table WebFinger, signatures and delivery read from.

use sqlx::FromRow;

use super::Conn;

#[derive(Debug, Clone, FromRow)]
pub struct ActorRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub local: i64,
    pub local_username: Option<String>,
    pub username: String,
    pub host: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub icon_url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: String,
    pub followers: String,
    pub following: String,
    pub key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub manually_approves: i64,
    pub discoverable: i64,
    pub fields: String,
    pub published: i64,
    pub updated: i64,
    pub fetched_at: i64,
}

const COLUMNS: &str =
    "id, ap_id, kind, local, local_username, username, host, name, summary, url, icon_url, \
    inbox, shared_inbox, outbox, followers, following, key_id, public_key_pem, private_key_pem, \
    manually_approves, discoverable, fields, published, updated, fetched_at";

/// Everything needed to insert or refresh an actor.
#[derive(Debug, Clone)]
pub struct NewActor {
    pub ap_id: String,
    pub kind: String,
    pub local: bool,
    pub username: String,
    pub host: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub icon_url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: String,
    pub followers: String,
    pub following: String,
    pub key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub manually_approves: bool,
    pub discoverable: bool,
    pub fields: String,
    pub published: i64,
}

pub async fn insert_actor(
    conn: &mut Conn,
    a: &NewActor,
    now: i64,
) -> Result<ActorRow, sqlx::Error> {
    let local_username = a.local.then(|| a.username.to_ascii_lowercase());
    sqlx::query_as::<_, ActorRow>(&format!(
        "INSERT INTO actors (ap_id, kind, local, local_username, username, host, name, summary, url, icon_url, \
         inbox, shared_inbox, outbox, followers, following, key_id, public_key_pem, private_key_pem, \
         manually_approves, discoverable, fields, published, updated, fetched_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) \
         RETURNING {COLUMNS}"
    ))
    .bind(&a.ap_id)
    .bind(&a.kind)
    .bind(a.local as i64)
    .bind(local_username)
    .bind(&a.username)
    .bind(&a.host)
    .bind(&a.name)
    .bind(&a.summary)
    .bind(&a.url)
    .bind(&a.icon_url)
    .bind(&a.inbox)
    .bind(&a.shared_inbox)
    .bind(&a.outbox)
    .bind(&a.followers)
    .bind(&a.following)
    .bind(&a.key_id)
    .bind(&a.public_key_pem)
    .bind(&a.private_key_pem)
    .bind(a.manually_approves as i64)
    .bind(a.discoverable as i64)
    .bind(&a.fields)
    .bind(a.published)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Inserts a remote actor or refreshes the stored copy (by `ap_id`).
pub async fn upsert_remote_actor(
    conn: &mut Conn,
    a: &NewActor,
    now: i64,
) -> Result<ActorRow, sqlx::Error> {
    sqlx::query_as::<_, ActorRow>(&format!(
        "INSERT INTO actors (ap_id, kind, local, local_username, username, host, name, summary, url, icon_url, \
         inbox, shared_inbox, outbox, followers, following, key_id, public_key_pem, private_key_pem, \
         manually_approves, discoverable, fields, published, updated, fetched_at) \
         VALUES ($1, $2, 0, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL, $16, $17, $18, $19, $20, $20) \
         ON CONFLICT (ap_id) DO UPDATE SET kind = excluded.kind, username = excluded.username, \
         name = excluded.name, summary = excluded.summary, url = excluded.url, icon_url = excluded.icon_url, \
         inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, outbox = excluded.outbox, \
         followers = excluded.followers, following = excluded.following, key_id = excluded.key_id, \
         public_key_pem = excluded.public_key_pem, manually_approves = excluded.manually_approves, \
         discoverable = excluded.discoverable, fields = excluded.fields, updated = excluded.updated, \
         fetched_at = excluded.fetched_at \
         RETURNING {COLUMNS}"
    ))
    .bind(&a.ap_id)
    .bind(&a.kind)
    .bind(&a.username)
    .bind(&a.host)
    .bind(&a.name)
    .bind(&a.summary)
    .bind(&a.url)
    .bind(&a.icon_url)
    .bind(&a.inbox)
    .bind(&a.shared_inbox)
    .bind(&a.outbox)
    .bind(&a.followers)
    .bind(&a.following)
    .bind(&a.key_id)
    .bind(&a.public_key_pem)
    .bind(a.manually_approves as i64)
    .bind(a.discoverable as i64)
    .bind(&a.fields)
    .bind(a.published)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn find_actor_by_ap_id(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRow>(&format!("SELECT {COLUMNS} FROM actors WHERE ap_id = $1"))
        .bind(ap_id)
        .fetch_optional(conn)
        .await
}

pub async fn find_actor_by_id(conn: &mut Conn, id: i64) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRow>(&format!("SELECT {COLUMNS} FROM actors WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_actor_by_key_id(
    conn: &mut Conn,
    key_id: &str,
) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRow>(&format!(
        "SELECT {COLUMNS} FROM actors WHERE key_id = $1 ORDER BY id LIMIT 1"
    ))
    .bind(key_id)
    .fetch_optional(conn)
    .await
}

/// A local actor by its WebFinger name (case-insensitive).
pub async fn find_local_actor_by_username(
    conn: &mut Conn,
    username: &str,
) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRow>(&format!(
        "SELECT {COLUMNS} FROM actors WHERE local_username = $1"
    ))
    .bind(username.to_ascii_lowercase())
    .fetch_optional(conn)
    .await
}

pub async fn update_actor_profile(
    conn: &mut Conn,
    id: i64,
    name: &str,
    summary: &str,
    manually_approves: bool,
    fields: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE actors SET name = $1, summary = $2, manually_approves = $3, fields = $4, updated = $5 WHERE id = $6")
        .bind(name)
        .bind(summary)
        .bind(manually_approves as i64)
        .bind(fields)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a remote actor that deleted itself, with everything that refers to it: follows in
/// both directions, its notes, its remote events (and their participants) and projects, its
/// reactions and remaining participations. Its comments stay as tombstones (content blanked) so
/// a redelivered `Create` cannot bring them back (Mastodon OB-16). Run it in a transaction: on
/// PostgreSQL and on SQLite (`PRAGMA foreign_keys = ON`) the actor row goes last, after every
/// row that references it. A table that references `actors` must be cleared here too.
pub async fn delete_remote_actor(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    let by_actor = [
        "DELETE FROM follows WHERE follower_id = $1 OR target_id = $1",
        "DELETE FROM remote_note_recipients \
         WHERE note_id IN (SELECT id FROM remote_notes WHERE actor_id = $1)",
        "DELETE FROM remote_notes WHERE actor_id = $1",
        "DELETE FROM event_participants WHERE actor_id = $1 \
         OR event_id IN (SELECT id FROM events WHERE actor_id = $1 AND local = 0)",
        "DELETE FROM events WHERE actor_id = $1 AND local = 0",
        "DELETE FROM remote_projects WHERE actor_id = $1",
        "DELETE FROM reactions WHERE actor_id = $1",
    ];
    for sql in by_actor {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    sqlx::query(
        "UPDATE comments SET deleted_at = $1, content_html = '', summary = NULL \
         WHERE actor_id = $2 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM actors WHERE id = $1 AND local = 0")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn count_local_people(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM actors WHERE local = 1 AND kind = 'Person'")
        .fetch_one(conn)
        .await
}
