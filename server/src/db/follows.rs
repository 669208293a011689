//! Follow relationships, in both directions (remote → local and local → remote).

use serde::Serialize;
use sqlx::FromRow;

use super::{decode_name, Conn};

stored_names! {
    /// Where a follow stands: `pending` until the followed side accepts, then `accepted`.
    /// `rejected` is only ever answered, never stored (a refused follow has no row). Stored and
    /// served by its name (`as_str`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FollowState {
        Pending = "pending",
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

/// A follow, in either direction.
#[derive(Debug, Clone)]
pub struct FollowRow {
    pub id: i64,
    pub follower_id: i64,
    pub target_id: i64,
    pub ap_id: String,
    pub state: FollowState,
    pub created_at: i64,
}

/// A `follows` row as stored: the state as its name.
#[derive(FromRow)]
struct FollowRecord {
    id: i64,
    follower_id: i64,
    target_id: i64,
    ap_id: String,
    state: String,
    created_at: i64,
}

impl TryFrom<FollowRecord> for FollowRow {
    type Error = sqlx::Error;

    fn try_from(r: FollowRecord) -> Result<Self, Self::Error> {
        Ok(FollowRow {
            id: r.id,
            follower_id: r.follower_id,
            target_id: r.target_id,
            ap_id: r.ap_id,
            state: decode_name("follows.state", &r.state)?,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str = "id, follower_id, target_id, ap_id, state, created_at";

/// Creates the relationship or, when it exists, stores the new Follow id (Mastodon FO-1: a
/// repeated Follow may carry a new id) and the given state.
pub async fn upsert_follow(
    conn: &mut Conn,
    follower_id: i64,
    target_id: i64,
    ap_id: &str,
    state: FollowState,
    now: i64,
) -> Result<FollowRow, sqlx::Error> {
    sqlx::query_as::<_, FollowRecord>(&format!(
        "INSERT INTO follows (follower_id, target_id, ap_id, state, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (follower_id, target_id) DO UPDATE SET ap_id = excluded.ap_id, \
         state = CASE WHEN follows.state = 'accepted' THEN 'accepted' ELSE excluded.state END \
         RETURNING {COLUMNS}"
    ))
    .bind(follower_id)
    .bind(target_id)
    .bind(ap_id)
    .bind(state.as_str())
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_into()
}

pub async fn find_follow(
    conn: &mut Conn,
    follower_id: i64,
    target_id: i64,
) -> Result<Option<FollowRow>, sqlx::Error> {
    sqlx::query_as::<_, FollowRecord>(&format!(
        "SELECT {COLUMNS} FROM follows WHERE follower_id = $1 AND target_id = $2"
    ))
    .bind(follower_id)
    .bind(target_id)
    .fetch_optional(conn)
    .await?
    .map(FollowRow::try_from)
    .transpose()
}

pub async fn find_follow_by_ap_id(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<FollowRow>, sqlx::Error> {
    sqlx::query_as::<_, FollowRecord>(&format!("SELECT {COLUMNS} FROM follows WHERE ap_id = $1"))
        .bind(ap_id)
        .fetch_optional(conn)
        .await?
        .map(FollowRow::try_from)
        .transpose()
}

pub async fn find_follow_by_id(conn: &mut Conn, id: i64) -> Result<Option<FollowRow>, sqlx::Error> {
    sqlx::query_as::<_, FollowRecord>(&format!("SELECT {COLUMNS} FROM follows WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(FollowRow::try_from)
        .transpose()
}

pub async fn set_follow_state(
    conn: &mut Conn,
    id: i64,
    state: FollowState,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE follows SET state = $1 WHERE id = $2")
        .bind(state.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_follow(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM follows WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A follower as a delivery target.
#[derive(Debug, Clone, FromRow)]
pub struct FollowerInboxRow {
    pub inbox: String,
    pub shared_inbox: Option<String>,
}

/// Inboxes of the accepted remote followers of an actor.
pub async fn list_follower_inboxes(
    conn: &mut Conn,
    target_id: i64,
) -> Result<Vec<FollowerInboxRow>, sqlx::Error> {
    sqlx::query_as::<_, FollowerInboxRow>(
        "SELECT a.inbox, a.shared_inbox FROM follows f JOIN actors a ON a.id = f.follower_id \
         WHERE f.target_id = $1 AND f.state = 'accepted' AND a.local = 0",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await
}

/// One page of a follow list: actor ids with their follow row, newest first.
#[derive(Debug, Clone)]
pub struct FollowListRow {
    pub follow_id: i64,
    pub actor_ap_id: String,
    pub state: FollowState,
    pub created_at: i64,
}

/// A follow list entry as stored: the state as its name.
#[derive(FromRow)]
struct FollowListRecord {
    follow_id: i64,
    actor_ap_id: String,
    state: String,
    created_at: i64,
}

impl TryFrom<FollowListRecord> for FollowListRow {
    type Error = sqlx::Error;

    fn try_from(r: FollowListRecord) -> Result<Self, Self::Error> {
        Ok(FollowListRow {
            follow_id: r.follow_id,
            actor_ap_id: r.actor_ap_id,
            state: decode_name("follows.state", &r.state)?,
            created_at: r.created_at,
        })
    }
}

pub async fn count_followers(conn: &mut Conn, target_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM follows WHERE target_id = $1 AND state = 'accepted'")
        .bind(target_id)
        .fetch_one(conn)
        .await
}

pub async fn count_following(conn: &mut Conn, follower_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM follows WHERE follower_id = $1 AND state = 'accepted'")
        .bind(follower_id)
        .fetch_one(conn)
        .await
}

/// Followers in a given state, newest first.
pub async fn list_followers(
    conn: &mut Conn,
    target_id: i64,
    state: FollowState,
    limit: i64,
    offset: i64,
) -> Result<Vec<FollowListRow>, sqlx::Error> {
    sqlx::query_as::<_, FollowListRecord>(
        "SELECT f.id AS follow_id, a.ap_id AS actor_ap_id, f.state, f.created_at FROM follows f \
         JOIN actors a ON a.id = f.follower_id WHERE f.target_id = $1 AND f.state = $2 \
         ORDER BY f.id DESC LIMIT $3 OFFSET $4",
    )
    .bind(target_id)
    .bind(state.as_str())
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(FollowListRow::try_from)
    .collect()
}

pub async fn list_following(
    conn: &mut Conn,
    follower_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<FollowListRow>, sqlx::Error> {
    sqlx::query_as::<_, FollowListRecord>(
        "SELECT f.id AS follow_id, a.ap_id AS actor_ap_id, f.state, f.created_at FROM follows f \
         JOIN actors a ON a.id = f.target_id WHERE f.follower_id = $1 AND f.state = 'accepted' \
         ORDER BY f.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(follower_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(FollowListRow::try_from)
    .collect()
}

/// Whether a local actor follows `target_id` or has asked to (accepted or pending).
pub async fn has_local_follow_request(
    conn: &mut Conn,
    target_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.follower_id \
         WHERE f.target_id = $1 AND f.state IN ('accepted', 'pending') AND a.local = 1",
    )
    .bind(target_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn has_local_follower(conn: &mut Conn, target_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.follower_id \
         WHERE f.target_id = $1 AND f.state = 'accepted' AND a.local = 1",
    )
    .bind(target_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
