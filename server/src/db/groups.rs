//! Group federation (FEP-1b12): the software of followers' servers (table `server_software`),
//! the followers an organization reaches as a forum group, and its moderators.

use sqlx::FromRow;

use super::follows::FollowerInboxRow;
use super::{decode_flag, Conn};

/// What a server runs, as its NodeInfo said when we last asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSoftware {
    pub host: String,
    /// NodeInfo's `software.name` in lower case, '' when it could not be read.
    pub software: String,
    /// The server treats our organizations as forum groups (FEP-1b12).
    pub group_style: bool,
    pub checked_at: i64,
}

#[derive(FromRow)]
struct ServerSoftwareRecord {
    host: String,
    software: String,
    group_style: i64,
    checked_at: i64,
}

impl TryFrom<ServerSoftwareRecord> for ServerSoftware {
    type Error = sqlx::Error;

    fn try_from(r: ServerSoftwareRecord) -> Result<Self, Self::Error> {
        Ok(ServerSoftware {
            host: r.host,
            software: r.software,
            group_style: decode_flag("server_software.group_style", r.group_style)?,
            checked_at: r.checked_at,
        })
    }
}

pub async fn find_server_software(
    conn: &mut Conn,
    host: &str,
) -> Result<Option<ServerSoftware>, sqlx::Error> {
    sqlx::query_as::<_, ServerSoftwareRecord>(
        "SELECT host, software, group_style, checked_at FROM server_software WHERE host = $1",
    )
    .bind(host)
    .fetch_optional(conn)
    .await?
    .map(ServerSoftware::try_from)
    .transpose()
}

/// Stores (or refreshes) what a server runs.
pub async fn upsert_server_software(
    conn: &mut Conn,
    host: &str,
    software: &str,
    group_style: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO server_software (host, software, group_style, checked_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (host) DO UPDATE SET software = excluded.software, \
         group_style = excluded.group_style, checked_at = excluded.checked_at",
    )
    .bind(host)
    .bind(software)
    .bind(i64::from(group_style))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inboxes of an actor's accepted remote followers on servers known to be forum-style.
pub async fn list_group_style_follower_inboxes(
    conn: &mut Conn,
    target_id: i64,
) -> Result<Vec<FollowerInboxRow>, sqlx::Error> {
    sqlx::query_as::<_, FollowerInboxRow>(
        "SELECT a.inbox, a.shared_inbox FROM follows f JOIN actors a ON a.id = f.follower_id \
         JOIN server_software s ON s.host = a.host \
         WHERE f.target_id = $1 AND f.state = 'accepted' AND a.local = 0 AND s.group_style = 1",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await
}

/// The actor ids (`ap_id`) of an organization's members (owners and editors), oldest first:
/// the Group's moderators.
pub async fn list_org_moderator_ids(
    conn: &mut Conn,
    org_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.ap_id FROM org_members m JOIN users u ON u.id = m.user_id \
         JOIN actors a ON a.id = u.actor_id \
         WHERE m.org_id = $1 AND a.suspended_at IS NULL ORDER BY u.id",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// The person actor id (`ap_id`) of a local user.
pub async fn find_user_actor_id(
    conn: &mut Conn,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.ap_id FROM users u JOIN actors a ON a.id = u.actor_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Remote followers of an actor on servers whose software is not known yet (followers from
/// before group federation, or whose NodeInfo was never read): one `(host, ap_id)` per host.
pub async fn list_unclassified_follower_hosts(
    conn: &mut Conn,
    target_id: i64,
    limit: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as::<_, (String, String)>(
        "SELECT a.host, MIN(a.ap_id) FROM follows f JOIN actors a ON a.id = f.follower_id \
         LEFT JOIN server_software s ON s.host = a.host \
         WHERE f.target_id = $1 AND f.state = 'accepted' AND a.local = 0 AND s.host IS NULL \
         GROUP BY a.host ORDER BY a.host LIMIT $2",
    )
    .bind(target_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
