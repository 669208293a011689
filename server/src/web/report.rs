//! Reports: the report form on every page (`/report`, anyone may report, no account needed,
//! rate-limited per address), `POST /api/v1/reports`, and the moderators' queue
//! (`/moderation/reports`, `/api/v1/moderation/reports`): read a report with the content as it
//! was when reported, resolve or reject it with a note, forward it to the content's home server.
//! The work is done by `domain::reports`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use revier_federation::protocol::format_time;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::error::AppError;
use crate::domain::moderation_log::LogRow;
use crate::domain::page::Page;
use crate::domain::paging::PageNumber;
use crate::domain::reports::{
    self, NewReportInput, ObjectSnapshot, ReportCategory, ReportRow, ReportStatus, Reported,
    Reporter,
};
use crate::domain::text::{strip_html, truncate_chars};
use crate::web::auth::{AuthUser, ModeratorUser};
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::moderation::ActionTargets;
use crate::web::page::{flash, render_page, ClientIp, CsrfForm, Ctx, Moderator};
use crate::web::paged::{paged, PageParams};
use crate::web::pages::human_time;
use crate::App;

/// Reports per page of the queue.
const QUEUE_PAGE_SIZE: i64 = 30;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/report", get(report_page).post(report))
        .route("/api/v1/reports", post(create_report))
        .route("/moderation/reports", get(queue_page))
        .route("/moderation/reports/{id}", get(detail_page))
        .route("/moderation/reports/{id}/resolve", post(resolve))
        .route("/moderation/reports/{id}/reject", post(reject))
        .route("/moderation/reports/{id}/forward", post(forward))
        .route("/api/v1/moderation/reports", get(list_reports))
        .route("/api/v1/moderation/reports/{id}", get(get_report))
        .route(
            "/api/v1/moderation/reports/{id}/resolve",
            post(resolve_report),
        )
        .route(
            "/api/v1/moderation/reports/{id}/reject",
            post(reject_report),
        )
        .route(
            "/api/v1/moderation/reports/{id}/forward",
            post(forward_report),
        )
}

// ---------------------------------------------------------------------------------------------
// The report form

#[derive(Deserialize)]
struct TargetQuery {
    target: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    ctx: &'a Ctx,
    target: String,
    snapshot: ObjectSnapshot,
    category: ReportCategory,
    comment: String,
    error: Option<String>,
}

impl ReportPage<'_> {
    fn categories(&self) -> &'static [ReportCategory] {
        ReportCategory::ALL
    }

    fn category_label(&self, c: &ReportCategory) -> String {
        self.ctx.t(&format!("report-category-{}", c.as_str()))
    }

    fn title(&self) -> String {
        snapshot_title(self.ctx, &self.snapshot)
    }

    fn snippet(&self) -> String {
        snippet(&self.snapshot.content_html)
    }

    fn link(&self) -> String {
        safe_link(&self.snapshot.url)
    }
}

/// A reported thing's title for pages: its name, else its kind.
fn snapshot_title(ctx: &Ctx, s: &ObjectSnapshot) -> String {
    if s.name.trim().is_empty() {
        kind_label(ctx, &s.kind)
    } else {
        truncate_chars(s.name.trim(), 200)
    }
}

fn kind_label(ctx: &Ctx, kind: &str) -> String {
    let key = match kind {
        "Event" => "report-kind-event",
        "Note" => "report-kind-note",
        "Group" => "report-kind-group",
        "Person" => "report-kind-person",
        "Project" => "report-kind-project",
        _ => "report-kind-other",
    };
    ctx.t(key)
}

/// The first words of sanitized HTML as plain text.
fn snippet(html: &str) -> String {
    let text = strip_html(html);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 280 {
        format!("{}…", truncate_chars(&text, 279))
    } else {
        text
    }
}

/// An http(s) link, or "" (pages then show no link).
fn safe_link(url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        url.to_string()
    } else {
        String::new()
    }
}

async fn target_or_404(app: &App, ctx: &Ctx, target: Option<&str>) -> Result<Reported, AppError> {
    let target = target.map(str::trim).unwrap_or_default();
    if target.is_empty() {
        return Err(AppError::BadRequest(ctx.t("report-err-no-target")));
    }
    reports::find_target(app, target)
        .await?
        .ok_or_else(|| AppError::NotFound(ctx.t("report-err-unknown-target")))
}

/// GET /report?target=…: what is reported, a category and a note.
async fn report_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<TargetQuery>,
) -> Result<Response, AppError> {
    let reported = target_or_404(&app, &ctx, q.target.as_deref()).await?;
    render_page(&ReportPage {
        ctx: &ctx,
        target: reported.snapshot.ap_id.clone(),
        snapshot: reported.snapshot,
        category: ReportCategory::Other,
        comment: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
struct ReportForm {
    target: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    comment: String,
}

#[derive(Template)]
#[template(path = "report_sent.html")]
struct SentPage<'a> {
    ctx: &'a Ctx,
    link: String,
}

/// POST /report: files the report; anyone may (the limit is per address and per person).
async fn report(
    State(app): State<App>,
    ClientIp(client): ClientIp,
    CsrfForm(ctx, form): CsrfForm<ReportForm>,
) -> Result<Response, AppError> {
    let reported = target_or_404(&app, &ctx, Some(&form.target)).await?;
    let again = |status: StatusCode, category: ReportCategory, error: String| {
        Ok((
            status,
            render_page(&ReportPage {
                ctx: &ctx,
                target: reported.snapshot.ap_id.clone(),
                snapshot: reported.snapshot.clone(),
                category,
                comment: truncate_chars(&form.comment, reports::MAX_COMMENT_CHARS),
                error: Some(error),
            })?,
        )
            .into_response())
    };
    let Ok(category) = reports::parse_category(&form.category) else {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            ReportCategory::Other,
            ctx.t("report-err-category"),
        );
    };
    if form.comment.trim().chars().count() > reports::MAX_COMMENT_CHARS {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            category,
            ctx.t("report-err-comment-long"),
        );
    }
    let reporter = match &ctx.user {
        Some(s) => Reporter::User(s.user.id, client),
        None => Reporter::Anonymous(client),
    };
    let input = NewReportInput {
        reporter,
        target: reported.snapshot.ap_id.clone(),
        category,
        comment: form.comment.clone(),
    };
    match reports::submit(&app, &input).await {
        Ok(_) => render_page(&SentPage {
            ctx: &ctx,
            link: safe_link(&reported.snapshot.url),
        }),
        Err(AppError::TooManyRequests(_)) => again(
            StatusCode::TOO_MANY_REQUESTS,
            category,
            ctx.t("report-err-limited"),
        ),
        Err(e) => Err(e),
    }
}

/// A report to file through the API.
#[derive(Deserialize, ToSchema)]
pub struct ReportInput {
    /// What is reported: the ActivityPub id of an actor, event, announcement, comment or note
    /// stored here, or a page of this instance.
    target: String,
    /// `spam`, `legal`, `violation` (a rule of the instance) or `other` (the default).
    #[serde(default)]
    category: Option<String>,
    /// The reporter's note, at most 5,000 characters.
    #[serde(default)]
    comment: Option<String>,
}

/// The id of a new report.
#[derive(Serialize, ToSchema)]
pub struct ReportCreated {
    id: i64,
}

/// Report an actor or an object to this instance's moderators.
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = ReportInput,
    responses((status = 201, body = ReportCreated), (status = 401, body = crate::web::error::ErrorBody),
        (status = 404, body = crate::web::error::ErrorBody), (status = 422, body = crate::web::error::ErrorBody),
        (status = 429, body = crate::web::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_report(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<Response, AppError> {
    let category = match input.category.as_deref() {
        Some(c) => reports::parse_category(c)?,
        None => ReportCategory::Other,
    };
    let id = reports::submit(
        &app,
        &NewReportInput {
            reporter: Reporter::User(user.id, None),
            target: input.target,
            category,
            comment: input.comment.unwrap_or_default(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(ReportCreated { id })).into_response())
}

// ---------------------------------------------------------------------------------------------
// The moderators' queue

#[derive(Deserialize)]
struct QueueQuery {
    status: Option<String>,
    page: Option<i64>,
    done: Option<String>,
}

fn parse_status(ctx: Option<&Ctx>, s: Option<&str>) -> Result<ReportStatus, AppError> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(ReportStatus::Open),
        Some(s) => s.parse().map_err(|()| {
            AppError::BadRequest(match ctx {
                Some(ctx) => ctx.t("reports-err-status"),
                None => format!("status must be open, resolved or rejected, not {s:?}"),
            })
        }),
    }
}

#[derive(Template)]
#[template(path = "report_queue.html")]
struct QueuePage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    status: ReportStatus,
    reports: Vec<ReportRow>,
    prev: Option<String>,
    next: Option<String>,
}

impl QueuePage<'_> {
    fn statuses(&self) -> &'static [ReportStatus] {
        ReportStatus::ALL
    }

    fn status_label(&self, s: &ReportStatus) -> String {
        self.ctx.t(&format!("reports-status-{}", s.as_str()))
    }

    fn category_label(&self, c: &ReportCategory) -> String {
        self.ctx.t(&format!("report-category-{}", c.as_str()))
    }

    fn reporter(&self, r: &ReportRow) -> String {
        reporter_label(self.ctx, r)
    }

    fn when(&self, at: &i64) -> String {
        human_time(*at)
    }

    fn numbered(&self, id: &i64) -> String {
        self.ctx.ta(
            "reports-number",
            &[("id", crate::web::i18n::Arg::Number(*id))],
        )
    }
}

/// Who reported, as moderators see it: a local person's name, a remote server's host only,
/// or "anonymous".
fn reporter_label(ctx: &Ctx, r: &ReportRow) -> String {
    if let Some(name) = &r.reporter_user {
        name.clone()
    } else if !r.origin_host.is_empty() {
        ctx.ta(
            "reports-reporter-remote",
            &[("host", crate::web::i18n::Arg::from(r.origin_host.as_str()))],
        )
    } else {
        ctx.t("reports-reporter-anonymous")
    }
}

/// `?status=…&page=N` of the queue.
fn queue_href(status: ReportStatus, page: i64) -> String {
    let mut href = format!("/moderation/reports?status={}", status.as_str());
    if page > 1 {
        href.push_str(&format!("&page={page}"));
    }
    href
}

/// GET /moderation/reports: open reports by default, newest first.
async fn queue_page(
    State(app): State<App>,
    Moderator(ctx, _): Moderator,
    Query(q): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let status = parse_status(Some(&ctx), q.status.as_deref())?;
    let number = PageNumber::parse(q.page.unwrap_or(1))?;
    let page = Page::parse(Some(number.get()), Some(QUEUE_PAGE_SIZE))?;
    let mut rows = reports::list(&app, status, &page).await?;
    let more = page.cut(&mut rows);
    render_page(&QueuePage {
        ctx: &ctx,
        notice: flash(&ctx, q.done.as_deref()),
        status,
        reports: rows,
        prev: number.prev().map(|p| queue_href(status, p)),
        next: more
            .then(|| number.next())
            .flatten()
            .map(|n| queue_href(status, n)),
    })
}

#[derive(Template)]
#[template(path = "report_detail.html")]
struct DetailPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    report: ReportRow,
    /// The reported account is remote (the report may be forwarded).
    remote: bool,
    earlier: Vec<ReportRow>,
    log: Vec<LogRow>,
    /// Read by the partial `moderation_actions.html` (the moderation actions' forms); while
    /// that partial shows nothing, the compiler sees no reader.
    #[allow(dead_code)]
    actions: ActionTargets,
}

impl DetailPage<'_> {
    fn title(&self) -> String {
        self.ctx.ta(
            "reports-detail-title",
            &[("id", crate::web::i18n::Arg::Number(self.report.id))],
        )
    }

    fn status_label(&self, s: &ReportStatus) -> String {
        self.ctx.t(&format!("reports-status-{}", s.as_str()))
    }

    fn category_label(&self, c: &ReportCategory) -> String {
        self.ctx.t(&format!("report-category-{}", c.as_str()))
    }

    fn reporter(&self, r: &ReportRow) -> String {
        reporter_label(self.ctx, r)
    }

    fn when(&self, at: &i64) -> String {
        human_time(*at)
    }

    fn snapshot_title(&self, s: &ObjectSnapshot) -> String {
        snapshot_title(self.ctx, s)
    }

    fn kind(&self, s: &ObjectSnapshot) -> String {
        kind_label(self.ctx, &s.kind)
    }

    fn link(&self, url: &str) -> String {
        safe_link(url)
    }

    fn numbered(&self, id: &i64) -> String {
        self.ctx.ta(
            "reports-number",
            &[("id", crate::web::i18n::Arg::Number(*id))],
        )
    }

    fn action_label(&self, action: &str) -> String {
        let key = format!("modlog-action-{}", action.replace('.', "-"));
        let text = self.ctx.t(&key);
        if text == key {
            action.to_string()
        } else {
            text
        }
    }
}

/// GET /moderation/reports/{id}: the report, the content as it was when reported, earlier
/// reports and actions on the same account and domain, and what a moderator can do.
async fn detail_page(
    State(app): State<App>,
    Moderator(ctx, _): Moderator,
    Path(id): Path<i64>,
    Query(q): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let report = reports::find(&app, id).await?;
    let history = reports::history(&app, &report).await?;
    let remote = reports::remote_account(&app, &report).await?.is_some();
    let actions = ActionTargets {
        report_id: Some(report.id),
        actor_ap_id: Some(report.target_actor_ap_id.clone()),
        object_ap_ids: report
            .objects
            .iter()
            .map(|o| o.ap_id.clone())
            .filter(|o| *o != report.target_actor_ap_id)
            .collect(),
        back: format!("/moderation/reports/{}", report.id),
    };
    render_page(&DetailPage {
        ctx: &ctx,
        notice: flash(&ctx, q.done.as_deref()),
        report,
        remote,
        earlier: history.reports,
        log: history.log,
        actions,
    })
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    note: String,
}

/// A form's error in the page's words.
fn in_words(ctx: &Ctx, e: AppError) -> AppError {
    match e {
        AppError::Conflict(_) => AppError::Conflict(ctx.t("reports-err-decided")),
        AppError::Invalid(_) => AppError::Invalid(ctx.t("report-err-comment-long")),
        other => other,
    }
}

/// POST /moderation/reports/{id}/resolve
async fn resolve(
    State(app): State<App>,
    Moderator(_, me): Moderator,
    Path(id): Path<i64>,
    CsrfForm(ctx, form): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    reports::decide(&app, me.id, id, ReportStatus::Resolved, &form.note)
        .await
        .map_err(|e| in_words(&ctx, e))?;
    Ok(Redirect::to(&format!("/moderation/reports/{id}?done=report-resolved")).into_response())
}

/// POST /moderation/reports/{id}/reject
async fn reject(
    State(app): State<App>,
    Moderator(_, me): Moderator,
    Path(id): Path<i64>,
    CsrfForm(ctx, form): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    reports::decide(&app, me.id, id, ReportStatus::Rejected, &form.note)
        .await
        .map_err(|e| in_words(&ctx, e))?;
    Ok(Redirect::to(&format!("/moderation/reports/{id}?done=report-rejected")).into_response())
}

#[derive(Deserialize)]
struct ForwardForm {
    #[serde(default)]
    comment: String,
}

/// POST /moderation/reports/{id}/forward: to the content's home server, from the instance.
async fn forward(
    State(app): State<App>,
    Moderator(_, me): Moderator,
    Path(id): Path<i64>,
    CsrfForm(ctx, form): CsrfForm<ForwardForm>,
) -> Result<Response, AppError> {
    reports::forward(&app, me.id, id, &form.comment)
        .await
        .map_err(|e| match e {
            AppError::Conflict(_) => AppError::Conflict(ctx.t("reports-err-local")),
            other => in_words(&ctx, other),
        })?;
    Ok(Redirect::to(&format!("/moderation/reports/{id}?done=report-forwarded")).into_response())
}

// ---------------------------------------------------------------------------------------------
// The moderators' API

/// Who reported, as the API shows it to moderators.
#[derive(Serialize, ToSchema)]
pub struct ReporterView {
    /// `user` (a person here), `remote` (another server; only its host is known) or
    /// `anonymous`.
    kind: &'static str,
    /// The person's username (`user`) or the server's host (`remote`).
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

/// A reported object (or account) as it was when reported.
#[derive(Serialize, ToSchema)]
pub struct SnapshotView {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    url: String,
    name: String,
    /// Sanitized HTML.
    content: String,
    published: Option<String>,
}

/// A report as moderators see it.
#[derive(Serialize, ToSchema)]
pub struct ReportView {
    id: i64,
    created_at: String,
    /// `open`, `resolved` or `rejected`.
    status: &'static str,
    /// `spam`, `legal`, `violation` or `other`.
    category: &'static str,
    comment: String,
    reporter: ReporterView,
    /// The reported account (an ActivityPub id).
    account: String,
    account_host: String,
    objects: Vec<SnapshotView>,
    resolved_at: Option<String>,
    resolved_by: Option<String>,
    resolution_note: String,
    forwarded_at: Option<String>,
}

impl From<ReportRow> for ReportView {
    fn from(r: ReportRow) -> Self {
        let reporter = if let Some(name) = r.reporter_user.clone() {
            ReporterView {
                kind: "user",
                name: Some(name),
            }
        } else if !r.origin_host.is_empty() {
            ReporterView {
                kind: "remote",
                name: Some(r.origin_host.clone()),
            }
        } else {
            ReporterView {
                kind: "anonymous",
                name: None,
            }
        };
        ReportView {
            id: r.id,
            created_at: format_time(r.created_at),
            status: r.status.as_str(),
            category: r.category.as_str(),
            comment: r.comment,
            reporter,
            account: r.target_actor_ap_id,
            account_host: r.target_host,
            objects: r
                .objects
                .into_iter()
                .map(|o| SnapshotView {
                    id: o.ap_id,
                    kind: o.kind,
                    url: o.url,
                    name: o.name,
                    content: o.content_html,
                    published: o.published.map(format_time),
                })
                .collect(),
            resolved_at: r.resolved_at.map(format_time),
            resolved_by: r.resolved_by_name,
            resolution_note: r.resolution_note,
            forwarded_at: r.forwarded_at.map(format_time),
        }
    }
}

/// One page of reports.
#[derive(Serialize, ToSchema)]
pub struct ReportList {
    reports: Vec<ReportView>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusParam {
    /// `open` (the default), `resolved` or `rejected`.
    status: Option<String>,
}

/// The queue: reports with a status (open by default), newest first.
#[utoipa::path(get, path = "/api/v1/moderation/reports", tag = "reports",
    params(StatusParam, PageParams),
    responses((status = 200, body = ReportList, description = "one page, newest first; `Link` names the next"),
        (status = 400, body = crate::web::error::ErrorBody), (status = 401, body = crate::web::error::ErrorBody),
        (status = 403, body = crate::web::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_reports(
    State(app): State<App>,
    ModeratorUser(_me): ModeratorUser,
    ApiQuery(s): ApiQuery<StatusParam>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let status = parse_status(None, s.status.as_deref())?;
    let page = p.page()?;
    let rows = reports::list(&app, status, &page).await?;
    Ok(paged(&app, &uri, &page, rows, |rows| ReportList {
        reports: rows.into_iter().map(ReportView::from).collect(),
    }))
}

/// A report with the content as it was when reported.
#[utoipa::path(get, path = "/api/v1/moderation/reports/{id}", tag = "reports",
    params(("id" = i64, Path)),
    responses((status = 200, body = ReportView), (status = 401, body = crate::web::error::ErrorBody),
        (status = 403, body = crate::web::error::ErrorBody), (status = 404, body = crate::web::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_report(
    State(app): State<App>,
    ModeratorUser(_me): ModeratorUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, AppError> {
    Ok(axum::Json(ReportView::from(reports::find(&app, id).await?)).into_response())
}

/// A moderator's note on a decision.
#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    /// Why (for the moderators and the log), at most 5,000 characters.
    #[serde(default)]
    note: Option<String>,
}

/// A comment sent with a forwarded report.
#[derive(Deserialize, ToSchema)]
pub struct ForwardInput {
    /// Sent as the Flag's `content`, at most 5,000 characters; nothing else about the reporter
    /// is sent.
    #[serde(default)]
    comment: Option<String>,
}

async fn decided(
    app: &App,
    moderator: i64,
    id: i64,
    status: ReportStatus,
    note: &str,
) -> Result<Response, AppError> {
    reports::decide(app, moderator, id, status, note).await?;
    Ok(axum::Json(ReportView::from(reports::find(app, id).await?)).into_response())
}

/// Resolve an open report (logged as `report.resolve`).
#[utoipa::path(post, path = "/api/v1/moderation/reports/{id}/resolve", tag = "reports",
    params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = ReportView), (status = 401, body = crate::web::error::ErrorBody),
        (status = 403, body = crate::web::error::ErrorBody), (status = 404, body = crate::web::error::ErrorBody),
        (status = 409, body = crate::web::error::ErrorBody, description = "decided already")),
    security(("bearer" = [])))]
pub async fn resolve_report(
    State(app): State<App>,
    ModeratorUser(me): ModeratorUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Response, AppError> {
    let note = input.note.unwrap_or_default();
    decided(&app, me.id, id, ReportStatus::Resolved, &note).await
}

/// Reject an open report (logged as `report.reject`).
#[utoipa::path(post, path = "/api/v1/moderation/reports/{id}/reject", tag = "reports",
    params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = ReportView), (status = 401, body = crate::web::error::ErrorBody),
        (status = 403, body = crate::web::error::ErrorBody), (status = 404, body = crate::web::error::ErrorBody),
        (status = 409, body = crate::web::error::ErrorBody, description = "decided already")),
    security(("bearer" = [])))]
pub async fn reject_report(
    State(app): State<App>,
    ModeratorUser(me): ModeratorUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Response, AppError> {
    let note = input.note.unwrap_or_default();
    decided(&app, me.id, id, ReportStatus::Rejected, &note).await
}

/// Forward a report about remote content to its home server as a `Flag` of the instance actor
/// (logged as `report.forward`).
#[utoipa::path(post, path = "/api/v1/moderation/reports/{id}/forward", tag = "reports",
    params(("id" = i64, Path)), request_body = ForwardInput,
    responses((status = 200, body = ReportView), (status = 401, body = crate::web::error::ErrorBody),
        (status = 403, body = crate::web::error::ErrorBody), (status = 404, body = crate::web::error::ErrorBody),
        (status = 409, body = crate::web::error::ErrorBody, description = "the reported content is local")),
    security(("bearer" = [])))]
pub async fn forward_report(
    State(app): State<App>,
    ModeratorUser(me): ModeratorUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ForwardInput>,
) -> Result<Response, AppError> {
    reports::forward(&app, me.id, id, &input.comment.unwrap_or_default()).await?;
    Ok(axum::Json(ReportView::from(reports::find(&app, id).await?)).into_response())
}
