//! Browser sessions: stored by the hash of the cookie value, each with its CSRF token.

use sqlx::FromRow;

use super::accounts::UserRow;
use super::Conn;

/// A signed-in browser.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub csrf: String,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

const SESSION_COLUMNS: &str = "id, user_id, csrf, user_agent, created_at, last_seen_at, expires_at";

/// What a new session stores.
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub csrf: &'a str,
    pub user_agent: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_session(conn: &mut Conn, s: &NewSession<'_>) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO sessions (token_hash, user_id, csrf, user_agent, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
    )
    .bind(s.token_hash)
    .bind(s.user_id)
    .bind(s.csrf)
    .bind(s.user_agent)
    .bind(s.now)
    .bind(s.expires_at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The session with this token hash (expired ones too: the caller decides).
pub async fn find_session(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as::<_, SessionRow>(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

pub async fn touch_session(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A person's sessions, most recently used first.
pub async fn list_sessions(conn: &mut Conn, user_id: i64) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as::<_, SessionRow>(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = $1 ORDER BY last_seen_at DESC, id DESC"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Ends one session of a person; false when it was not theirs or already gone.
pub async fn delete_session(conn: &mut Conn, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of a person (sign out everywhere, a password change, disabling).
pub async fn delete_user_sessions(conn: &mut Conn, user_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes sessions that expired before `now`.
pub async fn delete_expired_sessions(conn: &mut Conn, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// The person who signs in with this name or e-mail address (names and addresses are
/// compared without regard to case).
pub async fn find_user_by_login(
    conn: &mut Conn,
    login: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let login = login.trim().to_lowercase();
    let users = super::accounts::find_users_by_name_or_email(conn, &login).await?;
    Ok(users.into_iter().next())
}
