//! Invitations to organizations: stored by the hash of their token, used up once.

use sqlx::FromRow;

use super::accounts::MemberRole;
use super::{decode_name, Conn};

/// An invitation as pages list it (never the token: only its hash is stored).
#[derive(Debug, Clone)]
pub struct InvitationRow {
    pub id: i64,
    pub org_id: i64,
    pub role: MemberRole,
    pub email: Option<String>,
    pub invited_by: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// An `org_invitations` row as stored: the role as its name.
#[derive(FromRow)]
struct InvitationRecord {
    id: i64,
    org_id: i64,
    role: String,
    email: Option<String>,
    invited_by: i64,
    created_at: i64,
    expires_at: i64,
    used_at: Option<i64>,
}

impl TryFrom<InvitationRecord> for InvitationRow {
    type Error = sqlx::Error;

    fn try_from(r: InvitationRecord) -> Result<Self, Self::Error> {
        Ok(InvitationRow {
            id: r.id,
            org_id: r.org_id,
            role: decode_name("org_invitations.role", &r.role)?,
            email: r.email,
            invited_by: r.invited_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            used_at: r.used_at,
        })
    }
}

const COLUMNS: &str = "id, org_id, role, email, invited_by, created_at, expires_at, used_at";

/// What a new invitation stores.
pub struct NewInvitationRow<'a> {
    pub org_id: i64,
    pub token_hash: &'a str,
    pub role: MemberRole,
    pub email: Option<&'a str>,
    pub invited_by: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert_invitation(
    conn: &mut Conn,
    new: &NewInvitationRow<'_>,
) -> Result<InvitationRow, sqlx::Error> {
    sqlx::query_as::<_, InvitationRecord>(&format!(
        "INSERT INTO org_invitations (org_id, token_hash, role, email, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    ))
    .bind(new.org_id)
    .bind(new.token_hash)
    .bind(new.role.as_str())
    .bind(new.email)
    .bind(new.invited_by)
    .bind(new.created_at)
    .bind(new.expires_at)
    .fetch_one(conn)
    .await?
    .try_into()
}

/// The invitation whose token has this hash (used and expired ones too: the caller decides).
pub async fn find_invitation_by_hash(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    sqlx::query_as::<_, InvitationRecord>(&format!(
        "SELECT {COLUMNS} FROM org_invitations WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(conn)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

/// The org's invitations that are neither used nor expired at `now`, newest first.
pub async fn list_pending_invitations(
    conn: &mut Conn,
    org_id: i64,
    now: i64,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    sqlx::query_as::<_, InvitationRecord>(&format!(
        "SELECT {COLUMNS} FROM org_invitations \
         WHERE org_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY id DESC"
    ))
    .bind(org_id)
    .bind(now)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(TryInto::try_into)
    .collect()
}

/// Marks an unused invitation used by `user_id`; false when it was used meanwhile.
pub async fn use_invitation(
    conn: &mut Conn,
    id: i64,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE org_invitations SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Deletes an unused invitation of the org; false when there is none with this id.
pub async fn delete_pending_invitation(
    conn: &mut Conn,
    org_id: i64,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM org_invitations WHERE org_id = $1 AND id = $2 AND used_at IS NULL",
    )
    .bind(org_id)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}
