//! Getting and keeping an account: registration in the instance's mode (closed, invitation,
//! approval, open), instance invitations, the approval queue, password resets and changes,
//! a person's own profile, and what admins change on accounts (role, disabled).
//!
//! Links carry random tokens; only their SHA-256 is stored. Mail text is written by the
//! pages (in the recipient's language); this module returns the tokens they link to.

use std::net::IpAddr;

use crate::db;
use crate::db::accounts::UserRow;
use crate::db::registrations::{AccountRow, InvitationRow, NewInvitation, RequestRow};
use crate::domain::accounts::{create_user, hash_password, token_hash, Role, Username};
use crate::domain::error::{AppError, FieldError};
use crate::domain::instance::{self, RegistrationMode};
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::random_token;
use crate::domain::rate_limits::{self, Limit};
use crate::domain::sessions;
use crate::App;

const HOUR_MICROS: i64 = 3600 * 1_000_000;

/// A mailed reset link works for an hour.
pub const RESET_HOURS: i64 = 1;
/// A link an admin makes to pass on works for a day.
pub const ADMIN_RESET_HOURS: i64 = 24;

/// Reset requests from one address per hour.
/// Registration attempts per client address and hour: each account made costs a key pair,
/// so an open instance must not make them as fast as a script asks.
pub const REGISTER_ADDRESS_LIMIT: Limit = Limit {
    max: 10,
    window_secs: 3600,
};
pub const RESET_ADDRESS_LIMIT: Limit = Limit {
    max: 10,
    window_secs: 3600,
};
/// Reset requests naming the same name or address per hour (whether or not it exists).
pub const RESET_LOGIN_LIMIT: Limit = Limit {
    max: 5,
    window_secs: 3600,
};
/// Reset mails to one account per hour; further requests are answered alike but send nothing.
pub const RESET_ACCOUNT_LIMIT: Limit = Limit {
    max: 3,
    window_secs: 3600,
};

/// An argon2id hash, off the async threads.
async fn hash_off_thread(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
}

/// A reset link made for a person: the token (shown or mailed once) and whom it is for.
pub struct ResetToken {
    pub token: String,
    pub user: UserRow,
}

/// A "forgot password" request for `login` (a name or an address). Counts against the
/// client's address and the login (429 over either, whatever the login names); answers the
/// token to mail when the login names exactly one enabled account under its own limit, and
/// None otherwise, so the page can answer the same either way.
pub async fn request_reset(
    app: &App,
    login: &str,
    client: Option<IpAddr>,
) -> Result<Option<ResetToken>, AppError> {
    let login = login.trim().to_lowercase();
    if let Some(ip) = client {
        rate_limits::hit(app, &format!("reset:ip:{ip}"), RESET_ADDRESS_LIMIT).await?;
    }
    rate_limits::hit(app, &format!("reset:login:{login}"), RESET_LOGIN_LIMIT).await?;
    let users = {
        let mut conn = app.db.conn().await?;
        db::accounts::find_users_by_name_or_email(&mut conn, &login).await?
    };
    let [user] = users.as_slice() else {
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    let bucket = format!("reset:user:{}", user.id);
    if rate_limits::hit(app, &bucket, RESET_ACCOUNT_LIMIT)
        .await
        .is_err()
    {
        return Ok(None);
    }
    let token = create_reset(app, user.id, RESET_HOURS).await?;
    Ok(Some(ResetToken {
        token,
        user: user.clone(),
    }))
}

/// Makes a single-use reset token for a person, valid for `hours`.
pub async fn create_reset(app: &App, user_id: i64, hours: i64) -> Result<String, AppError> {
    let token = random_token(32);
    let now = db::now_micros();
    let mut conn = app.db.conn().await?;
    db::registrations::insert_password_reset(
        &mut conn,
        &token_hash(&token),
        user_id,
        now,
        now + hours * HOUR_MICROS,
    )
    .await?;
    Ok(token)
}

/// Whether a reset token can still be used (for showing its form).
pub async fn reset_is_usable(app: &App, token: &str) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(
        db::registrations::find_usable_reset(&mut conn, &token_hash(token), db::now_micros())
            .await?
            .is_some(),
    )
}

/// The password-pair rule of every form: at least 10 characters, both the same.
pub fn check_new_password(new: &str, repeat: &str) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if new.chars().count() < 10 {
        errors.push(FieldError::new(
            "password",
            "the password must have at least 10 characters",
        ));
    } else if new != repeat {
        errors.push(FieldError::new("password_repeat", "the passwords differ"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Fields(errors))
    }
}

/// Sets a new password with a reset token: the token is used up, every session of the
/// person ends. An unknown, used or expired token is 410.
pub async fn complete_reset(
    app: &App,
    token: &str,
    new: &str,
    repeat: &str,
) -> Result<(), AppError> {
    check_new_password(new, repeat)?;
    let hash = hash_off_thread(new.to_string()).await?;
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    let user_id = db::registrations::consume_reset(&mut tx, &token_hash(token), now)
        .await?
        .ok_or_else(|| AppError::Gone("this reset link was used or has expired".into()))?;
    db::registrations::update_password_hash(&mut tx, user_id, &hash).await?;
    db::registrations::expire_user_resets(&mut tx, user_id, now).await?;
    db::sessions::delete_user_sessions(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes a signed-in person's password after checking the current one; ends the person's
/// other sessions and open reset links.
pub async fn change_password(
    app: &App,
    user: &UserRow,
    keep_session: i64,
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<(), AppError> {
    if !sessions::verify_password(user.password_hash.as_deref(), current).await? {
        return Err(AppError::Fields(vec![FieldError::new(
            "current",
            "the current password is wrong",
        )]));
    }
    check_new_password(new, repeat)?;
    let hash = hash_off_thread(new.to_string()).await?;
    let mut tx = app.db.begin().await?;
    db::registrations::update_password_hash(&mut tx, user.id, &hash).await?;
    db::registrations::expire_user_resets(&mut tx, user.id, db::now_micros()).await?;
    for s in db::sessions::list_sessions(&mut tx, user.id).await? {
        if s.id != keep_session {
            db::sessions::delete_session(&mut tx, user.id, s.id).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Ends every session of a person but one ("sign out everywhere else").
pub async fn end_other_sessions(app: &App, user_id: i64, keep: i64) -> Result<u64, AppError> {
    let mut tx = app.db.begin().await?;
    let mut ended = 0;
    for s in db::sessions::list_sessions(&mut tx, user_id).await? {
        if s.id != keep && db::sessions::delete_session(&mut tx, user_id, s.id).await? {
            ended += 1;
        }
    }
    tx.commit().await?;
    Ok(ended)
}

/// Changes a person's display name and summary (plain text, paragraphs by blank lines) and
/// tells followers (`Update{Person}`).
pub async fn update_profile(
    app: &App,
    user: &UserRow,
    name: &str,
    summary: &str,
) -> Result<(), AppError> {
    let name = name.trim();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "1 to 200 characters"));
    }
    if summary.chars().count() > 5000 {
        errors.push(FieldError::new("summary", "at most 5000 characters"));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields(errors));
    }
    let html =
        crate::domain::text::render_markdown(summary, |t| crate::domain::text::tag_url(app, t)).0;
    let mut tx = OutgoingTx::begin(app).await?;
    let actor = db::actors::find_actor_by_id(&mut tx, user.actor_id)
        .await?
        .ok_or_else(|| AppError::internal("the person's actor is missing"))?;
    db::actors::update_actor_profile(
        &mut tx,
        actor.id,
        name,
        &html,
        actor.manually_approves,
        &actor.fields,
        db::now_micros(),
    )
    .await?;
    let updated = db::actors::find_actor_by_id(&mut tx, actor.id)
        .await?
        .ok_or_else(|| AppError::internal("actor vanished"))?;
    tx.submit(Outgoing::UpdateActor { actor: &updated }).await?;
    tx.commit().await?;
    Ok(())
}

/// What the registration form sends.
#[derive(Debug, Clone, Default)]
pub struct NewRegistration {
    pub username: String,
    pub email: String,
    pub password: String,
    pub password_repeat: String,
    pub reason: String,
    /// The invitation token, in invitation mode.
    pub invitation: String,
    /// The page's language (the answer to an approval request is written in it).
    pub lang: String,
    /// The client's address, when known: registrations are limited per address.
    pub client: Option<std::net::IpAddr>,
}

/// A registration that went through: the account, and whether it waits for approval.
pub struct Registered {
    pub user: UserRow,
    pub pending: bool,
}

/// Registers a person as the instance's mode allows. Invalid input names its fields.
pub async fn register(app: &App, r: NewRegistration) -> Result<Registered, AppError> {
    let mode = instance::load(app).await?.registration;
    let invitation = match mode {
        RegistrationMode::Closed => {
            return Err(AppError::Forbidden(
                "this instance does not take registrations".into(),
            ))
        }
        RegistrationMode::Invitation => Some(usable_invitation(app, &r.invitation).await?),
        RegistrationMode::Approval | RegistrationMode::Open => None,
    };
    if let Some(ip) = r.client {
        rate_limits::hit(app, &format!("register:ip:{ip}"), REGISTER_ADDRESS_LIMIT).await?;
    }
    check_registration(app, &r, mode).await?;
    let user = create_user(
        app,
        r.username.trim(),
        &r.email,
        Role::Member,
        Some(&r.password),
    )
    .await
    .map_err(|e| match e {
        AppError::Invalid(m) => AppError::Fields(vec![FieldError::new("email", m)]),
        AppError::Conflict(m) => AppError::Fields(vec![FieldError::new("username", m)]),
        other => other,
    })?;
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    if let Some(inv) = invitation {
        db::registrations::use_invitation(&mut tx, inv.id, now).await?;
    }
    let pending = mode == RegistrationMode::Approval;
    if pending {
        db::registrations::update_disabled(&mut tx, user.id, true).await?;
        let reason = r.reason.trim();
        db::registrations::insert_request(&mut tx, user.id, reason, &r.lang, now).await?;
    }
    tx.commit().await?;
    Ok(Registered { user, pending })
}

/// The form's rules before anything is stored: a valid free name, an address not in use,
/// matching passwords, a reason when approval is needed.
async fn check_registration(
    app: &App,
    r: &NewRegistration,
    mode: RegistrationMode,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let username = r.username.trim();
    match Username::parse(username, "the username") {
        Err(e) => errors.push(FieldError::new("username", e.public_message())),
        Ok(_) => {
            let mut conn = app.db.conn().await?;
            let taken = db::accounts::find_users_by_name_or_email(&mut conn, username).await?;
            if !taken.is_empty()
                || db::actors::find_local_actor_by_username(&mut conn, username)
                    .await?
                    .is_some()
            {
                errors.push(FieldError::new("username", "this name is taken"));
            }
        }
    }
    let email = r.email.trim().to_lowercase();
    if !email.contains('@') {
        errors.push(FieldError::new("email", "not an e-mail address"));
    } else {
        let mut conn = app.db.conn().await?;
        if !db::accounts::find_users_by_name_or_email(&mut conn, &email)
            .await?
            .is_empty()
        {
            errors.push(FieldError::new("email", "this address is in use"));
        }
    }
    if let Err(AppError::Fields(e)) = check_new_password(&r.password, &r.password_repeat) {
        errors.extend(e);
    }
    if mode == RegistrationMode::Approval
        && (r.reason.trim().is_empty() || r.reason.chars().count() > 2000)
    {
        errors.push(FieldError::new("reason", "1 to 2000 characters"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Fields(errors))
    }
}

/// The invitation behind a token, when it is still usable (else 410).
pub async fn usable_invitation(app: &App, token: &str) -> Result<InvitationRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::registrations::find_usable_invitation(&mut conn, &token_hash(token), db::now_micros())
        .await?
        .ok_or_else(|| AppError::Gone("this invitation was used up or has expired".into()))
}

/// Creates an invitation to register; answers the token (shown or mailed once).
pub async fn create_invitation(
    app: &App,
    admin: &UserRow,
    email: &str,
    days: i64,
    uses: i64,
) -> Result<String, AppError> {
    let mut errors = Vec::new();
    let email = email.trim();
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        errors.push(FieldError::new("email", "not an e-mail address"));
    }
    if !(1..=90).contains(&days) {
        errors.push(FieldError::new("days", "1 to 90 days"));
    }
    if !(1..=100).contains(&uses) {
        errors.push(FieldError::new("uses", "1 to 100 uses"));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields(errors));
    }
    let token = random_token(24);
    let now = db::now_micros();
    let mut conn = app.db.conn().await?;
    db::registrations::insert_invitation(
        &mut conn,
        &NewInvitation {
            token_hash: &token_hash(&token),
            email,
            created_by: admin.id,
            now,
            expires_at: now + days * 24 * HOUR_MICROS,
            max_uses: uses,
        },
    )
    .await?;
    Ok(token)
}

pub async fn list_invitations(app: &App) -> Result<Vec<InvitationRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::registrations::list_invitations(&mut conn).await?)
}

pub async fn delete_invitation(app: &App, id: i64) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    if db::registrations::delete_invitation(&mut conn, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("invitation {id}")))
    }
}

pub async fn pending_requests(app: &App) -> Result<Vec<RequestRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::registrations::list_pending_requests(&mut conn).await?)
}

/// Approves or rejects a pending registration; answers the request (for the e-mail).
pub async fn decide_request(
    app: &App,
    user_id: i64,
    approve: bool,
) -> Result<RequestRow, AppError> {
    let mut tx = app.db.begin().await?;
    let request = db::registrations::find_pending_request(&mut tx, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("a pending registration of user {user_id}")))?;
    if approve {
        db::registrations::delete_pending_request(&mut tx, user_id).await?;
        db::registrations::update_disabled(&mut tx, user_id, false).await?;
    } else {
        db::registrations::reject_request(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(request)
}

pub async fn list_accounts(app: &App) -> Result<Vec<AccountRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::registrations::list_accounts(&mut conn).await?)
}

/// The names of the instance's admins (the about page).
pub async fn admin_names(app: &App) -> Result<Vec<String>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::registrations::list_admin_names(&mut conn).await?)
}

/// The person with this id, or 404.
pub async fn find_account(app: &App, user_id: i64) -> Result<UserRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::accounts::find_user(&mut conn, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {user_id}")))
}

/// Refuses a change that would leave no enabled admin, or that an admin makes to themself.
async fn guard_admins(
    tx: &mut db::Conn,
    acting: &UserRow,
    target: &UserRow,
) -> Result<(), AppError> {
    if acting.id == target.id {
        return Err(AppError::Conflict(
            "you cannot disable yourself or take away your own admin role".into(),
        ));
    }
    if target.role == Role::Admin
        && !target.disabled
        && db::registrations::count_enabled_admins(tx).await? <= 1
    {
        return Err(AppError::Conflict(
            "the instance would have no admin left".into(),
        ));
    }
    Ok(())
}

/// Changes a person's role (never one's own, never the last admin's).
pub async fn set_role(
    app: &App,
    acting: &UserRow,
    user_id: i64,
    role: Role,
) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let target = db::accounts::find_user(&mut tx, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {user_id}")))?;
    if target.role == role {
        return Ok(());
    }
    if role != Role::Admin {
        guard_admins(&mut tx, acting, &target).await?;
    }
    db::registrations::update_role(&mut tx, user_id, role).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (ending every session; tokens stop working) or enables a person; never oneself,
/// never the last admin.
pub async fn set_disabled(
    app: &App,
    acting: &UserRow,
    user_id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let target = db::accounts::find_user(&mut tx, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {user_id}")))?;
    if disabled {
        guard_admins(&mut tx, acting, &target).await?;
        db::sessions::delete_user_sessions(&mut tx, user_id).await?;
    } else {
        // Enabling a person who waits for approval approves them.
        db::registrations::delete_pending_request(&mut tx, user_id).await?;
    }
    db::registrations::update_disabled(&mut tx, user_id, disabled).await?;
    tx.commit().await?;
    Ok(())
}
