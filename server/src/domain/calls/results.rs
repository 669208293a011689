//! Results: the jury's decision (prizes, or funded projects for a funding call) and the
//! audience award (the most votes; ties share it), published as the call's results post and
//! recorded on each local winning project.

use super::{ballots, find_call, now, phase, post, require_organizer, CallCtx, Phase, Post};
use crate::db::{
    self,
    accounts::UserRow,
    calls::{CallStamp, NominationRow, ResultRow},
};
use crate::domain::error::{AppError, FieldError};
use crate::domain::outgoing::OutgoingTx;
use crate::domain::text::{strip_html, truncate_chars};
use crate::App;

/// The jury's decision from the form: one line per winner, `nomination id` and a label
/// (e.g. `12 1. Preis`); for a funding call the label may be the grant.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ResultsInput {
    #[serde(default)]
    pub jury: String,
}

/// One published result, for pages and documents.
#[derive(Debug, Clone)]
pub struct Award {
    pub nomination: NominationRow,
    /// jury, audience or funded.
    pub kind: String,
    pub label: String,
}

fn parse_jury(
    input: &ResultsInput,
    nominations: &[NominationRow],
    funding: bool,
) -> Result<Vec<ResultRow>, AppError> {
    let mut out: Vec<ResultRow> = Vec::new();
    for line in input.jury.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (id, label) = line.split_once(' ').unwrap_or((line, ""));
        let nomination = id
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .and_then(|id| {
                nominations
                    .iter()
                    .find(|n| n.id == id && n.status != "rejected" && n.status != "pending")
            });
        let Some(n) = nomination else {
            return Err(AppError::Fields(vec![FieldError::new(
                "jury",
                format!("{line:?} does not start with the number of a confirmed nomination"),
            )]));
        };
        let label = truncate_chars(&strip_html(label.trim()), 100);
        let kind = if funding { "funded" } else { "jury" };
        if !out.iter().any(|r| r.nomination_id == n.id) {
            out.push(ResultRow {
                nomination_id: n.id,
                kind: kind.into(),
                label,
            });
        }
    }
    if out.is_empty() {
        return Err(AppError::Fields(vec![FieldError::new(
            "jury",
            "name at least one winner",
        )]));
    }
    Ok(out)
}

/// The audience award: the shortlisted nominations with the most votes (none without votes).
async fn audience(app: &App, c: &CallCtx) -> Result<Vec<ResultRow>, AppError> {
    if c.call.shortlist_published.is_none() {
        return Ok(Vec::new());
    }
    let (options, _) = ballots(app, c).await?;
    let top = options.iter().map(|b| b.votes).max().unwrap_or(0);
    Ok(options
        .iter()
        .filter(|b| top > 0 && b.votes == top)
        .map(|b| ResultRow {
            nomination_id: b.nomination.id,
            kind: "audience".into(),
            label: format!("Publikumspreis / audience award ({} votes)", b.votes),
        })
        .collect())
}

/// Publishes the results: stored, posted by the call (the winners mentioned, boosted by the
/// organization), and added to each local winning project's awards.
pub async fn publish_results(
    app: &App,
    user: &UserRow,
    slug: &str,
    input: &ResultsInput,
) -> Result<(), AppError> {
    let c = find_call(app, slug).await?;
    require_organizer(app, &c, user).await?;
    match phase(&c.call, now()) {
        Phase::Results => {
            return Err(AppError::Conflict(
                "the results are already published".into(),
            ))
        }
        Phase::Voting => {
            return Err(AppError::Conflict(
                "the public vote is still running".into(),
            ))
        }
        Phase::Upcoming | Phase::Nominations => {
            return Err(AppError::Conflict("nominations are still open".into()))
        }
        Phase::Review | Phase::Deliberation => {}
    }
    if c.call.shortlist_published.is_some() && c.call.vote_closed.is_none() {
        super::close_vote(app, slug).await?;
    }
    let mut conn = app.db.conn().await?;
    let nominations = db::calls::list_nominations(&mut conn, c.call.id).await?;
    drop(conn);
    let mut rows = parse_jury(input, &nominations, c.call.fields.kind == "funding")?;
    rows.extend(audience(app, &c).await?);
    let t = now();
    let mut tx = OutgoingTx::begin(app).await?;
    if !db::calls::stamp_call(&mut tx, c.call.id, CallStamp::ResultsPublished, t).await? {
        return Err(AppError::Conflict(
            "the results are already published".into(),
        ));
    }
    for r in &rows {
        db::calls::insert_result(&mut tx, c.call.id, r).await?;
    }
    let awards = awards_of(&rows, &nominations);
    record_on_projects(app, &mut tx, &c, &awards).await?;
    let mut winners: Vec<&NominationRow> = Vec::new();
    for a in &awards {
        if !winners.iter().any(|w| w.id == a.nomination.id) {
            winners.push(&a.nomination);
        }
    }
    post(app, &mut tx, &c, Post::Results, winners, t).await?;
    let lines: Vec<String> = awards
        .iter()
        .map(|a| format!("{} – {}", a.nomination.project_name, award_text(&c, a)))
        .collect();
    super::announce_results(app, &mut tx, &c, user.id, &lines).await?;
    tx.commit().await?;
    Ok(())
}

fn awards_of(rows: &[ResultRow], nominations: &[NominationRow]) -> Vec<Award> {
    rows.iter()
        .filter_map(|r| {
            nominations
                .iter()
                .find(|n| n.id == r.nomination_id)
                .map(|n| Award {
                    nomination: n.clone(),
                    kind: r.kind.clone(),
                    label: r.label.clone(),
                })
        })
        .collect()
}

/// The text an award has on the project: the call's title and the label.
pub fn award_text(c: &CallCtx, a: &Award) -> String {
    let what = match (a.kind.as_str(), a.label.is_empty()) {
        ("funded", true) => "gefördert / funded".to_string(),
        ("jury", true) => "Preisträger / winner".to_string(),
        _ => a.label.clone(),
    };
    format!("{}: {what}", c.call.fields.title)
}

async fn record_on_projects(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    c: &CallCtx,
    awards: &[Award],
) -> Result<(), AppError> {
    for a in awards
        .iter()
        .filter(|a| a.nomination.local_project_id.is_some())
    {
        let Some(actor) = db::actors::find_actor_by_ap_id(tx, &a.nomination.project_ap_id).await?
        else {
            continue;
        };
        let funder = (a.kind == "funded").then_some(c.org_actor.name.as_str());
        crate::domain::projects::record_award(app, tx, &actor.username, &award_text(c, a), funder)
            .await?;
    }
    Ok(())
}

/// The published results of a call (empty before they are published).
pub async fn results(app: &App, c: &CallCtx) -> Result<Vec<Award>, AppError> {
    if c.call.results_published.is_none() {
        return Ok(Vec::new());
    }
    let mut conn = app.db.conn().await?;
    let rows = db::calls::list_results(&mut conn, c.call.id).await?;
    let nominations = db::calls::list_nominations(&mut conn, c.call.id).await?;
    Ok(awards_of(&rows, &nominations))
}
