//! Moderators' actions on content and accounts, local and remote (issue 9): hide, remove,
//! limit, suspend, and the purge of suspended local accounts. Every action is logged with
//! `moderation_log::record` in the transaction that performs it.
//!
//! - Content: hiding keeps an object but shows it nowhere public (reversible); removing a
//!   local object deletes it as its editors would (`Delete` goes to its followers), removing a
//!   remote one deletes our copy and tells its server nothing.
//! - Local accounts: suspension disables the person's sign-in, serves the actor with
//!   `suspended: true` and federates `Update` of it (Mastodon then suspends its copy); the data
//!   is kept until `purge_at` (`[moderation] suspension_retention_days`), then [`purge_due`]
//!   deletes the content (federating `Delete`) and the actor (`Delete{actor}`).
//! - Remote accounts: suspension drops their activities at the inbox, removes their follows
//!   with us, and keeps their content out of every page (or deletes it on request).
//! - Limits: the actor's `limited` flag; listings leave limited actors out of public views.
//!
//! No SQL here, no HTTP: pages and the API call these functions.

use crate::db::{self, actors::ActorKind, moderation::ContentKind, Conn};
use crate::domain::accounts::Role;
use crate::domain::announcements::announcement_ap_id;
use crate::domain::error::AppError;
use crate::domain::events::event_ap_id;
use crate::domain::moderation_log::{self, Entry};
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::App;

pub use db::actors::ActorRow;
pub use db::moderation::ContentRow;

type UserRow = db::accounts::UserRow;

/// What a moderator may do to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    Suspend,
    Unsuspend,
    Limit,
    Unlimit,
    /// Delete the content now: a suspended remote actor's stored content, or a suspended local
    /// account's data before its period ends.
    Purge,
}

impl AccountAction {
    pub const ALL: &'static [AccountAction] = &[
        AccountAction::Suspend,
        AccountAction::Unsuspend,
        AccountAction::Limit,
        AccountAction::Unlimit,
        AccountAction::Purge,
    ];

    /// The name in URLs (`/moderation/accounts/{id}/suspend`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountAction::Suspend => "suspend",
            AccountAction::Unsuspend => "unsuspend",
            AccountAction::Limit => "limit",
            AccountAction::Unlimit => "unlimit",
            AccountAction::Purge => "purge",
        }
    }

    pub fn parse(s: &str) -> Option<AccountAction> {
        AccountAction::ALL.iter().copied().find(|a| a.as_str() == s)
    }

    /// The name in the moderation log.
    pub fn log_name(self) -> &'static str {
        match self {
            AccountAction::Suspend => "actor.suspend",
            AccountAction::Unsuspend => "actor.unsuspend",
            AccountAction::Limit => "actor.limit",
            AccountAction::Unlimit => "actor.unlimit",
            AccountAction::Purge => "actor.purge",
        }
    }
}

/// What a moderator may do to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentAction {
    Hide,
    Unhide,
    Remove,
}

impl ContentAction {
    pub const ALL: &'static [ContentAction] = &[
        ContentAction::Hide,
        ContentAction::Unhide,
        ContentAction::Remove,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContentAction::Hide => "hide",
            ContentAction::Unhide => "unhide",
            ContentAction::Remove => "remove",
        }
    }

    pub fn parse(s: &str) -> Option<ContentAction> {
        ContentAction::ALL.iter().copied().find(|a| a.as_str() == s)
    }

    pub fn log_name(self) -> &'static str {
        match self {
            ContentAction::Hide => "content.hide",
            ContentAction::Unhide => "content.unhide",
            ContentAction::Remove => "content.remove",
        }
    }
}

/// Why a moderator acted: `reason` for the moderators, `public_reason` for the public log.
#[derive(Debug, Clone, Default)]
pub struct Reasons {
    pub reason: String,
    pub public_reason: String,
    /// The report the action resolves, if any.
    pub report_id: Option<i64>,
}

/// Longest reason kept, in characters.
const MAX_REASON_CHARS: usize = 5000;

impl Reasons {
    /// Trimmed reasons; too long ones are refused.
    pub fn parse(
        reason: &str,
        public_reason: &str,
        report_id: Option<i64>,
    ) -> Result<Self, AppError> {
        let reason = reason.trim();
        let public_reason = public_reason.trim();
        if reason.chars().count() > MAX_REASON_CHARS
            || public_reason.chars().count() > MAX_REASON_CHARS
        {
            return Err(AppError::Invalid(format!(
                "a reason has at most {MAX_REASON_CHARS} characters"
            )));
        }
        Ok(Reasons {
            reason: reason.to_string(),
            public_reason: public_reason.to_string(),
            report_id,
        })
    }
}

fn require_moderator(by: &UserRow) -> Result<(), AppError> {
    if matches!(by.role, Role::Admin | Role::Moderator) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only moderators and admins moderate".into(),
        ))
    }
}

/// One account by its row id (not the instance actor).
pub async fn account(app: &App, id: i64) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::actors::find_actor_by_id(&mut conn, id)
        .await?
        .filter(|a| a.kind != ActorKind::Application)
        .ok_or_else(|| AppError::NotFound(format!("account {id}")))
}

/// One account by its ActivityPub id.
pub async fn account_by_ap_id(app: &App, ap_id: &str) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::actors::find_actor_by_ap_id(&mut conn, ap_id)
        .await?
        .filter(|a| a.kind != ActorKind::Application)
        .ok_or_else(|| AppError::NotFound(format!("account {ap_id}")))
}

/// Accounts whose handle, host or name contains `q` (local first); none for an empty query.
pub async fn search_accounts(app: &App, q: &str) -> Result<Vec<ActorRow>, AppError> {
    let q = q.trim().trim_start_matches('@');
    if q.is_empty() {
        return Ok(Vec::new());
    }
    // `name@host` searches by the name.
    let q = q.split('@').next().unwrap_or(q);
    let mut conn = app.db.conn().await?;
    let ids = db::moderation::search_actor_ids(&mut conn, q, 50).await?;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(a) = db::actors::find_actor_by_id(&mut conn, id).await? {
            found.push(a);
        }
    }
    Ok(found)
}

/// An object of an account with its ActivityPub id filled in.
#[derive(Debug, Clone)]
pub struct ContentItem {
    pub row: ContentRow,
    pub ap_id: String,
}

/// An account's recent live objects (of every kind it can have), for its moderation page.
pub async fn account_content(app: &App, actor: &ActorRow) -> Result<Vec<ContentItem>, AppError> {
    let kinds: &[ContentKind] = if actor.local {
        &[
            ContentKind::Announcement,
            ContentKind::Event,
            ContentKind::Project,
        ]
    } else {
        &[
            ContentKind::RemoteNote,
            ContentKind::Comment,
            ContentKind::Event,
            ContentKind::RemoteProject,
        ]
    };
    let mut conn = app.db.conn().await?;
    let mut items = Vec::new();
    for kind in kinds {
        for row in db::moderation::list_actor_content(&mut conn, *kind, actor.id, 20).await? {
            let ap_id = match (&row.ap_id, row.kind) {
                (Some(id), _) => id.clone(),
                (None, ContentKind::Announcement) => announcement_ap_id(app, row.id),
                (None, _) => event_ap_id(app, row.id),
            };
            items.push(ContentItem { row, ap_id });
        }
    }
    Ok(items)
}

/// An object a moderator acts on, found by its ActivityPub id.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: ContentKind,
    pub id: i64,
    pub ap_id: String,
    /// Stored here as our own (deleting it federates `Delete`).
    pub local: bool,
    /// Who published it.
    pub author: ActorRow,
}

/// A local announcement, event or project by its id (`rest`: the id after the base URL).
async fn find_local_target(
    conn: &mut Conn,
    ap_id: &str,
    rest: &str,
) -> Result<Option<Target>, AppError> {
    let not_found = || AppError::NotFound(format!("object {ap_id}"));
    if let Some(n) = rest
        .strip_prefix("announcements/")
        .and_then(|n| n.parse().ok())
    {
        let row = db::announcements::find_announcement(conn, n)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or_else(not_found)?;
        let actor_id = db::accounts::find_org_actor_id(conn, row.org_id)
            .await?
            .ok_or_else(not_found)?;
        let author = find_actor(conn, actor_id).await?;
        return Ok(Some(Target {
            kind: ContentKind::Announcement,
            id: row.id,
            ap_id: ap_id.to_string(),
            local: true,
            author,
        }));
    }
    if let Some(n) = rest.strip_prefix("events/").and_then(|n| n.parse().ok()) {
        let row = db::events::find_event(conn, n)
            .await?
            .filter(|r| r.local && r.deleted_at.is_none())
            .ok_or_else(not_found)?;
        let author = find_actor(conn, row.actor_id).await?;
        return Ok(Some(Target {
            kind: ContentKind::Event,
            id: row.id,
            ap_id: ap_id.to_string(),
            local: true,
            author,
        }));
    }
    if let Some(actor) = db::actors::find_actor_by_ap_id(conn, ap_id).await? {
        if actor.kind == ActorKind::Project {
            let id = db::moderation::find_project_id_by_actor(conn, actor.id)
                .await?
                .ok_or_else(not_found)?;
            return Ok(Some(Target {
                kind: ContentKind::Project,
                id,
                ap_id: ap_id.to_string(),
                local: true,
                author: actor,
            }));
        }
        return Err(AppError::BadRequest(format!(
            "{ap_id} is an account: act on it on its moderation page"
        )));
    }
    Ok(None)
}

/// Finds a live object by its ActivityPub id (a local announcement, event or project; a
/// comment; a remote note, event or project).
pub async fn find_target(conn: &mut Conn, app: &App, ap_id: &str) -> Result<Target, AppError> {
    let not_found = || AppError::NotFound(format!("object {ap_id}"));
    let base = app.base_url();
    if let Some(rest) = ap_id.strip_prefix(&format!("{base}/")) {
        if let Some(t) = find_local_target(conn, ap_id, rest).await? {
            return Ok(t);
        }
    }
    if let Some(c) = db::social::find_comment_by_ap_id(conn, ap_id).await? {
        if c.deleted_at.is_none() {
            let author = find_actor(conn, c.actor_id).await?;
            return Ok(Target {
                kind: ContentKind::Comment,
                id: c.id,
                ap_id: ap_id.to_string(),
                local: false,
                author,
            });
        }
        return Err(not_found());
    }
    if let Some(n) = db::remote_notes::find_remote_note(conn, ap_id).await? {
        if n.deleted_at.is_none() {
            let author = find_actor(conn, n.actor_id).await?;
            return Ok(Target {
                kind: ContentKind::RemoteNote,
                id: n.id,
                ap_id: ap_id.to_string(),
                local: false,
                author,
            });
        }
        return Err(not_found());
    }
    if let Some(e) = db::events::find_event_by_ap_id(conn, ap_id).await? {
        if e.deleted_at.is_none() && !e.local {
            let author = find_actor(conn, e.actor_id).await?;
            return Ok(Target {
                kind: ContentKind::Event,
                id: e.id,
                ap_id: ap_id.to_string(),
                local: false,
                author,
            });
        }
        return Err(not_found());
    }
    if let Some(p) = db::projects::find_remote_project(conn, ap_id).await? {
        let author = find_actor(conn, p.actor_id).await?;
        return Ok(Target {
            kind: ContentKind::RemoteProject,
            id: p.id,
            ap_id: ap_id.to_string(),
            local: false,
            author,
        });
    }
    Err(not_found())
}

async fn find_actor(conn: &mut Conn, id: i64) -> Result<ActorRow, AppError> {
    db::actors::find_actor_by_id(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("actor {id}")))
}

/// Whether a moderator hid the object with this ActivityPub id (false for unknown objects).
/// Single-object pages and documents answer 404 for hidden ones.
pub async fn is_hidden(app: &App, kind: ContentKind, id: i64) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::moderation::is_content_hidden(&mut conn, kind, id).await?)
}

/// Hides, unhides or removes one object (see the module doc) and logs it.
pub async fn act_on_content(
    app: &App,
    by: &UserRow,
    ap_id: &str,
    action: ContentAction,
    why: &Reasons,
) -> Result<Target, AppError> {
    require_moderator(by)?;
    let mut tx = OutgoingTx::begin(app).await?;
    let target = find_target(&mut tx, app, ap_id).await?;
    let now = db::now_micros();
    match action {
        ContentAction::Hide | ContentAction::Unhide => {
            let hidden = action == ContentAction::Hide;
            db::moderation::set_content_hidden(&mut tx, target.kind, target.id, hidden).await?;
        }
        ContentAction::Remove => remove(&mut tx, &target, now).await?,
    }
    moderation_log::record(
        &mut tx,
        &Entry {
            moderator: Some(by.id),
            action: action.log_name(),
            target_kind: "object",
            target: &target.ap_id,
            target_host: &target.author.host,
            reason: &why.reason,
            public_reason: &why.public_reason,
            report_id: why.report_id,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(target)
}

/// Deletes one object: local ones as their editors would, federating `Delete`; remote ones
/// only here.
async fn remove(tx: &mut OutgoingTx<'_>, t: &Target, now: i64) -> Result<(), AppError> {
    match (t.kind, t.local) {
        (ContentKind::Announcement, _) => {
            remove_local_announcement(tx, &t.author, t.id, &t.ap_id, now).await
        }
        (ContentKind::Event, true) => remove_local_event(tx, &t.author, t.id, &t.ap_id, now).await,
        (ContentKind::Project, _) => remove_local_project(tx, &t.author, t.id, now).await,
        (ContentKind::Event, false) => Ok(db::events::mark_event_deleted(tx, t.id, now).await?),
        (ContentKind::Comment, _) => {
            db::social::mark_comment_deleted(tx, &t.ap_id, None, now).await?;
            Ok(())
        }
        (ContentKind::RemoteNote, _) => {
            db::remote_notes::mark_remote_note_deleted(tx, &t.ap_id, t.author.id, now).await?;
            Ok(())
        }
        (ContentKind::RemoteProject, _) => {
            db::projects::delete_remote_project(tx, &t.ap_id, t.author.id).await?;
            Ok(())
        }
    }
}

// The three deletions below are the ones `announcements::delete`, `events::delete` and
// `projects::delete` make for an editor, without the editor check (a moderator is no editor).

async fn remove_local_announcement(
    tx: &mut OutgoingTx<'_>,
    org: &ActorRow,
    id: i64,
    ap_id: &str,
    now: i64,
) -> Result<(), AppError> {
    db::announcements::mark_announcement_deleted(tx, id, now).await?;
    db::activities::hide_activities_about(tx, ap_id).await?;
    tx.submit(Outgoing::DeleteNote {
        author: org,
        ap_id,
        at: now,
    })
    .await
}

async fn remove_local_event(
    tx: &mut OutgoingTx<'_>,
    org: &ActorRow,
    id: i64,
    ap_id: &str,
    now: i64,
) -> Result<(), AppError> {
    // Participants hear of it too (their inboxes are read before the row goes).
    tx.submit(Outgoing::DeleteEvent {
        org,
        event_id: id,
        ap_id: ap_id.to_string(),
        at: now,
    })
    .await?;
    db::events::mark_event_deleted(tx, id, now).await?;
    db::activities::hide_activities_about(tx, ap_id).await?;
    Ok(())
}

async fn remove_local_project(
    tx: &mut OutgoingTx<'_>,
    project: &ActorRow,
    id: i64,
    now: i64,
) -> Result<(), AppError> {
    db::projects::mark_project_deleted(tx, id, now).await?;
    tx.submit(Outgoing::DeleteActor {
        actor: project,
        at: now,
    })
    .await
}

/// Suspends, limits, lifts or purges an account (see the module doc) and logs it. Returns the
/// account as it is afterwards.
pub async fn act_on_account(
    app: &App,
    by: &UserRow,
    actor_id: i64,
    action: AccountAction,
    why: &Reasons,
) -> Result<ActorRow, AppError> {
    require_moderator(by)?;
    let mut tx = OutgoingTx::begin(app).await?;
    let actor = find_actor(&mut tx, actor_id).await?;
    if actor.kind == ActorKind::Application {
        return Err(AppError::BadRequest(
            "the instance actor cannot be moderated".into(),
        ));
    }
    if actor.local && actor.kind == ActorKind::Project {
        return Err(AppError::BadRequest(
            "a local project is content: hide or remove it as an object".into(),
        ));
    }
    if actor.id == by.actor_id {
        return Err(AppError::Conflict(
            "moderators do not act on their own account".into(),
        ));
    }
    let user_id = if actor.local {
        db::moderation::find_user_id_by_actor(&mut tx, actor.id).await?
    } else {
        None
    };
    if let Some(uid) = user_id {
        let user = db::accounts::find_user(&mut tx, uid).await?;
        if user.is_some_and(|u| u.role == Role::Admin) && by.role != Role::Admin {
            return Err(AppError::Forbidden(
                "only an admin acts on an admin's account".into(),
            ));
        }
    }
    let now = db::now_micros();
    match action {
        AccountAction::Suspend => suspend(app, &mut tx, &actor, user_id, now).await?,
        AccountAction::Unsuspend => unsuspend(&mut tx, &actor, user_id).await?,
        AccountAction::Limit | AccountAction::Unlimit => {
            db::moderation::set_actor_limited(&mut tx, actor.id, action == AccountAction::Limit)
                .await?;
        }
        AccountAction::Purge => {
            if actor.suspended_at.is_none() {
                return Err(AppError::Conflict(
                    "only a suspended account's content is purged".into(),
                ));
            }
            if actor.local {
                purge_local(app, &mut tx, &actor, now).await?;
            } else {
                purge_remote(&mut tx, &actor, now).await?;
            }
        }
    }
    log_account(&mut tx, Some(by.id), action, &actor, why).await?;
    let after = find_actor(&mut tx, actor.id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Suspends an account (see the module doc).
async fn suspend(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    actor: &ActorRow,
    user_id: Option<i64>,
    now: i64,
) -> Result<(), AppError> {
    if actor.suspended_at.is_some() {
        return Err(AppError::Conflict(
            "the account is already suspended".into(),
        ));
    }
    if !actor.local {
        db::moderation::set_actor_suspension(tx, actor.id, Some(now), None).await?;
        db::moderation::delete_actor_follows(tx, actor.id).await?;
        return Ok(());
    }
    let days = i64::from(app.settings.moderation.suspension_retention_days);
    let purge_at = now + days * 86_400 * 1_000_000;
    db::moderation::set_actor_suspension(tx, actor.id, Some(now), Some(purge_at)).await?;
    if let Some(uid) = user_id {
        db::registrations::update_disabled(tx, uid, true).await?;
        db::sessions::delete_user_sessions(tx, uid).await?;
    }
    let updated = find_actor(tx, actor.id).await?;
    tx.submit(Outgoing::UpdateActor { actor: &updated }).await
}

/// Lifts a suspension; a purged local account stays suspended.
async fn unsuspend(
    tx: &mut OutgoingTx<'_>,
    actor: &ActorRow,
    user_id: Option<i64>,
) -> Result<(), AppError> {
    if actor.suspended_at.is_none() {
        return Err(AppError::Conflict("the account is not suspended".into()));
    }
    if actor.local
        && db::moderation::find_actor_purge_at(tx, actor.id)
            .await?
            .is_none()
    {
        return Err(AppError::Conflict(
            "the account was purged; its suspension cannot be lifted".into(),
        ));
    }
    db::moderation::set_actor_suspension(tx, actor.id, None, None).await?;
    if !actor.local {
        return Ok(());
    }
    if let Some(uid) = user_id {
        db::registrations::update_disabled(tx, uid, false).await?;
    }
    let updated = find_actor(tx, actor.id).await?;
    tx.submit(Outgoing::UpdateActor { actor: &updated }).await
}

async fn log_account(
    conn: &mut Conn,
    moderator: Option<i64>,
    action: AccountAction,
    actor: &ActorRow,
    why: &Reasons,
) -> Result<i64, AppError> {
    moderation_log::record(
        conn,
        &Entry {
            moderator,
            action: action.log_name(),
            target_kind: "actor",
            target: &actor.ap_id,
            target_host: &actor.host,
            reason: &why.reason,
            public_reason: &why.public_reason,
            report_id: why.report_id,
        },
    )
    .await
}

/// Deletes a remote actor's stored content here (its server is told nothing).
async fn purge_remote(tx: &mut OutgoingTx<'_>, actor: &ActorRow, now: i64) -> Result<(), AppError> {
    db::moderation::delete_actor_comments(tx, actor.id, now).await?;
    db::moderation::delete_actor_notes(tx, actor.id, now).await?;
    db::moderation::delete_actor_remote_events(tx, actor.id, now).await?;
    db::moderation::delete_actor_remote_projects(tx, actor.id).await?;
    Ok(())
}

/// Deletes a suspended local account's content, federating `Delete` for each object, then the
/// actor itself (`Delete{actor}`); the suspension stays and no purge is due any more.
async fn purge_local(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    actor: &ActorRow,
    now: i64,
) -> Result<(), AppError> {
    for kind in [
        ContentKind::Announcement,
        ContentKind::Event,
        ContentKind::Project,
    ] {
        let rows = db::moderation::list_actor_content(tx, kind, actor.id, i64::MAX).await?;
        for row in rows {
            match kind {
                ContentKind::Announcement => {
                    let ap_id = announcement_ap_id(app, row.id);
                    remove_local_announcement(tx, actor, row.id, &ap_id, now).await?;
                }
                ContentKind::Event => {
                    let ap_id = event_ap_id(app, row.id);
                    remove_local_event(tx, actor, row.id, &ap_id, now).await?;
                }
                _ => {
                    let Some(ap_id) = row.ap_id.as_deref() else {
                        continue;
                    };
                    let project = db::actors::find_actor_by_ap_id(tx, ap_id).await?;
                    if let Some(project) = project {
                        remove_local_project(tx, &project, row.id, now).await?;
                    }
                }
            }
        }
    }
    tx.submit(Outgoing::DeleteActor { actor, at: now }).await?;
    db::moderation::delete_actor_follows(tx, actor.id).await?;
    let suspended = actor.suspended_at.unwrap_or(now);
    db::moderation::set_actor_suspension(tx, actor.id, Some(suspended), None).await?;
    Ok(())
}

/// Purges every suspended local account whose period ended by `now`: its content is deleted
/// with `Delete` federated, then the actor. Returns how many accounts were purged.
pub async fn purge_due(app: &App, now: i64) -> Result<usize, AppError> {
    let due = {
        let mut conn = app.db.conn().await?;
        db::moderation::list_purge_due(&mut conn, now).await?
    };
    let mut purged = 0;
    for id in due {
        let mut tx = OutgoingTx::begin(app).await?;
        let actor = find_actor(&mut tx, id).await?;
        let purge_at = db::moderation::find_actor_purge_at(&mut tx, id).await?;
        // Checked again inside the transaction: a moderator may have lifted it meanwhile.
        if actor.suspended_at.is_none() || purge_at.is_none_or(|at| at > now) {
            continue;
        }
        purge_local(app, &mut tx, &actor, db::now_micros()).await?;
        log_account(
            &mut tx,
            None,
            AccountAction::Purge,
            &actor,
            &Reasons {
                reason: "suspension period ended".into(),
                ..Reasons::default()
            },
        )
        .await?;
        tx.commit().await?;
        purged += 1;
    }
    Ok(purged)
}
