//! Invitations to organizations, by link or e-mail. An owner makes an invitation for a role
//! (and optionally an e-mail address); the link `/invite/org/{token}` makes the signed-in
//! person who opens it a member, once: the invitation is used up in the same transaction that
//! adds the membership. Only the SHA-256 of the token is stored, as for API tokens. This module
//! does not write the e-mail's words (the page does, in the reader's language).

use crate::db;
use crate::db::accounts::{MemberRole, OrgRow, UserRow};
use crate::db::actors::ActorRow;
use crate::db::invitations::{InvitationRow, NewInvitationRow};
use crate::domain::accounts::{find_org, require_owner, token_hash};
use crate::domain::error::{AppError, FieldError};
use crate::domain::mail::{self, Delivery, Mail};
use crate::App;

/// How long an invitation can be used: two weeks.
pub const INVITATION_DAYS: i64 = 14;

/// A new invitation and the link to pass on (shown once; only its hash is kept).
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub invitation: InvitationRow,
    pub link: String,
}

/// An owner invites someone to the org with `role`; `email` ("" for none) is checked.
pub async fn create(
    app: &App,
    slug: &str,
    user: &UserRow,
    role: MemberRole,
    email: &str,
) -> Result<NewInvitation, AppError> {
    let (org, _) = find_org(app, slug).await?;
    require_owner(app, &org, user).await?;
    let email = email.trim();
    let email = if email.is_empty() {
        None
    } else {
        Some(parse_address(email)?)
    };
    let token = super::random_token(32);
    let now = db::now_micros();
    let mut conn = app.db.conn().await?;
    let invitation = db::invitations::insert_invitation(
        &mut conn,
        &NewInvitationRow {
            org_id: org.id,
            token_hash: &token_hash(&token),
            role,
            email: email.as_deref(),
            invited_by: user.id,
            created_at: now,
            expires_at: now + INVITATION_DAYS * 24 * 3600 * 1_000_000,
        },
    )
    .await?;
    Ok(NewInvitation {
        invitation,
        link: format!(
            "{}/invite/org/{token}",
            app.base_url().trim_end_matches('/')
        ),
    })
}

fn parse_address(s: &str) -> Result<String, AppError> {
    let ok = s.len() <= 254
        && !s.contains(char::is_whitespace)
        && s.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        });
    if ok {
        Ok(s.to_string())
    } else {
        Err(AppError::Fields(vec![FieldError::new(
            "email",
            format!("{s:?} is not an e-mail address"),
        )]))
    }
}

/// Mails the invitation's link (words by the caller); `NotConfigured` without SMTP.
pub async fn send_by_mail(
    app: &App,
    new: &NewInvitation,
    subject: String,
    text: String,
) -> Result<Delivery, AppError> {
    let Some(to) = new.invitation.email.clone() else {
        return Ok(Delivery::NotConfigured);
    };
    mail::send(app, Mail { to, subject, text }).await
}

/// The org's invitations that can still be used (owners see them).
pub async fn list_pending(
    app: &App,
    org: &OrgRow,
    user: &UserRow,
) -> Result<Vec<InvitationRow>, AppError> {
    require_owner(app, org, user).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::invitations::list_pending_invitations(&mut conn, org.id, db::now_micros()).await?)
}

/// An owner withdraws an invitation that was not used yet.
pub async fn revoke(app: &App, org: &OrgRow, user: &UserRow, id: i64) -> Result<(), AppError> {
    require_owner(app, org, user).await?;
    let mut conn = app.db.conn().await?;
    if db::invitations::delete_pending_invitation(&mut conn, org.id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "invitation {id} of {}",
            org.slug
        )))
    }
}

/// The org and role a token invites to, when it can still be used.
pub async fn find_usable(
    app: &App,
    token: &str,
) -> Result<(InvitationRow, OrgRow, ActorRow), AppError> {
    let mut conn = app.db.conn().await?;
    let invitation = db::invitations::find_invitation_by_hash(&mut conn, &token_hash(token))
        .await?
        .ok_or_else(|| AppError::NotFound("invitation".into()))?;
    if invitation.used_at.is_some() || invitation.expires_at <= db::now_micros() {
        return Err(AppError::Gone(
            "this invitation was used already or has expired".into(),
        ));
    }
    let actor_id = db::accounts::find_org_actor_id(&mut conn, invitation.org_id)
        .await?
        .ok_or_else(|| AppError::internal("invitation without org"))?;
    let actor = db::actors::find_actor_by_id(&mut conn, actor_id)
        .await?
        .ok_or_else(|| AppError::internal("org without actor"))?;
    let org = db::accounts::find_org_by_actor(&mut conn, actor_id)
        .await?
        .ok_or_else(|| AppError::internal("invitation without org"))?;
    Ok((invitation, org, actor))
}

/// The signed-in person accepts: they become a member with the invitation's role (someone who
/// already is a member keeps their role) and the invitation is used up.
pub async fn accept(app: &App, token: &str, user: &UserRow) -> Result<OrgRow, AppError> {
    let (invitation, org, _) = find_usable(app, token).await?;
    let mut tx = app.db.begin().await?;
    // Two tabs accepting at once: only one marks it used; the other changes nothing.
    if !db::invitations::use_invitation(&mut tx, invitation.id, user.id, db::now_micros()).await? {
        return Err(AppError::Gone(
            "this invitation was used already or has expired".into(),
        ));
    }
    db::accounts::insert_member_if_absent(&mut tx, org.id, user.id, invitation.role).await?;
    tx.commit().await?;
    Ok(org)
}
