//! What the operator does from the command line (issue 11), apart from backups and checks:
//! rotating a local actor's key, listing people and organizations, disabling and enabling
//! them. The operator acts as the instance, not as a signed-in person, so the web's "not on
//! yourself" rules do not apply; "never the last admin" still does.
//!
//! - A key rotation stores a new RSA pair and federates `Update{actor}` to the followers:
//!   Mastodon refetches the actor when a signature fails and when it receives the `Update`,
//!   so followers' servers learn the new key. The key id stays (`…#main-key`). A running
//!   server notices the new key at its next signature (`App::signer_for` compares the stored
//!   key with the cached one), although the command ran in another process.
//! - Disabling a person is the admin page's "disable": no sign-in, sessions ended, tokens
//!   refused. Disabling an organization is a moderator's suspension done by the instance: its
//!   pages show nothing, its actor says `suspended`, it publishes nothing, and followers get
//!   `Update`; unlike a moderator's suspension, nothing is purged later (the operator enables
//!   it again, or a moderator purges it). Both are in the moderation log.

use crate::db::{self, actors::ActorRow, ops::OrgListRow, ops::UserListRow};
use crate::domain::accounts::Role;
use crate::domain::error::AppError;
use crate::domain::moderation_log::{self, Entry};
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::App;

/// `purge_at` of an organization the operator disabled: never (a moderator may still purge).
const NEVER: i64 = i64::MAX;

/// A local actor by handle: `name`, `@name`, `name@domain` or `@name@domain` (this instance's
/// domain only). The instance actor is `revier.internal`.
pub async fn find_local_actor(app: &App, handle: &str) -> Result<ActorRow, AppError> {
    let handle = handle.trim().trim_start_matches('@');
    let (name, host) = match handle.split_once('@') {
        Some((n, h)) => (n, Some(h)),
        None => (handle, None),
    };
    if let Some(host) = host {
        if !host.eq_ignore_ascii_case(&app.settings.domain) {
            return Err(AppError::BadRequest(format!(
                "{handle:?} is not on this instance ({})",
                app.settings.domain
            )));
        }
    }
    let mut conn = app.db.conn().await?;
    db::actors::find_local_actor_by_username(&mut conn, name)
        .await?
        .filter(|a| a.local)
        .ok_or_else(|| AppError::NotFound(format!("a local actor {name:?}")))
}

/// Gives a local actor a new RSA key pair and federates `Update{actor}` to its followers in the
/// same transaction. Returns the actor as it is now (with the new public key).
pub async fn rotate_key(app: &App, handle: &str) -> Result<ActorRow, AppError> {
    let actor = find_local_actor(app, handle).await?;
    let (private_pem, public_pem) =
        tokio::task::spawn_blocking(revier_federation::signatures::generate_keypair)
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
    let mut tx = OutgoingTx::begin(app).await?;
    let now = db::now_micros();
    if !db::ops::update_actor_keys(&mut tx, actor.id, &public_pem, &private_pem, now).await? {
        return Err(AppError::NotFound(format!("a local actor {handle:?}")));
    }
    let updated = db::actors::find_actor_by_id(&mut tx, actor.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("a local actor {handle:?}")))?;
    tx.submit(Outgoing::UpdateActor { actor: &updated }).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Every local person, by name.
pub async fn list_users(app: &App) -> Result<Vec<UserListRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::ops::list_users(&mut conn).await?)
}

/// Every organization, by slug.
pub async fn list_orgs(app: &App) -> Result<Vec<OrgListRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::ops::list_orgs(&mut conn).await?)
}

/// Disables (sign-in refused, sessions ended, tokens refused) or enables a person; never the
/// last enabled admin. Returns false when nothing changed.
pub async fn set_user_disabled(
    app: &App,
    username: &str,
    disabled: bool,
) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    let user = db::accounts::find_user_by_username(&mut tx, username.trim())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {:?}", username.trim())))?;
    if user.disabled == disabled {
        return Ok(false);
    }
    if disabled {
        if user.role == Role::Admin && db::registrations::count_enabled_admins(&mut tx).await? <= 1
        {
            return Err(AppError::Conflict(format!(
                "{} is the last enabled admin: the instance would have no admin left",
                user.username
            )));
        }
        db::sessions::delete_user_sessions(&mut tx, user.id).await?;
    } else {
        // As on the admin page: enabling a person who waits for approval approves them.
        db::registrations::delete_pending_request(&mut tx, user.id).await?;
    }
    db::registrations::update_disabled(&mut tx, user.id, disabled).await?;
    tx.commit().await?;
    Ok(true)
}

/// Disables an organization (a suspension by the instance, see the module doc) or enables it
/// again. Returns false when nothing changed.
pub async fn set_org_disabled(app: &App, slug: &str, disabled: bool) -> Result<bool, AppError> {
    let mut tx = OutgoingTx::begin(app).await?;
    let org = db::accounts::find_org_by_slug(&mut tx, slug.trim())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organization {:?}", slug.trim())))?;
    let actor = db::actors::find_actor_by_id(&mut tx, org.actor_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("org {} has no actor", org.slug)))?;
    if actor.suspended_at.is_some() == disabled {
        return Ok(false);
    }
    if !disabled
        && db::moderation::find_actor_purge_at(&mut tx, actor.id)
            .await?
            .is_none()
    {
        return Err(AppError::Conflict(format!(
            "the organization {} was purged; it cannot be enabled again",
            org.slug
        )));
    }
    let (suspended_at, purge_at, action, reason) = if disabled {
        let now = db::now_micros();
        (
            Some(now),
            Some(NEVER),
            "actor.suspend",
            "disabled by the operator (revier org disable)",
        )
    } else {
        (
            None,
            None,
            "actor.unsuspend",
            "enabled by the operator (revier org enable)",
        )
    };
    db::moderation::set_actor_suspension(&mut tx, actor.id, suspended_at, purge_at).await?;
    moderation_log::record(
        &mut tx,
        &Entry {
            moderator: None,
            action,
            target_kind: "actor",
            target: &actor.ap_id,
            target_host: &actor.host,
            reason,
            public_reason: "",
            report_id: None,
        },
    )
    .await?;
    let updated = db::actors::find_actor_by_id(&mut tx, actor.id)
        .await?
        .ok_or_else(|| AppError::internal(format!("org {} has no actor", org.slug)))?;
    tx.submit(Outgoing::UpdateActor { actor: &updated }).await?;
    tx.commit().await?;
    Ok(true)
}
