//! Users, organizations, memberships and API tokens.

use serde::Serialize;
use sqlx::FromRow;

use super::{decode_name, Conn};

stored_names! {
    /// A person's role on the instance: admins may act for every organization and change the
    /// instance's settings; moderators work reports and act on accounts and content (below
    /// admin: no settings, no domain policies). Stored and served by its name (`as_str`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Role {
        Admin = "admin",
        Moderator = "moderator",
        Member = "member",
    }
}

stored_names! {
    /// A person's role in an organization: both may publish for it; the owner is who created it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum MemberRole {
        Owner = "owner",
        Editor = "editor",
    }
}

/// A local person's account.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub actor_id: i64,
    pub created_at: i64,
    /// A disabled account cannot sign in or use its tokens (the admin's choice).
    pub disabled: bool,
}

/// A `users` row as stored: the role as its name.
#[derive(FromRow)]
struct UserRecord {
    id: i64,
    username: String,
    email: String,
    password_hash: Option<String>,
    role: String,
    actor_id: i64,
    created_at: i64,
    disabled: i64,
}

impl TryFrom<UserRecord> for UserRow {
    type Error = sqlx::Error;

    fn try_from(r: UserRecord) -> Result<Self, Self::Error> {
        Ok(UserRow {
            id: r.id,
            username: r.username,
            email: r.email,
            password_hash: r.password_hash,
            role: decode_name("users.role", &r.role)?,
            actor_id: r.actor_id,
            created_at: r.created_at,
            disabled: super::decode_flag("users.disabled", r.disabled)?,
        })
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub slug: String,
    pub actor_id: i64,
    pub created_at: i64,
}

const USER_COLUMNS: &str =
    "id, username, email, password_hash, role, actor_id, created_at, disabled";
const ORG_COLUMNS: &str = "id, slug, actor_id, created_at";

pub async fn insert_user(
    conn: &mut Conn,
    username: &str,
    email: &str,
    password_hash: Option<&str>,
    role: Role,
    actor_id: i64,
    now: i64,
) -> Result<UserRow, sqlx::Error> {
    sqlx::query_as::<_, UserRecord>(&format!(
        "INSERT INTO users (username, email, password_hash, role, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
    ))
    .bind(username)
    .bind(email)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(actor_id)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_into()
}

pub async fn find_user_by_username(
    conn: &mut Conn,
    username: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRecord>(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(conn)
    .await?
    .map(UserRow::try_from)
    .transpose()
}

/// People whose username or e-mail address is `login` (lower-cased by the caller).
pub async fn find_users_by_name_or_email(
    conn: &mut Conn,
    login: &str,
) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRecord>(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE LOWER(username) = $1 OR LOWER(email) = $1 ORDER BY id"
    ))
    .bind(login)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(TryInto::try_into)
    .collect()
}

/// The person with this id.
pub async fn find_user(conn: &mut Conn, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRecord>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn count_admins(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(conn)
        .await
}

pub async fn insert_org(
    conn: &mut Conn,
    slug: &str,
    actor_id: i64,
    now: i64,
) -> Result<OrgRow, sqlx::Error> {
    sqlx::query_as::<_, OrgRow>(&format!(
        "INSERT INTO orgs (slug, actor_id, created_at) VALUES ($1, $2, $3) RETURNING {ORG_COLUMNS}"
    ))
    .bind(slug)
    .bind(actor_id)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn find_org_by_slug(conn: &mut Conn, slug: &str) -> Result<Option<OrgRow>, sqlx::Error> {
    sqlx::query_as::<_, OrgRow>(&format!("SELECT {ORG_COLUMNS} FROM orgs WHERE slug = $1"))
        .bind(slug.to_ascii_lowercase())
        .fetch_optional(conn)
        .await
}

pub async fn find_org_by_id(conn: &mut Conn, id: i64) -> Result<Option<OrgRow>, sqlx::Error> {
    sqlx::query_as::<_, OrgRow>(&format!("SELECT {ORG_COLUMNS} FROM orgs WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_org_by_actor(
    conn: &mut Conn,
    actor_id: i64,
) -> Result<Option<OrgRow>, sqlx::Error> {
    sqlx::query_as::<_, OrgRow>(&format!(
        "SELECT {ORG_COLUMNS} FROM orgs WHERE actor_id = $1"
    ))
    .bind(actor_id)
    .fetch_optional(conn)
    .await
}

/// Every organization of this instance with its actor id and display name, by slug (the
/// choices of an event's co-organizers).
pub async fn list_org_choices(
    conn: &mut Conn,
    limit: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as::<_, (String, String, String)>(
        "SELECT o.slug, a.ap_id, a.name FROM orgs o JOIN actors a ON a.id = o.actor_id \
         ORDER BY o.slug LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn insert_member(
    conn: &mut Conn,
    org_id: i64,
    user_id: i64,
    role: MemberRole,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO org_members (org_id, user_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(role.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// The member's role in the org, if any.
pub async fn find_member_role(
    conn: &mut Conn,
    org_id: i64,
    user_id: i64,
) -> Result<Option<MemberRole>, sqlx::Error> {
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM org_members WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    role.map(|r| decode_name("org_members.role", &r))
        .transpose()
}

/// An API token as listed. Never the token itself: only its hash is stored.
#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

const TOKEN_COLUMNS: &str = "id, label, created_at, expires_at, last_used_at";

pub async fn insert_token(
    conn: &mut Conn,
    user_id: i64,
    label: &str,
    token_hash: &str,
    now: i64,
    expires_at: Option<i64>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO api_tokens (user_id, label, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(user_id)
        .bind(label)
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .fetch_one(conn)
        .await
}

/// A user joined with one of its tokens, as stored: the role as its name.
#[derive(FromRow)]
struct TokenUserRecord {
    id: i64,
    username: String,
    email: String,
    password_hash: Option<String>,
    role: String,
    actor_id: i64,
    created_at: i64,
    disabled: i64,
    token_id: i64,
    token_label: String,
    token_created_at: i64,
    token_expires_at: Option<i64>,
    token_last_used_at: Option<i64>,
}

/// The user a token (by hash) belongs to, and the token (expired ones too: the caller decides).
pub async fn find_user_by_token_hash(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<(UserRow, TokenRow)>, sqlx::Error> {
    let record = sqlx::query_as::<_, TokenUserRecord>(
        "SELECT u.id, u.username, u.email, u.password_hash, u.role, u.actor_id, u.created_at, \
         u.disabled, t.id AS token_id, t.label AS token_label, t.created_at AS token_created_at, \
         t.expires_at AS token_expires_at, t.last_used_at AS token_last_used_at \
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    let Some(r) = record else {
        return Ok(None);
    };
    Ok(Some((
        UserRow {
            id: r.id,
            username: r.username,
            email: r.email,
            password_hash: r.password_hash,
            role: decode_name("users.role", &r.role)?,
            actor_id: r.actor_id,
            created_at: r.created_at,
            disabled: super::decode_flag("users.disabled", r.disabled)?,
        },
        TokenRow {
            id: r.token_id,
            label: r.token_label,
            created_at: r.token_created_at,
            expires_at: r.token_expires_at,
            last_used_at: r.token_last_used_at,
        },
    )))
}

/// Records that a token was used (the caller limits how often).
pub async fn touch_token(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A user's tokens, oldest first.
pub async fn list_tokens(conn: &mut Conn, user_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as::<_, TokenRow>(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Deletes the given tokens of a user.
pub async fn delete_tokens(conn: &mut Conn, user_id: i64, ids: &[i64]) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    for id in ids {
        deleted += sqlx::query("DELETE FROM api_tokens WHERE user_id = $1 AND id = $2")
            .bind(user_id)
            .bind(*id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(deleted)
}

pub async fn find_org_actor_id(conn: &mut Conn, org_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT actor_id FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_optional(conn)
        .await
}

/// A person's membership in an organization: who, which org (slug and display name), what role.
#[derive(Debug, Clone)]
pub struct MembershipRow {
    pub user_id: i64,
    pub username: String,
    pub slug: String,
    pub name: String,
    pub role: MemberRole,
}

#[derive(FromRow)]
struct MembershipRecord {
    user_id: i64,
    username: String,
    slug: String,
    name: String,
    role: String,
}

const MEMBERSHIP_FROM: &str = "SELECT m.user_id, u.username, o.slug, a.name, m.role \
     FROM org_members m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id \
     JOIN actors a ON a.id = o.actor_id";

async fn list_memberships(
    conn: &mut Conn,
    filter_and_order: &str,
    id: i64,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    sqlx::query_as::<_, MembershipRecord>(&format!("{MEMBERSHIP_FROM} {filter_and_order}"))
        .bind(id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(MembershipRow {
                user_id: r.user_id,
                username: r.username,
                slug: r.slug,
                name: r.name,
                role: decode_name("org_members.role", &r.role)?,
            })
        })
        .collect()
}

/// The org's members, owners first, then by name.
pub async fn list_members(conn: &mut Conn, org_id: i64) -> Result<Vec<MembershipRow>, sqlx::Error> {
    list_memberships(
        conn,
        "WHERE m.org_id = $1 ORDER BY CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, u.username",
        org_id,
    )
    .await
}

/// The organizations a person belongs to, by name.
pub async fn list_user_orgs(
    conn: &mut Conn,
    user_id: i64,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    list_memberships(
        conn,
        "WHERE m.user_id = $1 ORDER BY a.name, o.slug",
        user_id,
    )
    .await
}

/// How many owners the org has.
pub async fn count_owners(conn: &mut Conn, org_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM org_members WHERE org_id = $1 AND role = 'owner'")
        .bind(org_id)
        .fetch_one(conn)
        .await
}

/// Adds a member unless the person already is one (whose role then stays); true when added.
pub async fn insert_member_if_absent(
    conn: &mut Conn,
    org_id: i64,
    user_id: i64,
    role: MemberRole,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO org_members (org_id, user_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (org_id, user_id) DO NOTHING",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(role.as_str())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Changes a member's role; false when the person is no member.
pub async fn update_member_role(
    conn: &mut Conn,
    org_id: i64,
    user_id: i64,
    role: MemberRole,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE org_members SET role = $1 WHERE org_id = $2 AND user_id = $3")
        .bind(role.as_str())
        .bind(org_id)
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(done == 1)
}

/// Removes a member; false when the person is no member.
pub async fn delete_member(
    conn: &mut Conn,
    org_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM org_members WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(done == 1)
}

/// The Markdown an org's summary was written in ("" when it was never edited here).
pub async fn find_org_summary_source(conn: &mut Conn, org_id: i64) -> Result<String, sqlx::Error> {
    let s: Option<String> = sqlx::query_scalar("SELECT summary_source FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_optional(conn)
        .await?;
    Ok(s.unwrap_or_default())
}

pub async fn set_org_summary_source(
    conn: &mut Conn,
    org_id: i64,
    markdown: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE orgs SET summary_source = $1 WHERE id = $2")
        .bind(markdown)
        .bind(org_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An org's logo or header image.
#[derive(Debug, Clone, FromRow)]
pub struct OrgImageRow {
    /// `logo` or `header`.
    pub kind: String,
    pub media_id: i64,
    pub url: String,
    pub alt: String,
}

pub async fn upsert_org_image(
    conn: &mut Conn,
    org_id: i64,
    image: &OrgImageRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO org_images (org_id, kind, media_id, url, alt) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (org_id, kind) DO UPDATE SET media_id = excluded.media_id, \
         url = excluded.url, alt = excluded.alt",
    )
    .bind(org_id)
    .bind(&image.kind)
    .bind(image.media_id)
    .bind(&image.url)
    .bind(&image.alt)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn list_org_images(
    conn: &mut Conn,
    org_id: i64,
) -> Result<Vec<OrgImageRow>, sqlx::Error> {
    sqlx::query_as::<_, OrgImageRow>(
        "SELECT kind, media_id, url, alt FROM org_images WHERE org_id = $1 ORDER BY kind",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// Sets the `icon` an org's actor document shows (its logo).
pub async fn set_org_icon(
    conn: &mut Conn,
    actor_id: i64,
    url: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE actors SET icon_url = $1, updated = $2 WHERE id = $3")
        .bind(url)
        .bind(now)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}
