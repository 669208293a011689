//! Prize and funding calls (issue 12): an organization runs a call (the city's open-source
//! prize, a fund for joint public/private solutions) with criteria, a jury and a timeline;
//! people nominate projects, organizations apply with theirs, the organizers shortlist, the
//! public votes, and the results show on the winning projects.
//!
//! A call is its own actor (`/calls/{slug}`, a `Service`), so people follow it from Mastodon.
//! Its posts (opened, shortlist, results) are `Note`s by the call actor to its followers,
//! boosted by the organization to its followers (Mastodon shows a post only to followers of
//! its author or a booster). The public vote is a `Question` (Mastodon renders it as a native
//! poll, reference OB-19): Mastodon users vote with `Create{Note{name, inReplyTo}}` to the
//! call's inbox; people without a fediverse account vote on the call's page. One vote per
//! account; tallies stay hidden (0) until the vote closes, only `votersCount` is public. When it
//! closes, `Update{Question}` carries the tallies and `closed`.
//!
//! Phases follow the timeline, with two organizer actions that move it on: publishing the
//! shortlist ends nominations and opens the vote; the vote closes at its date (or earlier, when
//! the organizers close it). Results need a closed vote (a call without shortlist has none).

mod document;
mod input;
mod nominations;
mod results;
mod vote;

pub use document::*;
pub use input::*;
pub use nominations::*;
pub use results::*;
pub use vote::*;

use crate::db::{
    self,
    accounts::{OrgRow, UserRow},
    actors::ActorRow,
    calls::{CallFields, CallRow},
};
use crate::domain::accounts::{find_org, require_editor, Username};
use crate::domain::actors::{new_local_actor, LocalKind};
use crate::domain::error::{AppError, FieldError};
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::text::{escape_attr, sanitize_html, truncate_chars};
use crate::App;

/// Where a call is in its timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Published, nominations not open yet.
    Upcoming,
    Nominations,
    /// Nominations closed, the organizers and the jury review them.
    Review,
    /// The shortlist is published and the public vote runs.
    Voting,
    /// The vote closed; results not published yet.
    Deliberation,
    Results,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Nominations => "nominations",
            Phase::Review => "review",
            Phase::Voting => "voting",
            Phase::Deliberation => "deliberation",
            Phase::Results => "results",
        }
    }
}

/// The phase of a call at `now` (unix microseconds).
pub fn phase(call: &CallRow, now: i64) -> Phase {
    let f = &call.fields;
    if call.results_published.is_some() {
        Phase::Results
    } else if call.shortlist_published.is_some() {
        if call.vote_closed.is_some() || now >= f.vote_close {
            Phase::Deliberation
        } else {
            Phase::Voting
        }
    } else if now < f.nominations_open {
        Phase::Upcoming
    } else if now < f.nominations_close {
        Phase::Nominations
    } else {
        Phase::Review
    }
}

/// A call with its actor and its organization.
#[derive(Debug, Clone)]
pub struct CallCtx {
    pub call: CallRow,
    pub actor: ActorRow,
    pub org: OrgRow,
    pub org_actor: ActorRow,
}

/// A call by its slug, with its actor and organization.
pub async fn find_call(app: &App, slug: &str) -> Result<CallCtx, AppError> {
    let mut conn = app.db.conn().await?;
    let call = db::calls::find_call_by_slug(&mut conn, &slug.to_ascii_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("call {slug:?}")))?;
    let actor = db::actors::find_actor_by_id(&mut conn, call.actor_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("call {slug} has no actor")))?;
    let org = db::accounts::find_org_by_id(&mut conn, call.org_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("call {slug} has no organization")))?;
    drop(conn);
    let (org, org_actor) = find_org(app, &org.slug).await?;
    Ok(CallCtx {
        call,
        actor,
        org,
        org_actor,
    })
}

/// Refuses anyone but an owner or editor of the call's organization.
pub async fn require_organizer(app: &App, c: &CallCtx, user: &UserRow) -> Result<(), AppError> {
    require_editor(app, &c.org, user).await
}

/// Calls of the instance (of one organization when given), the latest first.
pub async fn list(app: &App, org_id: Option<i64>) -> Result<Vec<CallRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::calls::list_calls(&mut conn, org_id, 200).await?)
}

fn actor_summary(f: &CallFields) -> String {
    sanitize_html(&format!(
        "<p>{}</p>",
        escape_attr(&truncate_chars(
            &crate::domain::text::strip_html(&f.description_html),
            400
        ))
    ))
}

/// Opens a call for an organization: its actor, the row, and the "opened" post.
pub async fn create(
    app: &App,
    user: &UserRow,
    org_slug: &str,
    input: &CallInput,
) -> Result<CallRow, AppError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let fields = input.parse(app);
    let slug = Username::parse(input.slug.trim(), "call slug")
        .map_err(|e| FieldError::new("slug", e.public_message()));
    let (fields, slug) = match (fields, slug) {
        (Ok(f), Ok(s)) => (f, s),
        (f, s) => {
            let mut errors = f.err().unwrap_or_default();
            errors.extend(s.err());
            return Err(AppError::Fields(errors));
        }
    };
    let mut actor = new_local_actor(app, LocalKind::Call, slug.as_str(), &fields.title).await?;
    actor.summary = actor_summary(&fields);
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    if db::actors::find_local_actor_by_username(&mut tx, slug.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::Fields(vec![FieldError::new(
            "slug",
            format!("the name {:?} is already taken", slug.as_str()),
        )]));
    }
    let actor = db::actors::insert_actor(&mut tx, &actor, now).await?;
    let call =
        db::calls::insert_call(&mut tx, org.id, actor.id, slug.as_str(), &fields, now).await?;
    let c = CallCtx {
        call,
        actor,
        org,
        org_actor,
    };
    post(app, &mut tx, &c, Post::Opened, Vec::new(), now).await?;
    tx.commit().await?;
    Ok(c.call)
}

/// Edits a call. The timeline may not move a phase that has passed: once the shortlist is
/// published the vote's dates stay, so a poll in people's apps does not change under them.
pub async fn edit(
    app: &App,
    user: &UserRow,
    slug: &str,
    input: &CallInput,
) -> Result<CallRow, AppError> {
    let c = find_call(app, slug).await?;
    require_organizer(app, &c, user).await?;
    let mut fields = input.parse(app).map_err(AppError::Fields)?;
    if c.call.shortlist_published.is_some() {
        fields.vote_open = c.call.fields.vote_open;
        fields.vote_close = c.call.fields.vote_close;
        fields.nominations_close = c.call.fields.nominations_close;
    }
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    let call = db::calls::update_call(&mut tx, c.call.id, &fields, now).await?;
    db::actors::update_actor_profile(
        &mut tx,
        c.actor.id,
        &fields.title,
        &actor_summary(&fields),
        false,
        &[],
        now,
    )
    .await?;
    let actor = db::actors::find_actor_by_id(&mut tx, c.actor.id)
        .await?
        .unwrap_or(c.actor);
    tx.submit(Outgoing::UpdateActor { actor: &actor }).await?;
    tx.commit().await?;
    Ok(call)
}

/// All nominations of a call (pending and rejected ones too), oldest first; pages filter
/// with [`public_nominations`], the organizers see them all.
pub async fn nominations(
    app: &App,
    c: &CallCtx,
) -> Result<Vec<db::calls::NominationRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::calls::list_nominations(&mut conn, c.call.id).await?)
}

/// A nomination as the organizers see it: who nominated it (a local username, or the remote
/// actor's id) and the applying organization's slug.
#[derive(Debug, Clone)]
pub struct NominationReview {
    pub nomination: db::calls::NominationRow,
    pub nominated_by: String,
    pub applicant: Option<String>,
}

/// The organizers' list of a call's nominations, with who nominated each.
pub async fn nominations_for_review(
    app: &App,
    user: &UserRow,
    c: &CallCtx,
) -> Result<Vec<NominationReview>, AppError> {
    require_organizer(app, c, user).await?;
    let mut conn = app.db.conn().await?;
    let mut out = Vec::new();
    for n in db::calls::list_nominations(&mut conn, c.call.id).await? {
        let nominated_by = match (n.nominated_by_user, n.nominated_by_actor) {
            (Some(id), _) => db::accounts::find_user(&mut conn, id)
                .await?
                .map(|u| format!("@{}", u.username))
                .unwrap_or_default(),
            (None, Some(id)) => db::actors::find_actor_by_id(&mut conn, id)
                .await?
                .map(|a| a.ap_id)
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        let applicant = match n.applicant_org {
            Some(id) => db::accounts::find_org_by_id(&mut conn, id)
                .await?
                .map(|o| o.slug),
            None => None,
        };
        out.push(NominationReview {
            nomination: n,
            nominated_by,
            applicant,
        });
    }
    Ok(out)
}
