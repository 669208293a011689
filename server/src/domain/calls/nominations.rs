//! Nominations and applications, and the organizers' review of them.
//!
//! Anyone signed in nominates a project (a local one by handle or URL, a remote one by its
//! handle or actor URL, fetched once); an editor of the project's organization nominating it
//! is the organization applying. From the fediverse, a reply to the call (to the call actor or
//! one of its posts) naming a project's URL or handle becomes a pending nomination the
//! organizers confirm.

use revier_federation::incoming::note::Note;
use url::Url;

use super::{find_call, now, phase, require_organizer, CallCtx, Phase};
use crate::db::{
    self,
    accounts::UserRow,
    actors::{ActorKind, ActorRow},
    calls::{NewNomination, NominationRow},
};
use crate::domain::error::{AppError, FieldError};
use crate::domain::rate_limits::{self, Limit};
use crate::domain::received::{InboxError, Received};
use crate::domain::remote_actors::resolve_account;
use crate::domain::text::{strip_html, truncate_chars};
use crate::App;

/// Longest statement with a nomination.
pub const MAX_STATEMENT: usize = 5_000;
/// Nominations one account may send per hour.
const NOMINATION_LIMIT: Limit = Limit {
    max: 20,
    window_secs: 3600,
};

/// A nomination from the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NominationInput {
    /// The project: `@slug`, `slug@host`, or its URL.
    #[serde(default)]
    pub project: String,
    #[serde(default)]
    pub statement: String,
}

/// The project a handle or URL names, as a stored actor (fetched when remote and unknown).
async fn resolve_project(app: &App, text: &str) -> Result<ActorRow, AppError> {
    let text = text.trim();
    let resource = if text.starts_with('@') && text.matches('@').count() == 1 {
        format!("{}@{}", &text[1..], app.settings.domain)
    } else if !text.contains('@') && !text.contains('/') {
        format!("{text}@{}", app.settings.domain)
    } else {
        text.to_string()
    };
    let actor = resolve_account(app, &resource).await?;
    // A Revier project is `["Project", "Service"]`; other servers store it by its Service type.
    let project_like =
        actor.kind == ActorKind::Project || (!actor.local && actor.kind == ActorKind::Service);
    if !project_like {
        return Err(AppError::Invalid(format!("{text:?} is not a project")));
    }
    Ok(actor)
}

/// The stored fields of a nomination of `actor`, and the organization owning it when local.
async fn nomination_of(
    app: &App,
    c: &CallCtx,
    actor: &ActorRow,
    statement: &str,
) -> Result<(NewNomination, Option<i64>), AppError> {
    let mut conn = app.db.conn().await?;
    let local = if actor.local {
        db::projects::find_project_by_slug(&mut conn, &actor.username)
            .await?
            .filter(|p| p.deleted_at.is_none())
    } else {
        None
    };
    if actor.local && local.is_none() {
        return Err(AppError::Invalid("the project was deleted".into()));
    }
    let n = NewNomination {
        call_id: c.call.id,
        project_ap_id: actor.ap_id.clone(),
        project_name: truncate_chars(&strip_html(&actor.name), 100),
        project_url: actor.url.clone(),
        project_inbox: (!actor.local).then(|| actor.inbox.clone()),
        local_project_id: local.as_ref().map(|p| p.id),
        nominated_by_user: None,
        nominated_by_actor: None,
        applicant_org: None,
        source_ap_id: None,
        statement: truncate_chars(&strip_html(statement.trim()), MAX_STATEMENT),
        status: "nominated".into(),
    };
    Ok((n, local.map(|p| p.org_id)))
}

/// A signed-in person nominates a project (or their organization applies with its own).
pub async fn nominate(
    app: &App,
    user: &UserRow,
    slug: &str,
    input: &NominationInput,
) -> Result<NominationRow, AppError> {
    let c = find_call(app, slug).await?;
    if phase(&c.call, now()) != Phase::Nominations {
        return Err(AppError::Conflict(
            "nominations are not open for this call".into(),
        ));
    }
    if input.project.trim().is_empty() {
        return Err(AppError::Fields(vec![FieldError::new(
            "project",
            "must name a project",
        )]));
    }
    if input.statement.chars().count() > MAX_STATEMENT {
        return Err(AppError::Fields(vec![FieldError::new(
            "statement",
            format!("has more than {MAX_STATEMENT} characters"),
        )]));
    }
    let bucket = format!("nominate:{}", user.id);
    rate_limits::check(app, &bucket, NOMINATION_LIMIT).await?;
    let actor = resolve_project(app, &input.project)
        .await
        .map_err(|e| AppError::Fields(vec![FieldError::new("project", e.public_message())]))?;
    let (mut n, owner) = nomination_of(app, &c, &actor, &input.statement).await?;
    n.nominated_by_user = Some(user.id);
    n.applicant_org = applying_org(app, user, owner).await?;
    rate_limits::record(app, &bucket, NOMINATION_LIMIT).await?;
    let mut conn = app.db.conn().await?;
    db::calls::insert_nomination(&mut conn, &n, now())
        .await?
        .ok_or_else(|| AppError::Conflict(format!("{} is already nominated", n.project_name)))
}

/// The organization applying: the project's owner, when the user is one of its editors.
async fn applying_org(
    app: &App,
    user: &UserRow,
    owner: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let Some(org_id) = owner else {
        return Ok(None);
    };
    let mut conn = app.db.conn().await?;
    let Some(org) = db::accounts::find_org_by_id(&mut conn, org_id).await? else {
        return Ok(None);
    };
    drop(conn);
    Ok(crate::domain::accounts::require_editor(app, &org, user)
        .await
        .is_ok()
        .then_some(org.id))
}

/// The organizers' decision on a nomination.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ReviewInput {
    /// nominated (confirm), shortlisted or rejected.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
    /// The poll option's name (default: the project's name).
    #[serde(default)]
    pub option_name: String,
}

/// Confirms, shortlists or rejects a nomination, with a note the organizers keep. The
/// shortlist is fixed once published.
pub async fn review(
    app: &App,
    user: &UserRow,
    slug: &str,
    nomination_id: i64,
    input: &ReviewInput,
) -> Result<(), AppError> {
    let c = find_call(app, slug).await?;
    require_organizer(app, &c, user).await?;
    if c.call.shortlist_published.is_some() {
        return Err(AppError::Conflict(
            "the shortlist is already published".into(),
        ));
    }
    let status = input.status.trim();
    if !["nominated", "shortlisted", "rejected"].contains(&status) {
        return Err(AppError::Fields(vec![FieldError::new(
            "status",
            "must be nominated, shortlisted or rejected",
        )]));
    }
    let mut conn = app.db.conn().await?;
    let n = db::calls::find_nomination(&mut conn, c.call.id, nomination_id)
        .await?
        .ok_or_else(|| AppError::NotFound("nomination".into()))?;
    let option = strip_html(input.option_name.trim()).trim().to_string();
    let option = if option.is_empty() {
        n.option_name.clone()
    } else {
        option
    };
    if option.chars().count() > 100 {
        return Err(AppError::Fields(vec![FieldError::new(
            "option_name",
            "at most 100 characters",
        )]));
    }
    let others = db::calls::list_nominations(&mut conn, c.call.id).await?;
    if status == "shortlisted"
        && others
            .iter()
            .any(|o| o.id != n.id && o.status == "shortlisted" && o.option_name == option)
    {
        return Err(AppError::Fields(vec![FieldError::new(
            "option_name",
            "another shortlisted project has this name; poll options must differ",
        )]));
    }
    let note = truncate_chars(&strip_html(input.note.trim()), MAX_STATEMENT);
    db::calls::review_nomination(&mut conn, n.id, status, &note, &option).await?;
    Ok(())
}

/// A reply to the call from the fediverse: a vote when it answers the `Question` with an
/// option's `name` (how Mastodon votes), a pending nomination when it answers the call or one
/// of its posts and names a project. `None` when the reply is not about a call.
pub async fn receive_reply(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    note: &Note,
) -> Result<Option<Received>, InboxError> {
    let Some(parent) = note.parent() else {
        return Ok(None);
    };
    let base = format!("{}/calls/", app.base_url());
    let Some(rest) = parent.strip_prefix(&base) else {
        return Ok(None);
    };
    let slug = rest.split('/').next().unwrap_or_default();
    let Ok(c) = find_call(app, slug).await else {
        return Ok(None);
    };
    if parent == super::question_ap_id(app, slug) {
        return super::receive_vote(app, &c, actor, oid, note)
            .await
            .map(Some);
    }
    receive_nomination(app, &c, actor, oid, note)
        .await
        .map(Some)
}

/// The first link or handle in a reply's text that resolves to a project.
fn candidates(note: &Note) -> Vec<String> {
    let text = note.text().unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    // Links first (Mastodon writes mentions as links too, with the handle in the text).
    for part in text.split('"') {
        if (part.starts_with("https://") || part.starts_with("http://"))
            && !out.contains(&part.to_string())
        {
            out.push(part.to_string());
        }
    }
    for word in strip_html(text).split_whitespace() {
        let w = word.trim_matches(|c: char| {
            !c.is_alphanumeric() && c != '@' && c != '.' && c != '_' && c != '-'
        });
        if w.starts_with('@') && w.matches('@').count() == 2 && !out.contains(&w.to_string()) {
            out.push(w.to_string());
        }
    }
    out.truncate(5);
    out
}

async fn receive_nomination(
    app: &App,
    c: &CallCtx,
    actor: &ActorRow,
    oid: &Url,
    note: &Note,
) -> Result<Received, InboxError> {
    if phase(&c.call, now()) != Phase::Nominations || note.name.is_some() {
        return Ok(Received::Ignored);
    }
    for candidate in candidates(note) {
        if candidate == c.actor.ap_id || candidate.starts_with(&format!("{}/", c.actor.ap_id)) {
            continue;
        }
        let Ok(project) = resolve_project(app, &candidate).await else {
            continue;
        };
        let (mut n, _) = nomination_of(app, c, &project, note.text().unwrap_or_default())
            .await
            .map_err(crate::domain::received::from_app_error)?;
        n.status = "pending".into();
        n.nominated_by_actor = Some(actor.id);
        n.source_ap_id = Some(oid.to_string());
        let mut conn = app.db.conn().await?;
        db::calls::insert_nomination(&mut conn, &n, now()).await?;
        return Ok(Received::Processed);
    }
    Ok(Received::Ignored)
}
