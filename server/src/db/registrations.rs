//! Instance invitations, registration requests, password resets, and the account changes of
//! the account and admin pages (password, role, disabled flag, the users list).

use sqlx::FromRow;

use super::accounts::Role;
use super::{decode_flag, decode_name, Conn};

/// An invitation to register, as listed (never the token: only its hash is stored).
#[derive(Debug, Clone, FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_uses: i64,
    pub uses: i64,
}

const INVITATION_COLUMNS: &str = "id, email, created_at, expires_at, max_uses, uses";

/// What a new invitation stores.
pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub created_by: i64,
    pub now: i64,
    pub expires_at: i64,
    pub max_uses: i64,
}

pub async fn insert_invitation(conn: &mut Conn, i: &NewInvitation<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO instance_invitations (token_hash, email, created_by, created_at, expires_at, max_uses) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(i.token_hash)
    .bind(i.email)
    .bind(i.created_by)
    .bind(i.now)
    .bind(i.expires_at)
    .bind(i.max_uses)
    .fetch_one(conn)
    .await
}

/// Every invitation, newest first.
pub async fn list_invitations(conn: &mut Conn) -> Result<Vec<InvitationRow>, sqlx::Error> {
    sqlx::query_as::<_, InvitationRow>(&format!(
        "SELECT {INVITATION_COLUMNS} FROM instance_invitations ORDER BY id DESC"
    ))
    .fetch_all(conn)
    .await
}

/// The invitation with this token hash, when it is still usable at `now`.
pub async fn find_usable_invitation(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    sqlx::query_as::<_, InvitationRow>(&format!(
        "SELECT {INVITATION_COLUMNS} FROM instance_invitations \
         WHERE token_hash = $1 AND expires_at > $2 AND uses < max_uses"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Counts one use of an invitation; false when it was used up or expired meanwhile.
pub async fn use_invitation(conn: &mut Conn, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE instance_invitations SET uses = uses + 1 \
         WHERE id = $1 AND uses < max_uses AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_invitation(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM instance_invitations WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A registration waiting for an admin, with the person's name and address.
#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub reason: String,
    pub lang: String,
    pub created_at: i64,
}

pub async fn insert_request(
    conn: &mut Conn,
    user_id: i64,
    reason: &str,
    lang: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO registration_requests (user_id, reason, lang, status, created_at) \
         VALUES ($1, $2, $3, 'pending', $4)",
    )
    .bind(user_id)
    .bind(reason)
    .bind(lang)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

const REQUEST_SELECT: &str =
    "SELECT r.user_id, u.username, u.email, r.reason, r.lang, r.created_at \
     FROM registration_requests r JOIN users u ON u.id = r.user_id WHERE r.status = 'pending'";

/// Pending requests, oldest first.
pub async fn list_pending_requests(conn: &mut Conn) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as::<_, RequestRow>(&format!(
        "{REQUEST_SELECT} ORDER BY r.created_at, r.user_id"
    ))
    .fetch_all(conn)
    .await
}

pub async fn find_pending_request(
    conn: &mut Conn,
    user_id: i64,
) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as::<_, RequestRow>(&format!("{REQUEST_SELECT} AND r.user_id = $1"))
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Approves a request: the row goes. False when none was pending.
pub async fn delete_pending_request(conn: &mut Conn, user_id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM registration_requests WHERE user_id = $1 AND status = 'pending'")
            .bind(user_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Rejects a request: it stays, marked, and the account stays disabled.
pub async fn reject_request(conn: &mut Conn, user_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE registration_requests SET status = 'rejected' WHERE user_id = $1 AND status = 'pending'",
    )
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_password_reset(
    conn: &mut Conn,
    token_hash: &str,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The person a reset token belongs to, while it is unused and unexpired.
pub async fn find_usable_reset(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Uses a reset token up; the person's id, or None when it was used, expired or unknown.
pub async fn consume_reset(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE password_resets SET used_at = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Makes every open reset link of a person unusable (after a password change).
pub async fn expire_user_resets(
    conn: &mut Conn,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_password_hash(
    conn: &mut Conn,
    user_id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_role(conn: &mut Conn, user_id: i64, role: Role) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_disabled(
    conn: &mut Conn,
    user_id: i64,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Admins who can still sign in.
pub async fn count_enabled_admins(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0")
        .fetch_one(conn)
        .await
}

/// A person as the admin's list shows them.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    /// Waiting for approval, or rejected: a registration request exists.
    pub request_status: Option<String>,
    pub created_at: i64,
}

#[derive(FromRow)]
struct AccountRecord {
    id: i64,
    username: String,
    email: String,
    role: String,
    disabled: i64,
    request_status: Option<String>,
    created_at: i64,
}

/// Every local person, by name.
pub async fn list_accounts(conn: &mut Conn) -> Result<Vec<AccountRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, AccountRecord>(
        "SELECT u.id, u.username, u.email, u.role, u.disabled, r.status AS request_status, u.created_at \
         FROM users u LEFT JOIN registration_requests r ON r.user_id = u.id ORDER BY u.username",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AccountRow {
                id: r.id,
                username: r.username,
                email: r.email,
                role: decode_name("users.role", &r.role)?,
                disabled: decode_flag("users.disabled", r.disabled)?,
                request_status: r.request_status,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// The admins' names, for the about page.
pub async fn list_admin_names(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT username FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY username",
    )
    .fetch_all(conn)
    .await
}
