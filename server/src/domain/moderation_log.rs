//! The moderation log (issue 9): every moderation action, with who, when, what and why, is
//! recorded here in the transaction that performs it, so an action and its entry commit
//! together. Moderators read the whole log; the public variant (when the admin enables it)
//! shows no person: the action, the kind of target, its host and the public reason.

use crate::db::{self, moderation_log::NewLogEntry, Conn};
use crate::domain::error::AppError;
use crate::App;

pub use db::moderation_log::LogRow;

/// One action to log. `action` is a stable dotted name (`report.resolve`, `actor.suspend`,
/// `domain.limit`, ...): pages translate `modlog-action-<action with dots as dashes>`.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Who acted; `None` when the instance acted on its own (a list refresh, a purge).
    pub moderator: Option<i64>,
    pub action: &'a str,
    /// `actor`, `object`, `domain`, `report`, `list` or `setting`.
    pub target_kind: &'a str,
    /// What was acted on: an ActivityPub id, a host, a report number, a list URL.
    pub target: &'a str,
    /// The host the target lives on ("" for a setting).
    pub target_host: &'a str,
    /// Why, for the moderators.
    pub reason: &'a str,
    /// Why, as the public log may show it ("" shows nothing).
    pub public_reason: &'a str,
    pub report_id: Option<i64>,
}

/// Records an action in the caller's transaction (or on a connection).
pub async fn record(conn: &mut Conn, e: &Entry<'_>) -> Result<i64, AppError> {
    let row = NewLogEntry {
        moderator_user_id: e.moderator,
        action: e.action,
        target_kind: e.target_kind,
        target: e.target,
        target_host: e.target_host,
        reason: e.reason,
        public_reason: e.public_reason,
        report_id: e.report_id,
    };
    Ok(db::moderation_log::insert_log_entry(conn, &row, db::now_micros()).await?)
}

/// The newest entries (optionally about one target or host), older than `before`.
pub async fn list(
    app: &App,
    target: Option<&str>,
    host: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<LogRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(
        db::moderation_log::list_log_entries(&mut conn, target, host, before, limit.clamp(1, 200))
            .await?,
    )
}

/// A report's own entries, oldest first.
pub async fn for_report(app: &App, report_id: i64) -> Result<Vec<LogRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::moderation_log::list_report_log_entries(&mut conn, report_id).await?)
}

/// An entry as the public log shows it: no person, no private reason, no target beyond its
/// host (a local account's name is personal data).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublicEntry {
    pub at: i64,
    pub action: String,
    pub target_kind: String,
    pub target_host: String,
    pub public_reason: String,
}

impl From<&LogRow> for PublicEntry {
    fn from(r: &LogRow) -> Self {
        PublicEntry {
            at: r.at,
            action: r.action.clone(),
            target_kind: r.target_kind.clone(),
            target_host: r.target_host.clone(),
            public_reason: r.public_reason.clone(),
        }
    }
}

/// The instance setting that shows the public log (`/about/moderation-log`); off by default.
pub const PUBLIC_LOG_SETTING: &str = "public_moderation_log";

/// Whether the admin made the log public.
pub async fn public_log_enabled(app: &App) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    let settings = db::instance::load_settings(&mut conn).await?;
    Ok(settings
        .iter()
        .any(|(name, value)| name == PUBLIC_LOG_SETTING && value == "1"))
}

/// Shows or hides the public log; only an admin may (an instance setting), and the change is
/// itself logged (`setting.public_log`).
pub async fn set_public_log(
    app: &App,
    user: &db::accounts::UserRow,
    public: bool,
) -> Result<(), AppError> {
    if user.role != crate::domain::accounts::Role::Admin {
        return Err(AppError::Forbidden(
            "only an admin may change instance settings".into(),
        ));
    }
    let mut tx = app.db.begin().await?;
    db::instance::store_setting(&mut tx, PUBLIC_LOG_SETTING, if public { "1" } else { "0" })
        .await?;
    record(
        &mut tx,
        &Entry {
            moderator: Some(user.id),
            action: "setting.public_log",
            target_kind: "setting",
            target: if public { "on" } else { "off" },
            target_host: "",
            reason: "",
            public_reason: "",
            report_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The public log, newest first, older than `before`; `None` while the admin has not enabled it.
pub async fn list_public(
    app: &App,
    before: Option<i64>,
    limit: i64,
) -> Result<Option<Vec<(i64, PublicEntry)>>, AppError> {
    if !public_log_enabled(app).await? {
        return Ok(None);
    }
    let rows = list(app, None, None, before, limit).await?;
    Ok(Some(
        rows.iter().map(|r| (r.id, PublicEntry::from(r))).collect(),
    ))
}
