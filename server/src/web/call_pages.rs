//! The HTML side of prize and funding calls (issue 12): the public page of a call (its
//! timeline, nominations, the vote form and, once closed, the tallies and results), the list
//! of calls, the nomination form, and the organizers' pages (create, edit, review the
//! nominations, publish the shortlist, close the vote, publish the results). Handlers extract,
//! call `domain::calls`, and answer; the ActivityPub side of a call lives in `web::calls`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use crate::db::calls::{CallRow, NominationRow};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::calls::{self, CallCtx, CallInput, NominationInput, Phase, ReviewInput};
use crate::domain::error::{AppError, FieldError};
use crate::web::i18n::{self, Arg};
use crate::web::interact::Interact;
use crate::web::manage_events::{signed_in, FormErrors, Opt};
use crate::web::page::{flash, render_page, signin_href, CsrfForm, Ctx, Member};
use crate::web::pages::{display_name, page_with_ap_link, Meta};
use crate::App;

/// The routes of this feature, merged into the main router. `GET /calls/{slug}` is
/// `web::calls`'s (it negotiates the actor JSON and calls [`call_page`] for browsers).
pub fn routes() -> Router<App> {
    Router::new()
        .route("/calls", get(list_page))
        .route("/calls/{slug}/ballot", post(cast_ballot))
        .route("/calls/{slug}/nominate", get(nominate_page).post(nominate))
        .route("/manage/orgs/{org}/calls", get(manage_list_page))
        .route("/manage/orgs/{org}/calls/new", get(new_page).post(create))
        .route("/manage/calls/{slug}", get(manage_page))
        .route("/manage/calls/{slug}/edit", get(edit_page).post(update))
        .route(
            "/manage/calls/{slug}/nominations/{id}",
            post(review_nomination),
        )
        .route("/manage/calls/{slug}/shortlist", post(publish_shortlist))
        .route("/manage/calls/{slug}/close", post(close_vote))
        .route("/manage/calls/{slug}/results", post(publish_results))
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Shared pieces

/// A day of the timeline in the reader's language; `end` times are the end of their day.
fn day_text(ctx: &Ctx, micros: i64, zone: &str, end: bool) -> String {
    let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Europe::Berlin);
    let at = micros - i64::from(end);
    chrono::DateTime::from_timestamp_micros(at)
        .map(|t| i18n::long_date(ctx.lang, &t.with_timezone(&zone)))
        .unwrap_or_default()
}

fn phase_label(ctx: &Ctx, p: Phase) -> String {
    ctx.t(&format!("call-phase-{}", calls::phase_key(p)))
}

fn kind_label(ctx: &Ctx, kind: &str) -> String {
    ctx.t(if kind == "funding" {
        "call-kind-funding"
    } else {
        "call-kind-prize"
    })
}

/// One step of a call's timeline.
pub struct Step {
    pub label: String,
    pub dates: String,
    pub current: bool,
}

fn timeline(ctx: &Ctx, call: &CallRow, p: Phase) -> Vec<Step> {
    let f = &call.fields;
    let z = f.timezone.as_str();
    let span = |a: i64, b: i64| {
        format!(
            "{} – {}",
            day_text(ctx, a, z, false),
            day_text(ctx, b, z, true)
        )
    };
    vec![
        Step {
            label: ctx.t("call-step-nominations"),
            dates: span(f.nominations_open, f.nominations_close),
            current: p == Phase::Nominations,
        },
        Step {
            label: ctx.t("call-step-jury"),
            dates: ctx.ta(
                "call-until",
                &[("date", Arg::Text(day_text(ctx, f.jury_until, z, true)))],
            ),
            current: p == Phase::Review,
        },
        Step {
            label: ctx.t("call-step-vote"),
            dates: span(f.vote_open, f.vote_close),
            current: p == Phase::Voting,
        },
        Step {
            label: ctx.t("call-step-announcement"),
            dates: day_text(ctx, f.announce_at, z, false),
            current: matches!(p, Phase::Deliberation | Phase::Results),
        },
    ]
}

/// A call in a list.
pub struct CallLine {
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub phase: String,
}

fn call_lines(ctx: &Ctx, rows: &[CallRow]) -> Vec<CallLine> {
    let now = calls::now();
    rows.iter()
        .map(|c| CallLine {
            slug: c.slug.clone(),
            title: c.fields.title.clone(),
            kind: kind_label(ctx, &c.fields.kind),
            phase: phase_label(ctx, calls::phase(c, now)),
        })
        .collect()
}

/// A domain refusal in the reader's language where we know it, else as the domain wrote it.
fn refusal_text(ctx: &Ctx, e: &AppError) -> String {
    let m = e.public_message();
    let key = match m.as_str() {
        "you have already voted in this call" => "call-vote-already",
        "the vote is closed" => "call-vote-closed",
        "the vote has not started" => "call-vote-not-started",
        "that project is not on the shortlist" => "call-vote-not-option",
        "nominations are not open for this call" => "call-nominations-closed",
        "the shortlist is already published" => "call-shortlist-already",
        "the vote is not running" => "call-vote-not-running",
        "the results are already published" => "call-results-already",
        "the public vote is still running" => "call-results-vote-running",
        "nominations are still open" => "call-results-nominations-open",
        _ => return m,
    };
    ctx.t(key)
}

/// Whether a refusal is one to show on the page (the rest are errors of their own).
fn shown_on_page(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Conflict(_)
            | AppError::Invalid(_)
            | AppError::Fields(_)
            | AppError::TooManyRequests(_)
    )
}

fn refused(page: &impl Template) -> Result<Response, AppError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render_page(page)?).into_response())
}

/// Field errors of the domain on the form, labelled with the form's labels.
fn field_errors(ctx: &Ctx, fields: Vec<FieldError>, errors: &mut FormErrors) {
    for e in fields {
        let key = format!("call-field-{}", e.field.replace('_', "-"));
        let label = ctx.t(&key);
        let message = match e.message.as_str() {
            "is missing" | "must not be empty" => ctx.t("form-required"),
            m => m.to_string(),
        };
        if label == key {
            errors.add("", e.field.clone(), message);
        } else {
            errors.add(&e.field, label, message);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The public page

/// A nomination on the public page.
pub struct NominationLine {
    pub name: String,
    pub url: String,
    pub statement: String,
}

/// An option of the vote, with its tally once the vote is closed.
pub struct OptionLine {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub votes: String,
}

/// A published result.
pub struct AwardLine {
    pub kind: String,
    pub label: String,
    pub name: String,
    pub url: String,
}

/// The HTML page of a call.
#[derive(Template)]
#[template(path = "call.html")]
pub struct CallPage<'a> {
    pub ctx: &'a Ctx,
    pub meta: Meta,
    pub interact: Interact,
    pub notice: Option<String>,
    pub c: &'a CallCtx,
    pub kind: String,
    pub phase: String,
    pub org_name: String,
    pub org_url: String,
    pub handle: String,
    pub followers_text: String,
    pub steps: Vec<Step>,
    pub nominations: Vec<NominationLine>,
    pub nominating: bool,
    pub voting: bool,
    pub voted: bool,
    pub closed: bool,
    pub options: Vec<OptionLine>,
    pub voters_text: String,
    pub awards: Vec<AwardLine>,
    pub signin: String,
}

/// What the vote part of the page shows: the options (with tallies only once closed),
/// the voters' count, and whether the reader has voted.
async fn vote_part(
    app: &App,
    ctx: &Ctx,
    c: &CallCtx,
    closed: bool,
) -> Result<(Vec<OptionLine>, String, bool), AppError> {
    if c.call.shortlist_published.is_none() {
        return Ok((Vec::new(), String::new(), false));
    }
    let (ballots, voters) = calls::ballots(app, c).await?;
    let options = ballots
        .into_iter()
        .map(|b| OptionLine {
            id: b.nomination.id,
            name: b.nomination.option_name,
            url: b.nomination.project_url,
            // Tallies stay hidden while the vote runs, here as in the Question.
            votes: if closed {
                ctx.ta("call-votes", &[("n", Arg::Number(b.votes))])
            } else {
                String::new()
            },
        })
        .collect();
    let voted = match &ctx.user {
        Some(s) => calls::has_voted(app, &s.user, c).await?,
        None => false,
    };
    let voters_text = ctx.ta("call-voters", &[("n", Arg::Number(voters))]);
    Ok((options, voters_text, voted))
}

fn nomination_lines(c: &CallCtx, all: &[NominationRow]) -> Vec<NominationLine> {
    calls::public_nominations(c, all)
        .into_iter()
        .map(|n| NominationLine {
            name: n.project_name,
            url: n.project_url,
            statement: n.statement,
        })
        .collect()
}

async fn award_lines(app: &App, ctx: &Ctx, c: &CallCtx) -> Result<Vec<AwardLine>, AppError> {
    Ok(calls::results(app, c)
        .await?
        .into_iter()
        .map(|a| AwardLine {
            kind: ctx.t(&format!("call-award-{}", a.kind)),
            label: a.label,
            name: a.nomination.project_name,
            url: a.nomination.project_url,
        })
        .collect())
}

/// The call's schema.org JSON-LD for the page's head (as the open-data export writes it).
async fn call_json_ld(app: &App, c: &calls::CallCtx) -> Result<String, AppError> {
    use crate::domain::opendata::{calls as open_calls, schema_org};
    let item = open_calls::CallItem {
        ctx: c.clone(),
        shortlisted: Vec::new(),
        voters: 0,
        results: calls::results(app, c).await?,
    };
    let base = app.base_url().trim_end_matches('/').to_string();
    Ok(schema_org::embeddable(&schema_org::document(
        open_calls::call_json_ld(&base, &item),
    )))
}

/// The public page of a call (for browsers at `GET /calls/{slug}`), with an optional notice.
pub async fn call_page(
    app: &App,
    ctx: &Ctx,
    c: &calls::CallCtx,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let p = calls::phase(&c.call, calls::now());
    let closed = matches!(p, Phase::Deliberation | Phase::Results);
    let all = calls::nominations(app, c).await?;
    let (options, voters_text, voted) = vote_part(app, ctx, c, closed).await?;
    let mut conn = app.db.conn().await?;
    let followers = crate::db::follows::count_followers(&mut conn, c.actor.id).await?;
    drop(conn);
    let f = &c.call.fields;
    let page = CallPage {
        meta: Meta {
            title: f.title.clone(),
            description: crate::domain::text::truncate_chars(
                &crate::domain::text::strip_html(&f.description_html),
                200,
            ),
            canonical: c.actor.ap_id.clone(),
            image: None,
            image_alt: None,
            og_type: "website",
            ap_url: Some(c.actor.ap_id.clone()),
            json_ld: Some(call_json_ld(app, c).await?),
        },
        interact: Interact {
            uri: c.actor.ap_id.clone(),
            handle: Some(format!("@{}@{}", c.call.slug, app.settings.domain)),
        },
        notice,
        kind: kind_label(ctx, &f.kind),
        phase: phase_label(ctx, p),
        org_name: display_name(&c.org_actor.name, &c.org.slug).to_string(),
        org_url: format!("/orgs/{}", c.org.slug),
        handle: format!("@{}@{}", c.call.slug, app.settings.domain),
        followers_text: ctx.ta("actor-followers", &[("n", Arg::Number(followers))]),
        steps: timeline(ctx, &c.call, p),
        nominations: nomination_lines(c, &all),
        nominating: p == Phase::Nominations,
        voting: p == Phase::Voting,
        voted,
        closed,
        options,
        voters_text,
        awards: award_lines(app, ctx, c).await?,
        signin: signin_href(&format!("/calls/{}", c.call.slug)),
        ctx,
        c,
    };
    page_with_ap_link(&page, &c.actor.ap_id)
}

/// POST /calls/{slug}/ballot — a vote from the page; refusals are shown on the page.
#[derive(Deserialize)]
struct BallotForm {
    #[serde(default)]
    nomination: String,
}

async fn cast_ballot(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<BallotForm>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let c = calls::find_call(&app, &slug).await?;
    let result = match form.nomination.trim().parse::<i64>() {
        Ok(id) => calls::vote(&app, &user, &c.call.slug, id).await,
        Err(_) => Err(AppError::Invalid(ctx.t("call-vote-choose"))),
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/calls/{}?done=call-voted", c.call.slug)).into_response())
        }
        Err(e) if shown_on_page(&e) => {
            let mut res = call_page(&app, &ctx, &c, Some(refusal_text(&ctx, &e))).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------
// The list and the nomination form

#[derive(Template)]
#[template(path = "calls.html")]
struct CallsPage<'a> {
    ctx: &'a Ctx,
    calls: Vec<CallLine>,
}

/// GET /calls — the calls of the instance with their phase.
async fn list_page(State(app): State<App>, ctx: Ctx) -> Result<Response, AppError> {
    let rows = calls::list(&app, None).await?;
    render_page(&CallsPage {
        calls: call_lines(&ctx, &rows),
        ctx: &ctx,
    })
}

#[derive(Template)]
#[template(path = "call_nominate.html")]
struct NominatePage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: String,
    open: bool,
    form: NominationInput,
    errors: FormErrors,
}

fn nominate_form<'a>(
    ctx: &'a Ctx,
    c: &CallCtx,
    form: NominationInput,
    errors: FormErrors,
) -> NominatePage<'a> {
    NominatePage {
        ctx,
        slug: c.call.slug.clone(),
        title: c.call.fields.title.clone(),
        open: calls::phase(&c.call, calls::now()) == Phase::Nominations,
        form,
        errors,
    }
}

/// GET /calls/{slug}/nominate
async fn nominate_page(
    State(app): State<App>,
    Member(ctx, _): Member,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let c = calls::find_call(&app, &slug).await?;
    render_page(&nominate_form(
        &ctx,
        &c,
        NominationInput::default(),
        FormErrors::default(),
    ))
}

/// POST /calls/{slug}/nominate
async fn nominate(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<NominationInput>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let c = calls::find_call(&app, &slug).await?;
    let mut errors = FormErrors::default();
    match calls::nominate(&app, &user, &c.call.slug, &form).await {
        Ok(_) => {
            return Ok(
                Redirect::to(&format!("/calls/{}?done=call-nominated", c.call.slug))
                    .into_response(),
            )
        }
        Err(AppError::Fields(f)) => field_errors(&ctx, f, &mut errors),
        Err(e) if shown_on_page(&e) => {
            errors.add("", ctx.t("form-errors-heading"), refusal_text(&ctx, &e))
        }
        Err(e) => return Err(e),
    }
    refused(&nominate_form(&ctx, &c, form, errors))
}

// ---------------------------------------------------------------------------------------
// The organizers' pages

#[derive(Template)]
#[template(path = "manage_calls.html")]
struct ManageCallsPage<'a> {
    ctx: &'a Ctx,
    org_slug: String,
    calls: Vec<CallLine>,
}

/// GET /manage/orgs/{org}/calls
async fn manage_list_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(org): Path<String>,
) -> Result<Response, AppError> {
    let (row, _) = find_org(&app, &org).await?;
    require_editor(&app, &row, &user).await?;
    let rows = calls::list(&app, Some(row.id)).await?;
    render_page(&ManageCallsPage {
        calls: call_lines(&ctx, &rows),
        org_slug: row.slug,
        ctx: &ctx,
    })
}

#[derive(Template)]
#[template(path = "manage_call_form.html")]
struct CallFormPage<'a> {
    ctx: &'a Ctx,
    org_slug: String,
    /// The slug of the call being edited.
    editing: Option<String>,
    form: CallInput,
    kinds: Vec<Opt>,
    errors: FormErrors,
}

fn call_form<'a>(
    ctx: &'a Ctx,
    org_slug: &str,
    editing: Option<String>,
    form: CallInput,
    errors: FormErrors,
) -> CallFormPage<'a> {
    let kinds = calls::KINDS
        .iter()
        .map(|k| Opt::new(*k, kind_label(ctx, k), form.kind == *k))
        .collect();
    CallFormPage {
        ctx,
        org_slug: org_slug.to_string(),
        editing,
        form,
        kinds,
        errors,
    }
}

/// GET /manage/orgs/{org}/calls/new
async fn new_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(org): Path<String>,
) -> Result<Response, AppError> {
    let (row, _) = find_org(&app, &org).await?;
    require_editor(&app, &row, &user).await?;
    let form = CallInput {
        kind: "prize".into(),
        timezone: "Europe/Berlin".into(),
        ..CallInput::default()
    };
    render_page(&call_form(
        &ctx,
        &row.slug,
        None,
        form,
        FormErrors::default(),
    ))
}

/// POST /manage/orgs/{org}/calls/new
async fn create(
    State(app): State<App>,
    Path(org): Path<String>,
    CsrfForm(ctx, form): CsrfForm<CallInput>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let mut errors = FormErrors::default();
    match calls::create(&app, &user, &org, &form).await {
        Ok(call) => {
            return Ok(
                Redirect::to(&format!("/manage/calls/{}?done=call-created", call.slug))
                    .into_response(),
            )
        }
        Err(AppError::Fields(f)) => field_errors(&ctx, f, &mut errors),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            errors.add("", ctx.t("form-errors-heading"), e.public_message())
        }
        Err(e) => return Err(e),
    }
    refused(&call_form(&ctx, &org, None, form, errors))
}

/// A call the signed-in person organizes.
async fn organized(
    app: &App,
    ctx: &Ctx,
    slug: &str,
) -> Result<(CallCtx, crate::db::accounts::UserRow), AppError> {
    let user = signed_in(ctx)?;
    let c = calls::find_call(app, slug).await?;
    calls::require_organizer(app, &c, &user).await?;
    Ok((c, user))
}

/// GET /manage/calls/{slug}/edit
async fn edit_page(
    State(app): State<App>,
    Member(ctx, _): Member,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (c, _) = organized(&app, &ctx, &slug).await?;
    let form = CallInput::from_fields(&c.call.slug, &c.call.fields);
    render_page(&call_form(
        &ctx,
        &c.org.slug,
        Some(c.call.slug.clone()),
        form,
        FormErrors::default(),
    ))
}

/// POST /manage/calls/{slug}/edit
async fn update(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<CallInput>,
) -> Result<Response, AppError> {
    let (c, user) = organized(&app, &ctx, &slug).await?;
    let mut errors = FormErrors::default();
    match calls::edit(&app, &user, &c.call.slug, &form).await {
        Ok(call) => {
            return Ok(
                Redirect::to(&format!("/manage/calls/{}?done=call-saved", call.slug))
                    .into_response(),
            )
        }
        Err(AppError::Fields(f)) => field_errors(&ctx, f, &mut errors),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            errors.add("", ctx.t("form-errors-heading"), e.public_message())
        }
        Err(e) => return Err(e),
    }
    let editing = Some(c.call.slug.clone());
    refused(&call_form(&ctx, &c.org.slug, editing, form, errors))
}

/// A nomination on the organizers' page.
pub struct ReviewLine {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub statement: String,
    pub nominated_by: String,
    pub applicant: Option<String>,
    pub status: String,
    pub statuses: Vec<Opt>,
    pub note: String,
    pub option_name: String,
}

#[derive(Template)]
#[template(path = "manage_call.html")]
struct ManageCallPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    c: &'a CallCtx,
    phase: String,
    /// The shortlist may still change (not published yet).
    reviewing: bool,
    voting: bool,
    /// Results may be published (nominations closed, vote not running, none published).
    can_publish: bool,
    nominations: Vec<ReviewLine>,
    jury: String,
    errors: FormErrors,
}

fn review_lines(ctx: &Ctx, all: Vec<calls::NominationReview>) -> Vec<ReviewLine> {
    all.into_iter()
        .map(|r| {
            let n = r.nomination;
            let statuses = ["nominated", "shortlisted", "rejected"]
                .iter()
                .map(|s| Opt::new(*s, ctx.t(&format!("call-status-{s}")), n.status == *s))
                .collect();
            ReviewLine {
                id: n.id,
                status: ctx.t(&format!("call-status-{}", n.status)),
                name: n.project_name,
                url: n.project_url,
                statement: n.statement,
                nominated_by: r.nominated_by,
                applicant: r.applicant,
                statuses,
                note: n.organizer_note,
                option_name: n.option_name,
            }
        })
        .collect()
}

async fn manage_view(
    app: &App,
    ctx: &Ctx,
    slug: &str,
    notice: Option<String>,
    jury: String,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let (c, user) = organized(app, ctx, slug).await?;
    let all = calls::nominations_for_review(app, &user, &c).await?;
    let p = calls::phase(&c.call, calls::now());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ManageCallPage {
        ctx,
        notice,
        c: &c,
        phase: phase_label(ctx, p),
        reviewing: c.call.shortlist_published.is_none(),
        voting: p == Phase::Voting,
        can_publish: matches!(p, Phase::Review | Phase::Deliberation),
        nominations: review_lines(ctx, all),
        jury,
        errors,
    };
    Ok((status, render_page(&page)?).into_response())
}

/// GET /manage/calls/{slug}
async fn manage_page(
    State(app): State<App>,
    Member(ctx, _): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = flash(&ctx, q.done.as_deref());
    manage_view(
        &app,
        &ctx,
        &slug,
        notice,
        String::new(),
        FormErrors::default(),
    )
    .await
}

/// An organizer's action: done → back to the page with `done`; refused → the page with the
/// refusal as its notice.
async fn after_action(
    app: &App,
    ctx: &Ctx,
    slug: &str,
    result: Result<(), AppError>,
    done: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/manage/calls/{slug}?done={done}")).into_response()),
        Err(AppError::Fields(f)) => {
            let mut errors = FormErrors::default();
            field_errors(ctx, f, &mut errors);
            manage_view(app, ctx, slug, None, String::new(), errors).await
        }
        Err(e) if shown_on_page(&e) => {
            let mut errors = FormErrors::default();
            errors.add("", ctx.t("form-errors-heading"), refusal_text(ctx, &e));
            manage_view(app, ctx, slug, None, String::new(), errors).await
        }
        Err(e) => Err(e),
    }
}

/// POST /manage/calls/{slug}/nominations/{id}
async fn review_nomination(
    State(app): State<App>,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(ctx, form): CsrfForm<ReviewInput>,
) -> Result<Response, AppError> {
    let (c, user) = organized(&app, &ctx, &slug).await?;
    let result = calls::review(&app, &user, &c.call.slug, id, &form).await;
    after_action(&app, &ctx, &c.call.slug, result, "call-reviewed").await
}

#[derive(Deserialize)]
struct EmptyForm {}

/// POST /manage/calls/{slug}/shortlist
async fn publish_shortlist(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let (c, user) = organized(&app, &ctx, &slug).await?;
    let result = calls::publish_shortlist(&app, &user, &c.call.slug).await;
    after_action(&app, &ctx, &c.call.slug, result, "call-shortlist").await
}

/// POST /manage/calls/{slug}/close
async fn close_vote(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let (c, user) = organized(&app, &ctx, &slug).await?;
    let result = calls::close_now(&app, &user, &c.call.slug).await;
    after_action(&app, &ctx, &c.call.slug, result, "call-closed").await
}

/// POST /manage/calls/{slug}/results
async fn publish_results(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<calls::ResultsInput>,
) -> Result<Response, AppError> {
    let (c, user) = organized(&app, &ctx, &slug).await?;
    match calls::publish_results(&app, &user, &c.call.slug, &form).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/manage/calls/{}?done=call-results", c.call.slug))
                .into_response(),
        ),
        Err(AppError::Fields(f)) => {
            let mut errors = FormErrors::default();
            field_errors(&ctx, f, &mut errors);
            manage_view(&app, &ctx, &c.call.slug, None, form.jury, errors).await
        }
        Err(e) => after_action(&app, &ctx, &c.call.slug, Err(e), "").await,
    }
}
