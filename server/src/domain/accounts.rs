//! People, organizations, memberships and API tokens.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;

pub use crate::db::accounts::Role;
use crate::db::accounts::{MemberRole, OrgRow, TokenRow, UserRow};
use crate::db::{self, actors::ActorRow};
use crate::domain::actors::{new_local_actor, LocalKind, ProfileField, INSTANCE_ACTOR_USERNAME};
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::App;

/// A WebFinger-safe name: lower-case ASCII letters, digits and `_`, with `.` or `-` only
/// between them (Mastodon WF-7), 1 to 64 characters. Names like `münchen-rust` or `-foo`
/// would not federate, so they are refused here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str, what: &str) -> Result<Username, AppError> {
        let err = || {
            AppError::Invalid(format!(
                "{what} {s:?} is not allowed: use 1-64 lower-case letters a-z, digits and _, with . or - only between them"
            ))
        };
        if s.is_empty() || s.len() > 64 {
            return Err(err());
        }
        let word = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
        let sep = |c: char| c == '.' || c == '-';
        if !s.chars().all(|c| word(c) || sep(c)) {
            return Err(err());
        }
        let first = s.chars().next().unwrap_or('-');
        let last = s.chars().last().unwrap_or('-');
        if sep(first) || sep(last) {
            return Err(err());
        }
        if s == INSTANCE_ACTOR_USERNAME {
            return Err(AppError::Conflict(format!("{what} {s:?} is reserved")));
        }
        Ok(Username(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_email(s: &str) -> Result<String, AppError> {
    let s = s.trim();
    let ok = s.len() <= 254
        && s.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        })
        && !s.contains(char::is_whitespace);
    if ok {
        Ok(s.to_string())
    } else {
        Err(AppError::Invalid(format!(
            "email {s:?} is not an e-mail address"
        )))
    }
}

/// Makes sure the instance's `Application` actor exists (it signs our fetches).
pub async fn ensure_instance_actor(app: &App) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    if let Some(a) =
        db::actors::find_local_actor_by_username(&mut conn, INSTANCE_ACTOR_USERNAME).await?
    {
        return Ok(a);
    }
    drop(conn);
    let mut actor = new_local_actor(
        app,
        LocalKind::Application,
        INSTANCE_ACTOR_USERNAME,
        &app.settings.instance_name,
    )
    .await?;
    actor.summary =
        "The instance actor of this Revier server. It signs requests made on behalf of the server."
            .into();
    actor.url = format!("{}/about", app.base_url());
    actor.manually_approves = true;
    let mut tx = app.db.begin().await?;
    // A concurrent start may have created it meanwhile.
    if let Some(a) =
        db::actors::find_local_actor_by_username(&mut tx, INSTANCE_ACTOR_USERNAME).await?
    {
        return Ok(a);
    }
    let row = db::actors::insert_actor(&mut tx, &actor, db::now_micros()).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn instance_actor(app: &App) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::actors::find_local_actor_by_username(&mut conn, INSTANCE_ACTOR_USERNAME)
        .await?
        .ok_or_else(|| AppError::internal("the instance actor is missing"))
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    if password.chars().count() < 10 {
        return Err(AppError::Invalid(
            "the password must have at least 10 characters".into(),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

/// Creates a local person with its `Person` actor.
pub async fn create_user(
    app: &App,
    username: &str,
    email: &str,
    role: Role,
    password: Option<&str>,
) -> Result<UserRow, AppError> {
    let username = Username::parse(username, "username")?;
    let email = parse_email(email)?;
    let hash = match password {
        Some(p) => {
            let p = p.to_string();
            Some(
                tokio::task::spawn_blocking(move || hash_password(&p))
                    .await
                    .map_err(AppError::internal)??,
            )
        }
        None => None,
    };
    let actor =
        new_local_actor(app, LocalKind::Person, username.as_str(), username.as_str()).await?;
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    if db::actors::find_local_actor_by_username(&mut tx, username.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "the name {:?} is already taken by a person or organization",
            username.as_str()
        )));
    }
    let actor = db::actors::insert_actor(&mut tx, &actor, now).await?;
    let user = db::accounts::insert_user(
        &mut tx,
        username.as_str(),
        &email,
        hash.as_deref(),
        role,
        actor.id,
        now,
    )
    .await
    .map_err(|e| {
        if db::is_unique_violation(&e) {
            AppError::Conflict(format!(
                "a user with this username or email ({email}) already exists"
            ))
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok(user)
}

/// Creates an organization (a `Group` actor) owned by an existing user.
pub async fn create_org(
    app: &App,
    slug: &str,
    name: &str,
    owner: &str,
) -> Result<(OrgRow, ActorRow), AppError> {
    let slug = Username::parse(slug, "organization slug")?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::Invalid(
            "the display name must have 1 to 200 characters".into(),
        ));
    }
    let mut conn = app.db.conn().await?;
    let owner = db::accounts::find_user_by_username(&mut conn, owner)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {owner:?}")))?;
    drop(conn);
    let actor = new_local_actor(app, LocalKind::Group, slug.as_str(), name).await?;
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    if db::actors::find_local_actor_by_username(&mut tx, slug.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "the name {:?} is already taken by a person or organization",
            slug.as_str()
        )));
    }
    let actor = db::actors::insert_actor(&mut tx, &actor, now).await?;
    let org = db::accounts::insert_org(&mut tx, slug.as_str(), actor.id, now).await?;
    db::accounts::insert_member(&mut tx, org.id, owner.id, MemberRole::Owner).await?;
    tx.commit().await?;
    Ok((org, actor))
}

/// SHA-256 of an API token, hex. Tokens are 256 random bits, so a fast hash is enough.
pub fn token_hash(token: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates an API token; the token itself is returned once and only its hash is stored.
pub async fn create_token(app: &App, username: &str, label: &str) -> Result<String, AppError> {
    create_expiring_token(app, username, label, None).await
}

/// Longest lifetime `--expires-in` accepts, in days (ten years).
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// Creates an API token that stops working after `expires_in_days` (None: never).
pub async fn create_expiring_token(
    app: &App,
    username: &str,
    label: &str,
    expires_in_days: Option<u32>,
) -> Result<String, AppError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(AppError::Invalid(
            "a token label has 1 to 100 printable characters".into(),
        ));
    }
    let now = db::now_micros();
    let expires_at = match expires_in_days {
        None => None,
        Some(days) if (1..=MAX_TOKEN_DAYS).contains(&days) => {
            Some(now + i64::from(days) * 24 * 3600 * 1_000_000)
        }
        Some(_) => {
            return Err(AppError::Invalid(format!(
                "--expires-in takes 1 to {MAX_TOKEN_DAYS} days"
            )))
        }
    };
    let mut conn = app.db.conn().await?;
    let user = db::accounts::find_user_by_username(&mut conn, username)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {username:?}")))?;
    let token = format!("rv_{}", super::random_token(32));
    db::accounts::insert_token(
        &mut conn,
        user.id,
        label,
        &token_hash(&token),
        now,
        expires_at,
    )
    .await?;
    Ok(token)
}

/// A user's API tokens (id, label, times; never the token).
pub async fn list_tokens(app: &App, username: &str) -> Result<Vec<TokenRow>, AppError> {
    let mut conn = app.db.conn().await?;
    let user = db::accounts::find_user_by_username(&mut conn, username)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {username:?}")))?;
    Ok(db::accounts::list_tokens(&mut conn, user.id).await?)
}

/// Revokes a user's token named by its id, or every token of the user with that label;
/// returns what was revoked. Nothing matching is an error, so a typo does not pass silently.
pub async fn revoke_token(
    app: &App,
    username: &str,
    id_or_label: &str,
) -> Result<Vec<TokenRow>, AppError> {
    let mut tx = app.db.begin().await?;
    let user = db::accounts::find_user_by_username(&mut tx, username)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {username:?}")))?;
    let tokens = db::accounts::list_tokens(&mut tx, user.id).await?;
    let wanted = id_or_label.trim();
    // An id wins over a label that happens to be the same number.
    let by_id: Vec<TokenRow> = tokens
        .iter()
        .filter(|t| wanted.parse::<i64>().is_ok_and(|id| id == t.id))
        .cloned()
        .collect();
    let chosen = if by_id.is_empty() {
        tokens
            .into_iter()
            .filter(|t| t.label == wanted)
            .collect::<Vec<_>>()
    } else {
        by_id
    };
    if chosen.is_empty() {
        return Err(AppError::NotFound(format!(
            "API token {wanted:?} of {username} (give an id or a label from `revier token list {username}`)"
        )));
    }
    let ids: Vec<i64> = chosen.iter().map(|t| t.id).collect();
    db::accounts::delete_tokens(&mut tx, user.id, &ids).await?;
    tx.commit().await?;
    Ok(chosen)
}

/// How stale `last_used_at` may get before a request writes it again: an hour, so using a
/// token costs no write per request.
const TOKEN_USE_RESOLUTION_MICROS: i64 = 3600 * 1_000_000;

/// The user a bearer token belongs to; unknown, revoked and expired tokens are refused.
pub async fn authenticate(app: &App, token: &str) -> Result<UserRow, AppError> {
    let mut conn = app.db.conn().await?;
    let (user, row) = db::accounts::find_user_by_token_hash(&mut conn, &token_hash(token))
        .await?
        .ok_or_else(|| AppError::Unauthorized("the API token is unknown or revoked".into()))?;
    if user.disabled {
        return Err(AppError::Forbidden(
            "this account is disabled; ask the instance's admin".into(),
        ));
    }
    let now = db::now_micros();
    if row.expires_at.is_some_and(|at| at <= now) {
        return Err(AppError::Unauthorized(
            "the API token has expired (create a new one with `revier token create`)".into(),
        ));
    }
    if row
        .last_used_at
        .is_none_or(|at| now - at >= TOKEN_USE_RESOLUTION_MICROS)
    {
        db::accounts::touch_token(&mut conn, row.id, now).await?;
    }
    Ok(user)
}

pub async fn has_admin(app: &App) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::accounts::count_admins(&mut conn).await? > 0)
}

/// The org and its actor, by slug.
pub async fn find_org(app: &App, slug: &str) -> Result<(OrgRow, ActorRow), AppError> {
    let mut conn = app.db.conn().await?;
    let org = db::accounts::find_org_by_slug(&mut conn, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organization {slug:?}")))?;
    let actor = db::actors::find_actor_by_id(&mut conn, org.actor_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("organization {slug} has no actor")))?;
    Ok((org, actor))
}

/// Checks that the user may publish for the org: owners, editors, and instance admins.
pub async fn require_editor(app: &App, org: &OrgRow, user: &UserRow) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    // A suspended org publishes nothing until a moderator lifts the suspension (issue 9).
    let actor = db::actors::find_actor_by_id(&mut conn, org.actor_id).await?;
    if actor.is_some_and(|a| a.suspended_at.is_some()) {
        return Err(AppError::Forbidden(format!(
            "the organization {:?} is suspended",
            org.slug
        )));
    }
    if user.role == Role::Admin {
        return Ok(());
    }
    match db::accounts::find_member_role(&mut conn, org.id, user.id).await? {
        Some(MemberRole::Owner | MemberRole::Editor) => Ok(()),
        None => Err(AppError::Forbidden(format!(
            "you are not an owner or editor of the organization {:?}",
            org.slug
        ))),
    }
}

/// Changes of an org's profile.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub name: Option<String>,
    pub summary_markdown: Option<String>,
    pub manually_approves_followers: Option<bool>,
    pub fields: Option<Vec<ProfileField>>,
}

/// Updates the org's profile and tells followers (`Update{Group}`).
pub async fn update_org_profile(
    app: &App,
    slug: &str,
    user: &UserRow,
    change: ProfileChange,
) -> Result<ActorRow, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let name = match change.name {
        Some(n) if n.trim().is_empty() || n.chars().count() > 200 => {
            return Err(AppError::Invalid(
                "the display name must have 1 to 200 characters".into(),
            ))
        }
        Some(n) => n.trim().to_string(),
        None => actor.name.clone(),
    };
    let summary_source = change.summary_markdown.clone();
    let summary = match change.summary_markdown {
        Some(md) => {
            crate::domain::text::render_markdown(&md, |t| format!("{}/tags/{t}", app.base_url())).0
        }
        None => actor.summary.clone(),
    };
    let fields = match change.fields {
        Some(f) => {
            if f.len() > 50
                || f.iter()
                    .any(|x| x.name.chars().count() > 255 || x.value.chars().count() > 2047)
            {
                return Err(AppError::Invalid(
                    "at most 50 fields, names up to 255 and values up to 2047 characters".into(),
                ));
            }
            let f: Vec<ProfileField> = f
                .into_iter()
                .map(|x| ProfileField {
                    name: x.name,
                    value: crate::domain::text::profile_field_html(&x.value),
                })
                .collect();
            f
        }
        None => actor.fields.clone(),
    };
    let manual = change
        .manually_approves_followers
        .unwrap_or(actor.manually_approves);
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    db::actors::update_actor_profile(&mut tx, actor.id, &name, &summary, manual, &fields, now)
        .await?;
    if let Some(md) = &summary_source {
        db::accounts::set_org_summary_source(&mut tx, org.id, md).await?;
    }
    send_actor_update(tx, actor.id).await
}

/// Checks that the user may manage the org's members: owners, and instance admins.
pub async fn require_owner(app: &App, org: &OrgRow, user: &UserRow) -> Result<(), AppError> {
    if user.role == Role::Admin {
        return Ok(());
    }
    let mut conn = app.db.conn().await?;
    match db::accounts::find_member_role(&mut conn, org.id, user.id).await? {
        Some(MemberRole::Owner) => Ok(()),
        _ => Err(AppError::Forbidden(format!(
            "only owners manage the members of the organization {:?}",
            org.slug
        ))),
    }
}

/// The org's members (owners and editors see them).
pub async fn list_members(
    app: &App,
    org: &OrgRow,
    user: &UserRow,
) -> Result<Vec<db::accounts::MembershipRow>, AppError> {
    require_editor(app, org, user).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::accounts::list_members(&mut conn, org.id).await?)
}

/// Refuses a change that would leave the org without an owner: `member_id` stops being an
/// owner unless `stays_owner`. Also refuses someone who is no member.
async fn keep_an_owner(
    conn: &mut db::Conn,
    org: &OrgRow,
    member_id: i64,
    stays_owner: bool,
) -> Result<(), AppError> {
    let current = db::accounts::find_member_role(conn, org.id, member_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("member {member_id} of {}", org.slug)))?;
    if current == MemberRole::Owner
        && !stays_owner
        && db::accounts::count_owners(conn, org.id).await? <= 1
    {
        return Err(AppError::Conflict(
            "an organization keeps at least one owner".into(),
        ));
    }
    Ok(())
}

/// An owner changes a member's role; the last owner stays an owner.
pub async fn change_member_role(
    app: &App,
    org: &OrgRow,
    user: &UserRow,
    member_id: i64,
    role: MemberRole,
) -> Result<(), AppError> {
    require_owner(app, org, user).await?;
    let mut tx = app.db.begin().await?;
    keep_an_owner(&mut tx, org, member_id, role == MemberRole::Owner).await?;
    db::accounts::update_member_role(&mut tx, org.id, member_id, role).await?;
    tx.commit().await?;
    Ok(())
}

/// An owner removes a member; the last owner cannot be removed.
pub async fn remove_member(
    app: &App,
    org: &OrgRow,
    user: &UserRow,
    member_id: i64,
) -> Result<(), AppError> {
    require_owner(app, org, user).await?;
    let mut tx = app.db.begin().await?;
    keep_an_owner(&mut tx, org, member_id, false).await?;
    db::accounts::delete_member(&mut tx, org.id, member_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The organizations a person belongs to, with their role.
pub async fn list_user_orgs(
    app: &App,
    user: &UserRow,
) -> Result<Vec<db::accounts::MembershipRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::accounts::list_user_orgs(&mut conn, user.id).await?)
}

/// An org's summary as written (Markdown), its logo and header image, for its edit form.
pub async fn org_profile_sources(
    app: &App,
    org: &OrgRow,
) -> Result<(String, Vec<db::accounts::OrgImageRow>), AppError> {
    let mut conn = app.db.conn().await?;
    let source = db::accounts::find_org_summary_source(&mut conn, org.id).await?;
    let images = db::accounts::list_org_images(&mut conn, org.id).await?;
    Ok((source, images))
}

/// Which image of an org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgImageKind {
    Logo,
    Header,
}

impl OrgImageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgImageKind::Logo => "logo",
            OrgImageKind::Header => "header",
        }
    }
}

/// Stores an uploaded logo or header image (alt text required) for the org; the logo
/// becomes the actor's `icon`, and followers receive `Update{Group}`.
pub async fn set_org_image(
    app: &App,
    slug: &str,
    user: &UserRow,
    kind: OrgImageKind,
    bytes: Vec<u8>,
    alt: &str,
) -> Result<ActorRow, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let alt = alt.trim();
    if alt.is_empty() || alt.chars().count() > 1500 {
        return Err(AppError::Fields(vec![
            crate::domain::error::FieldError::new(
                "alt",
                "an image needs an alt text of 1 to 1500 characters",
            ),
        ]));
    }
    let media = crate::domain::media::upload_image(app, actor.id, bytes, alt).await?;
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    let row = db::accounts::OrgImageRow {
        kind: kind.as_str().to_string(),
        media_id: media.id,
        url: media.url.clone(),
        alt: alt.to_string(),
    };
    db::accounts::upsert_org_image(&mut tx, org.id, &row).await?;
    if kind == OrgImageKind::Logo {
        db::accounts::set_org_icon(&mut tx, actor.id, &media.url, now).await?;
    }
    send_actor_update(tx, actor.id).await
}

/// Ends a profile change: followers receive the actor as it now is (`Update`), committed
/// together with the change.
async fn send_actor_update(mut tx: OutgoingTx<'_>, actor_id: i64) -> Result<ActorRow, AppError> {
    let updated = db::actors::find_actor_by_id(&mut tx, actor_id)
        .await?
        .ok_or_else(|| AppError::internal("actor vanished"))?;
    tx.submit(Outgoing::UpdateActor { actor: &updated }).await?;
    tx.commit().await?;
    Ok(updated)
}
