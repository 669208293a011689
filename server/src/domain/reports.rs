//! Reports: from the report form (anyone, no account needed), the API and other servers'
//! `Flag`s; the moderators' queue decides them (resolve, reject, with a note) and may forward a
//! report about remote content to its home server as a `Flag` of the instance actor, so the
//! reporter stays anonymous.
//!
//! A report names one account (the reported actor, or the author of the reported object) and
//! keeps a snapshot of each reported object as it was when reported: moderators judge what was
//! reported, not what it was edited into since.

use std::net::IpAddr;

use revier_federation::incoming::flag::Flag;
use url::Url;

use crate::db::{self, actors::ActorRow, reports::NewReport, Conn};
use crate::domain::accounts::instance_actor;
use crate::domain::error::AppError;
use crate::domain::moderation_log::{self, Entry, LogRow};
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::page::Page;
use crate::domain::rate_limits::{self, Limit};
use crate::domain::remote_actors;
use crate::domain::text::{plain_text_capped, sanitize_html_capped, truncate_chars};
use crate::App;

pub use db::reports::{ObjectSnapshot, ReportCategory, ReportRow, ReportStatus};

/// The longest comment a report keeps, in characters (Mastodon's limit, also for what we
/// forward).
pub const MAX_COMMENT_CHARS: usize = 5_000;

/// The longest content kept in a snapshot, in characters of sanitized HTML.
const MAX_SNAPSHOT_HTML_CHARS: usize = 20_000;

/// Reports per client address (the form needs no account): enough for someone reporting a
/// few things in a row, too few to flood the queue.
pub const REPORT_ADDRESS_LIMIT: Limit = Limit {
    max: 5,
    window_secs: 3600,
};

/// Reports per signed-in person (form or API).
pub const REPORT_USER_LIMIT: Limit = Limit {
    max: 20,
    window_secs: 3600,
};

/// Who reports.
#[derive(Debug, Clone, Copy)]
pub enum Reporter {
    /// A visitor without an account; only the address counts for the rate limit, and it is
    /// not stored.
    Anonymous(Option<IpAddr>),
    /// A signed-in person (and the address, when the form was used).
    User(i64, Option<IpAddr>),
}

/// A report from the form or the API.
#[derive(Debug, Clone)]
pub struct NewReportInput {
    pub reporter: Reporter,
    /// An ActivityPub id, or a page of this instance (a full URL or a path).
    pub target: String,
    pub category: ReportCategory,
    pub comment: String,
}

/// What a target names: the account it belongs to and the target as it is now.
#[derive(Debug, Clone)]
pub struct Reported {
    pub account: ActorRow,
    pub snapshot: ObjectSnapshot,
}

impl Reported {
    /// True when the target is the account itself (not one of its objects).
    pub fn is_account(&self) -> bool {
        self.snapshot.ap_id == self.account.ap_id
    }
}

/// Reads a category from a form or the API.
pub fn parse_category(s: &str) -> Result<ReportCategory, AppError> {
    s.parse().map_err(|()| {
        AppError::Invalid(format!(
            "category must be one of spam, legal, violation, other, not {s:?}"
        ))
    })
}

/// The target as an absolute id: a path is taken as a page of this instance.
fn absolute(app: &App, target: &str) -> Option<String> {
    let target = target.trim();
    let full = if target.starts_with('/') && !target.starts_with("//") {
        format!("{}{target}", app.base_url())
    } else {
        target.to_string()
    };
    let url = Url::parse(&full).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.as_str().len() > 2048 {
        return None;
    }
    Some(url.to_string())
}

fn actor_snapshot(a: &ActorRow) -> ObjectSnapshot {
    ObjectSnapshot {
        ap_id: a.ap_id.clone(),
        kind: a.kind.as_str().to_string(),
        url: if a.url.is_empty() {
            a.ap_id.clone()
        } else {
            a.url.clone()
        },
        name: if a.name.is_empty() {
            a.username.clone()
        } else {
            a.name.clone()
        },
        content_html: sanitize_html_capped(&a.summary, MAX_SNAPSHOT_HTML_CHARS),
        published: Some(a.published),
    }
}

/// The trailing number of `{base}/{section}/{n}`.
fn local_number(app: &App, id: &str, section: &str) -> Option<i64> {
    id.strip_prefix(app.base_url())?
        .strip_prefix('/')?
        .strip_prefix(section)?
        .strip_prefix('/')?
        .parse()
        .ok()
}

/// What `target` names, if it is something stored here that can be reported: an actor (an
/// organization, a person, a project), an event, an announcement, a comment or a remote note.
/// Deleted objects cannot be reported.
pub async fn find_target(app: &App, target: &str) -> Result<Option<Reported>, AppError> {
    let Some(id) = absolute(app, target) else {
        return Ok(None);
    };
    let mut conn = app.db.conn().await?;
    find_target_in(app, &mut conn, &id).await
}

async fn find_target_in(
    app: &App,
    conn: &mut Conn,
    id: &str,
) -> Result<Option<Reported>, AppError> {
    if let Some(a) = db::actors::find_actor_by_ap_id(conn, id).await? {
        let snapshot = actor_snapshot(&a);
        return Ok(Some(Reported {
            account: a,
            snapshot,
        }));
    }
    if let Some(r) = find_event(app, conn, id).await? {
        return Ok(Some(r));
    }
    if let Some(r) = find_announcement(app, conn, id).await? {
        return Ok(Some(r));
    }
    find_comment_or_note(conn, id).await
}

/// The author of an object, and the object as it is now.
async fn authored(
    conn: &mut Conn,
    actor_id: i64,
    snapshot: ObjectSnapshot,
) -> Result<Option<Reported>, AppError> {
    Ok(db::actors::find_actor_by_id(conn, actor_id)
        .await?
        .map(|account| Reported { account, snapshot }))
}

/// An event (a local one's id is its page).
async fn find_event(app: &App, conn: &mut Conn, id: &str) -> Result<Option<Reported>, AppError> {
    let event = match local_number(app, id, "events") {
        Some(n) => db::events::find_event(conn, n).await?.filter(|e| e.local),
        None => db::events::find_event_by_ap_id(conn, id).await?,
    };
    let Some(e) = event.filter(|e| e.deleted_at.is_none()) else {
        return Ok(None);
    };
    let content = if e.description_html.is_empty() {
        e.remote_summary.clone().unwrap_or_default()
    } else {
        e.description_html.clone()
    };
    let snapshot = ObjectSnapshot {
        ap_id: id.to_string(),
        kind: "Event".into(),
        url: e.url.clone().unwrap_or_else(|| id.to_string()),
        name: e.title.clone(),
        content_html: sanitize_html_capped(&content, MAX_SNAPSHOT_HTML_CHARS),
        published: Some(e.published),
    };
    authored(conn, e.actor_id, snapshot).await
}

/// An announcement (its id is its page).
async fn find_announcement(
    app: &App,
    conn: &mut Conn,
    id: &str,
) -> Result<Option<Reported>, AppError> {
    let Some(n) = local_number(app, id, "announcements") else {
        return Ok(None);
    };
    let Some(a) = db::announcements::find_announcement(conn, n)
        .await?
        .filter(|a| a.deleted_at.is_none())
    else {
        return Ok(None);
    };
    let Some(actor_id) = db::accounts::find_org_actor_id(conn, a.org_id).await? else {
        return Ok(None);
    };
    let snapshot = ObjectSnapshot {
        ap_id: id.to_string(),
        kind: "Note".into(),
        url: id.to_string(),
        name: String::new(),
        content_html: sanitize_html_capped(&a.content_html, MAX_SNAPSHOT_HTML_CHARS),
        published: Some(a.published),
    };
    authored(conn, actor_id, snapshot).await
}

/// A comment (by its id, or by its URL as comment lists link it), else a remote note.
async fn find_comment_or_note(conn: &mut Conn, id: &str) -> Result<Option<Reported>, AppError> {
    let comment_id = match db::reports::find_comment_ap_id_by_url(conn, id).await? {
        Some(ap_id) => ap_id,
        None => id.to_string(),
    };
    if let Some(c) = db::social::find_comment_by_ap_id(conn, &comment_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
    {
        let snapshot = ObjectSnapshot {
            ap_id: c.ap_id.clone(),
            kind: "Note".into(),
            url: c.url.clone().unwrap_or_else(|| c.ap_id.clone()),
            name: c.summary.clone().unwrap_or_default(),
            content_html: sanitize_html_capped(&c.content_html, MAX_SNAPSHOT_HTML_CHARS),
            published: Some(c.published),
        };
        return authored(conn, c.actor_id, snapshot).await;
    }
    let Some(n) = db::remote_notes::find_remote_note(conn, id)
        .await?
        .filter(|n| n.deleted_at.is_none())
    else {
        return Ok(None);
    };
    let snapshot = ObjectSnapshot {
        ap_id: n.ap_id.clone(),
        kind: "Note".into(),
        url: n.url.clone().unwrap_or_else(|| n.ap_id.clone()),
        name: n.summary.clone().unwrap_or_default(),
        content_html: sanitize_html_capped(&n.content_html, MAX_SNAPSHOT_HTML_CHARS),
        published: Some(n.published),
    };
    authored(conn, n.actor_id, snapshot).await
}

/// A comment as the report keeps it: plain text, at most [`MAX_COMMENT_CHARS`].
fn clean_comment(s: &str) -> Result<String, AppError> {
    let s = s.trim();
    if s.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::Invalid(format!(
            "the comment has more than {MAX_COMMENT_CHARS} characters"
        )));
    }
    Ok(s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect())
}

/// Counts the report against the reporter's limits: 429 when one is used up.
async fn count_against_limits(app: &App, reporter: Reporter) -> Result<(), AppError> {
    let (user, ip) = match reporter {
        Reporter::Anonymous(ip) => (None, ip),
        Reporter::User(id, ip) => (Some(id), ip),
    };
    if let Some(ip) = ip {
        rate_limits::hit(app, &format!("report:ip:{ip}"), REPORT_ADDRESS_LIMIT).await?;
    }
    if let Some(user) = user {
        rate_limits::hit(app, &format!("report:user:{user}"), REPORT_USER_LIMIT).await?;
    }
    Ok(())
}

/// Files a report from the form or the API: 404 for a target that names nothing here, 422 for
/// a comment that is too long, 429 when the reporter's limit is used up. Returns its id.
pub async fn submit(app: &App, input: &NewReportInput) -> Result<i64, AppError> {
    let comment = clean_comment(&input.comment)?;
    let reported = find_target(app, &input.target)
        .await?
        .ok_or_else(|| AppError::NotFound("nothing here has that address".into()))?;
    count_against_limits(app, input.reporter).await?;
    let user = match input.reporter {
        Reporter::User(id, _) => Some(id),
        Reporter::Anonymous(_) => None,
    };
    let mut conn = app.db.conn().await?;
    let id = db::reports::insert_report(
        &mut conn,
        &NewReport {
            reporter_user_id: user,
            reporter_actor_id: None,
            origin_host: "",
            flag_ap_id: None,
            target_actor_ap_id: &reported.account.ap_id,
            target_host: &reported.account.host,
            comment: &comment,
            category: input.category,
            objects: std::slice::from_ref(&reported.snapshot),
        },
        db::now_micros(),
    )
    .await?
    .ok_or_else(|| AppError::internal("a report without a Flag id conflicted"))?;
    tracing::info!(report = id, "report filed");
    Ok(id)
}

/// A `Flag` from another server: the named actors and objects that are ours become reports,
/// one per reported account, with the sender as reporter (its host is all the pages show).
/// Names of anything else are ignored. False when nothing became a report (nothing of ours was
/// named, the Flag was seen before, or the sender's domain has its reports rejected).
pub async fn receive_flag(
    app: &App,
    sender: &ActorRow,
    flag_id: &str,
    flag: &Flag,
) -> Result<bool, AppError> {
    let origin = sender.host.to_ascii_lowercase();
    let mut tx = app.db.begin().await?;
    if db::domain_policies::is_reports_rejected(&mut tx, &origin).await? {
        tracing::info!(host = %origin, "dropped a Flag: reports from this domain are rejected");
        return Ok(false);
    }
    // Ours, grouped by account in the order named.
    let mut groups: Vec<(ActorRow, Vec<ObjectSnapshot>)> = Vec::new();
    for id in &flag.objects {
        let Some(r) = find_target_in(app, &mut tx, id.as_str()).await? else {
            continue;
        };
        if !r.account.local {
            continue;
        }
        match groups.iter_mut().find(|(a, _)| a.id == r.account.id) {
            Some((_, objects)) => objects.push(r.snapshot),
            None => groups.push((r.account, vec![r.snapshot])),
        }
    }
    let comment = plain_text_capped(&flag.comment, MAX_COMMENT_CHARS);
    let now = db::now_micros();
    let mut filed = false;
    for (account, objects) in &groups {
        let id = db::reports::insert_report(
            &mut tx,
            &NewReport {
                reporter_user_id: None,
                reporter_actor_id: Some(sender.id),
                origin_host: &origin,
                flag_ap_id: Some(flag_id),
                target_actor_ap_id: &account.ap_id,
                target_host: &account.host,
                comment: &comment,
                category: ReportCategory::Other,
                objects,
            },
            now,
        )
        .await?;
        filed |= id.is_some();
    }
    tx.commit().await?;
    Ok(filed)
}

/// One page of the queue: reports with `status`, newest first (one more than the page holds;
/// see [`Page::cut`]).
pub async fn list(
    app: &App,
    status: ReportStatus,
    page: &Page,
) -> Result<Vec<ReportRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::reports::list_reports(&mut conn, status, page.fetch(), page.offset).await?)
}

/// How many reports wait for a moderator (the moderation overview).
pub async fn count_open(app: &App) -> Result<i64, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::reports::count_open_reports(&mut conn).await?)
}

/// A report, or 404.
pub async fn find(app: &App, id: i64) -> Result<ReportRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::reports::find_report(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no report {id}")))
}

/// What a moderator sees beside a report: earlier reports about the same account or domain,
/// and earlier log entries about them (newest first, at most 20 of each).
pub struct History {
    pub reports: Vec<ReportRow>,
    pub log: Vec<LogRow>,
}

pub async fn history(app: &App, report: &ReportRow) -> Result<History, AppError> {
    let reports = {
        let mut conn = app.db.conn().await?;
        db::reports::list_related_reports(
            &mut conn,
            report.id,
            &report.target_actor_ap_id,
            &report.target_host,
            20,
        )
        .await?
    };
    let mut log =
        moderation_log::list(app, Some(&report.target_actor_ap_id), None, None, 20).await?;
    for e in moderation_log::list(app, None, Some(&report.target_host), None, 20).await? {
        if !log.iter().any(|l| l.id == e.id) {
            log.push(e);
        }
    }
    log.sort_by_key(|e| std::cmp::Reverse(e.id));
    log.truncate(20);
    Ok(History { reports, log })
}

/// Resolves (`Resolved`) or rejects (`Rejected`) an open report with the moderator's note,
/// logged as `report.resolve` / `report.reject`. 404 for no such report, 409 when it was
/// decided already.
pub async fn decide(
    app: &App,
    moderator: i64,
    id: i64,
    status: ReportStatus,
    note: &str,
) -> Result<(), AppError> {
    let action = match status {
        ReportStatus::Resolved => "report.resolve",
        ReportStatus::Rejected => "report.reject",
        ReportStatus::Open => {
            return Err(AppError::Invalid(
                "a report is decided as resolved or rejected".into(),
            ))
        }
    };
    let note = clean_comment(note)?;
    let mut tx = app.db.begin().await?;
    let Some(report) = db::reports::find_report(&mut tx, id).await? else {
        return Err(AppError::NotFound(format!("there is no report {id}")));
    };
    if !db::reports::close_report(&mut tx, id, status, moderator, &note, db::now_micros()).await? {
        return Err(AppError::Conflict("the report was decided already".into()));
    }
    moderation_log::record(
        &mut tx,
        &Entry {
            moderator: Some(moderator),
            action,
            target_kind: "report",
            target: &report.target_actor_ap_id,
            target_host: &report.target_host,
            reason: &note,
            public_reason: "",
            report_id: Some(id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The reported account as stored now, when it is remote: only such reports can be forwarded.
pub async fn remote_account(app: &App, report: &ReportRow) -> Result<Option<ActorRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(
        db::actors::find_actor_by_ap_id(&mut conn, &report.target_actor_ap_id)
            .await?
            .filter(|a| !a.local),
    )
}

/// The inbox a server-wide message to `actor` goes to: its shared inbox, else its own.
fn server_inbox(actor: &ActorRow) -> String {
    actor
        .shared_inbox
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| actor.inbox.clone())
}

/// Forwards a report about remote content to the content's home server, and to the
/// publishers of subscribed domain lists that name its domain, as a `Flag` of the instance
/// actor (Mastodon's shape: the account, then the objects; `comment` as content, at most
/// 5,000 characters; nothing about the reporter). Logged as `report.forward`. 404 for no such
/// report, 409 for a report about local content.
pub async fn forward(app: &App, moderator: i64, id: i64, comment: &str) -> Result<(), AppError> {
    let comment = truncate_chars(&clean_comment(comment)?, MAX_COMMENT_CHARS);
    let report = find(app, id).await?;
    let Some(account) = remote_account(app, &report).await? else {
        return Err(AppError::Conflict(
            "only reports about content of other servers can be forwarded".into(),
        ));
    };
    let mut inboxes = vec![server_inbox(&account)];
    for publisher in crate::domain::domain_lists::publishers_naming(app, &account.host).await? {
        let Ok(url) = Url::parse(&publisher) else {
            continue;
        };
        match remote_actors::fetch_actor(app, &url).await {
            Ok(a) if !a.local => {
                let inbox = server_inbox(&a);
                if !inboxes.contains(&inbox) {
                    inboxes.push(inbox);
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::info!(publisher, cause = %e, "a list publisher could not be fetched");
            }
        }
    }
    let objects: Vec<String> = report
        .objects
        .iter()
        .map(|o| o.ap_id.clone())
        .filter(|o| *o != account.ap_id)
        .collect();
    let instance = instance_actor(app).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    tx.submit(Outgoing::ForwardReport {
        instance: &instance,
        account: &account.ap_id,
        objects: &objects,
        comment: &comment,
        inboxes,
    })
    .await?;
    db::reports::mark_report_forwarded(&mut tx, id, db::now_micros()).await?;
    moderation_log::record(
        &mut tx,
        &Entry {
            moderator: Some(moderator),
            action: "report.forward",
            target_kind: "report",
            target: &report.target_actor_ap_id,
            target_host: &report.target_host,
            reason: &comment,
            public_reason: "",
            report_id: Some(id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{clean_comment, parse_category, ReportCategory, MAX_COMMENT_CHARS};

    #[test]
    fn categories_parse_by_their_names_only() {
        assert_eq!(parse_category("spam").unwrap(), ReportCategory::Spam);
        assert_eq!(
            parse_category("violation").unwrap(),
            ReportCategory::Violation
        );
        assert!(parse_category("Spam").is_err());
        assert!(parse_category("").is_err());
    }

    #[test]
    fn comments_are_trimmed_freed_of_control_characters_and_capped() {
        assert_eq!(clean_comment("  a\u{7}b\nc ").unwrap(), "ab\nc");
        assert!(clean_comment(&"x".repeat(MAX_COMMENT_CHARS)).is_ok());
        assert!(clean_comment(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
