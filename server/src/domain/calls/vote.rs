//! The public vote: the shortlist published as a `Question`, ballots from the call's page and
//! from the fediverse (one per account), and the close with the tallies.

use revier_federation::incoming::note::Note;
use url::Url;

use super::{find_call, now, phase, post, require_organizer, Ballot, CallCtx, Phase, Post};
use crate::db::{self, accounts::UserRow, actors::ActorRow, calls::CallStamp};
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::rate_limits::{self, Limit};
use crate::domain::received::{InboxError, Received};
use crate::App;

/// Ballot attempts one account may make per hour on the page (a refused one counts too).
const VOTE_LIMIT: Limit = Limit {
    max: 10,
    window_secs: 3600,
};

/// Most options of a poll (Mastodon shows at most 500; a readable ballot is much shorter).
pub const MAX_OPTIONS: usize = 50;

/// The shortlisted options with their ballots, and the number of voters.
pub async fn ballots(app: &App, c: &CallCtx) -> Result<(Vec<Ballot>, i64), AppError> {
    let mut conn = app.db.conn().await?;
    let counts = db::calls::count_votes(&mut conn, c.call.id).await?;
    let options = db::calls::list_nominations(&mut conn, c.call.id)
        .await?
        .into_iter()
        .filter(|n| n.status == "shortlisted")
        .map(|n| Ballot {
            votes: counts
                .iter()
                .find(|(id, _)| *id == n.id)
                .map_or(0, |(_, v)| *v),
            nomination: n,
        })
        .collect();
    let voters = counts.iter().map(|(_, v)| v).sum();
    Ok((options, voters))
}

/// Publishes the shortlist: ends nominations, opens the vote (now, if its date is later), and
/// sends the shortlist post and the `Question`, boosted by the organization and by each local
/// shortlisted project (so the projects' followers see it).
pub async fn publish_shortlist(app: &App, user: &UserRow, slug: &str) -> Result<(), AppError> {
    let c = find_call(app, slug).await?;
    require_organizer(app, &c, user).await?;
    let t = now();
    if c.call.shortlist_published.is_some() {
        return Err(AppError::Conflict(
            "the shortlist is already published".into(),
        ));
    }
    if t >= c.call.fields.vote_close {
        return Err(AppError::Conflict(
            "the vote's closing date has passed; move it first".into(),
        ));
    }
    let (options, _) = ballots(app, &c).await?;
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        return Err(AppError::Conflict(format!(
            "a vote needs 2 to {MAX_OPTIONS} shortlisted projects"
        )));
    }
    let mut tx = OutgoingTx::begin(app).await?;
    if !db::calls::stamp_call(&mut tx, c.call.id, CallStamp::ShortlistPublished, t).await? {
        return Err(AppError::Conflict(
            "the shortlist is already published".into(),
        ));
    }
    let c = CallCtx {
        call: db::calls::find_call_by_slug(&mut tx, &c.call.slug)
            .await?
            .ok_or_else(|| AppError::internal("the call vanished"))?,
        ..c
    };
    let named: Vec<_> = options.iter().map(|b| &b.nomination).collect();
    post(app, &mut tx, &c, Post::Shortlist, named, t).await?;
    send_question(app, &mut tx, &c, &options, 0, "Create", Vec::new()).await?;
    boost_by_projects(app, &mut tx, &c, &options, t).await?;
    tx.commit().await?;
    Ok(())
}

/// Queues `Create` or `Update` of the `Question`.
async fn send_question(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    c: &CallCtx,
    options: &[Ballot],
    voters: i64,
    verb: &'static str,
    also: Vec<String>,
) -> Result<(), AppError> {
    let mut also = also;
    also.extend(
        options
            .iter()
            .filter_map(|b| b.nomination.project_inbox.clone()),
    );
    tx.submit(Outgoing::CallPost {
        call: &c.actor,
        verb,
        object: super::question_document(app, c, options, voters),
        object_id: super::question_ap_id(app, &c.call.slug),
        also,
        at: now(),
    })
    .await?;
    Ok(())
}

/// Each local shortlisted project and the organization boost the `Question`.
async fn boost_by_projects(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    c: &CallCtx,
    options: &[Ballot],
    at: i64,
) -> Result<(), AppError> {
    let question = super::question_ap_id(app, &c.call.slug);
    let mut boosters = vec![c.org_actor.clone()];
    for b in options {
        if b.nomination.local_project_id.is_some() {
            if let Some(a) =
                db::actors::find_actor_by_ap_id(tx, &b.nomination.project_ap_id).await?
            {
                boosters.push(a);
            }
        }
    }
    for booster in &boosters {
        tx.submit(Outgoing::BoostNews {
            org: booster,
            project: &c.actor,
            note_id: &question,
            at,
        })
        .await?;
    }
    Ok(())
}

/// Why a ballot is refused, for the page.
fn check_open(c: &CallCtx) -> Result<(), AppError> {
    match phase(&c.call, now()) {
        Phase::Voting => Ok(()),
        Phase::Deliberation | Phase::Results => {
            Err(AppError::Conflict("the vote is closed".into()))
        }
        _ => Err(AppError::Conflict("the vote has not started".into())),
    }
}

/// A signed-in account votes for a shortlisted nomination on the call's page.
pub async fn vote(
    app: &App,
    user: &UserRow,
    slug: &str,
    nomination_id: i64,
) -> Result<(), AppError> {
    let c = find_call(app, slug).await?;
    let bucket = format!("vote:{}", user.id);
    rate_limits::hit(app, &bucket, VOTE_LIMIT).await?;
    check_open(&c)?;
    let (options, _) = ballots(app, &c).await?;
    if !options.iter().any(|b| b.nomination.id == nomination_id) {
        return Err(AppError::Invalid(
            "that project is not on the shortlist".into(),
        ));
    }
    let mut conn = app.db.conn().await?;
    let voter = format!("user:{}", user.id);
    if !db::calls::insert_vote(&mut conn, c.call.id, nomination_id, &voter, None, now()).await? {
        return Err(AppError::Conflict(
            "you have already voted in this call".into(),
        ));
    }
    Ok(())
}

/// Whether the account voted in the call.
pub async fn has_voted(app: &App, user: &UserRow, c: &CallCtx) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::calls::has_voted(&mut conn, c.call.id, &format!("user:{}", user.id)).await?)
}

/// A vote from the fediverse: `Create{Note{name: option, inReplyTo: question}}`, as Mastodon
/// sends it. A ballot after the close, for an unknown option, or a second one by the same
/// actor is acknowledged and not counted.
pub async fn receive_vote(
    app: &App,
    c: &CallCtx,
    actor: &ActorRow,
    oid: &Url,
    note: &Note,
) -> Result<Received, InboxError> {
    let Some(name) = note.name.as_deref().map(str::trim) else {
        return Ok(Received::Ignored);
    };
    if check_open(c).is_err() {
        return Ok(Received::Ignored);
    }
    let (options, _) = ballots(app, c)
        .await
        .map_err(crate::domain::received::from_app_error)?;
    let Some(option) = options.iter().find(|b| b.nomination.option_name == name) else {
        return Ok(Received::Ignored);
    };
    let mut conn = app.db.conn().await?;
    let counted = db::calls::insert_vote(
        &mut conn,
        c.call.id,
        option.nomination.id,
        &actor.ap_id,
        Some(oid.as_str()),
        now(),
    )
    .await?;
    Ok(if counted {
        Received::Processed
    } else {
        Received::Ignored
    })
}

/// The organizers close the vote now (before its date).
pub async fn close_now(app: &App, user: &UserRow, slug: &str) -> Result<(), AppError> {
    let c = find_call(app, slug).await?;
    require_organizer(app, &c, user).await?;
    if phase(&c.call, now()) != Phase::Voting {
        return Err(AppError::Conflict("the vote is not running".into()));
    }
    let mut conn = app.db.conn().await?;
    db::calls::set_vote_close(&mut conn, c.call.id, now()).await?;
    drop(conn);
    close_vote(app, &c.call.slug).await
}

/// Sends the closing `Update{Question}` with the tallies, once (to followers, nominees and the
/// remote voters). Does nothing before the vote's end or when already sent.
pub async fn close_vote(app: &App, slug: &str) -> Result<(), AppError> {
    let c = find_call(app, slug).await?;
    let t = now();
    if c.call.shortlist_published.is_none()
        || c.call.vote_closed.is_some()
        || t < c.call.fields.vote_close
    {
        return Ok(());
    }
    // Ballots after the close date are refused, so the tallies read now are final.
    let (options, total) = ballots(app, &c).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    if !db::calls::stamp_call(&mut tx, c.call.id, CallStamp::VoteClosed, t).await? {
        return Ok(());
    }
    let mut inboxes = Vec::new();
    for v in db::calls::list_remote_voters(&mut tx, c.call.id).await? {
        if let Some(a) = db::actors::find_actor_by_ap_id(&mut tx, &v).await? {
            inboxes.push(a.shared_inbox.unwrap_or(a.inbox));
        }
    }
    let mut c = c;
    c.call.vote_closed = Some(t);
    send_question(app, &mut tx, &c, &options, total, "Update", inboxes).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes every vote whose date has passed (run by the scheduler).
pub async fn close_due(app: &App) -> Result<usize, AppError> {
    let mut conn = app.db.conn().await?;
    let due = db::calls::list_calls_to_close(&mut conn, now()).await?;
    drop(conn);
    for call in &due {
        close_vote(app, &call.slug).await?;
    }
    Ok(due.len())
}
