//! The moderation log: the moderators' page (`/moderation/log`) and JSON
//! (`/api/v1/moderation/log`), and the public variant without personal data
//! (`/about/moderation-log`, `/api/v1/instance/moderation_log`) that exists only while the admin
//! has enabled it. The rows and the switch come from `domain::moderation_log`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::error::AppError;
use crate::domain::moderation_log::{self, LogRow};
use crate::web::account::when;
use crate::web::auth::ModeratorUser;
use crate::web::error::ErrorBody;
use crate::web::extract::ApiQuery;
use crate::web::page::{flash, render_page, CsrfForm, Ctx, Moderator};
use crate::App;

/// Entries per page.
const PAGE_SIZE: i64 = 50;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/moderation/log", get(log_page))
        .route("/moderation/log/public", post(switch_public))
        .route("/about/moderation-log", get(public_page))
        .route("/api/v1/moderation/log", get(api_log))
        .route("/api/v1/instance/moderation_log", get(api_public_log))
}

/// `?target=&host=&before=&done=`; empty fields count as absent.
#[derive(Deserialize, Default)]
pub struct LogQuery {
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

impl LogQuery {
    fn target(&self) -> Option<&str> {
        self.target
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    fn host(&self) -> Option<&str> {
        self.host
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The `before` id; anything but a positive number is a 400.
    fn before(&self) -> Result<Option<i64>, AppError> {
        match self
            .before
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(None),
            Some(b) => b
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| {
                    AppError::BadRequest(format!("before={b:?} is not an entry number"))
                }),
        }
    }
}

/// The translated name of an action, or the action itself when no text exists for it.
fn action_label(ctx: &Ctx, action: &str) -> String {
    let key = format!("modlog-action-{}", action.replace('.', "-"));
    let text = ctx.t(&key);
    if text == key {
        action.to_string()
    } else {
        text
    }
}

/// One row of the moderators' table.
struct LogLine {
    when: String,
    who: String,
    action: String,
    target: String,
    reason: String,
    public_reason: String,
    report: Option<i64>,
}

#[derive(Template)]
#[template(path = "moderation_log.html")]
struct LogPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    lines: Vec<LogLine>,
    target: String,
    host: String,
    /// The link to older entries, when there may be some.
    older: Option<String>,
    /// The public log's switch (shown to admins only).
    public_on: bool,
}

/// The query string for the next page, keeping the filters.
fn older_href(base: &str, target: Option<&str>, host: Option<&str>, before: i64) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    if let Some(t) = target {
        q.append_pair("target", t);
    }
    if let Some(h) = host {
        q.append_pair("host", h);
    }
    q.append_pair("before", &before.to_string());
    format!("{base}?{}", q.finish())
}

/// GET /moderation/log — for moderators and admins, newest first.
async fn log_page(
    State(app): State<App>,
    Moderator(ctx, _): Moderator,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let rows = moderation_log::list(&app, q.target(), q.host(), q.before()?, PAGE_SIZE).await?;
    let older = (rows.len() as i64 == PAGE_SIZE)
        .then(|| {
            rows.last()
                .map(|r| older_href("/moderation/log", q.target(), q.host(), r.id))
        })
        .flatten();
    let lines = rows
        .iter()
        .map(|r| LogLine {
            when: when(ctx.lang, r.at),
            who: r
                .moderator
                .clone()
                .unwrap_or_else(|| ctx.t("modlog-the-instance")),
            action: action_label(&ctx, &r.action),
            target: r.target.clone(),
            reason: r.reason.clone(),
            public_reason: r.public_reason.clone(),
            report: r.report_id,
        })
        .collect();
    render_page(&LogPage {
        notice: flash(&ctx, q.done.as_deref()),
        lines,
        target: q.target().unwrap_or_default().to_string(),
        host: q.host().unwrap_or_default().to_string(),
        older,
        public_on: moderation_log::public_log_enabled(&app).await?,
        ctx: &ctx,
    })
}

#[derive(Deserialize)]
struct PublicSwitch {
    /// `1` shows the public log, `0` hides it.
    public: String,
}

/// POST /moderation/log/public (public=1|0) — admins only.
async fn switch_public(
    State(app): State<App>,
    Moderator(_, user): Moderator,
    CsrfForm(ctx, form): CsrfForm<PublicSwitch>,
) -> Result<Response, AppError> {
    let on = match form.public.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest(ctx.t("modlog-public-bad"))),
    };
    moderation_log::set_public_log(&app, &user, on)
        .await
        .map_err(|e| match e {
            AppError::Forbidden(_) => AppError::Forbidden(ctx.t("admin-only")),
            other => other,
        })?;
    let done = if on {
        "modlog-public-on"
    } else {
        "modlog-public-off"
    };
    Ok(Redirect::to(&format!("/moderation/log?done={done}")).into_response())
}

/// One row of the public table.
struct PublicLine {
    when: String,
    action: String,
    host: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "moderation_log_public.html")]
struct PublicPage<'a> {
    ctx: &'a Ctx,
    lines: Vec<PublicLine>,
    older: Option<String>,
}

/// GET /about/moderation-log — the public variant, 404 unless the admin enabled it.
async fn public_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let Some(entries) = moderation_log::list_public(&app, q.before()?, PAGE_SIZE).await? else {
        return Err(AppError::NotFound("the public moderation log".into()));
    };
    let older = (entries.len() as i64 == PAGE_SIZE)
        .then(|| {
            entries
                .last()
                .map(|(id, _)| older_href("/about/moderation-log", None, None, *id))
        })
        .flatten();
    let lines = entries
        .iter()
        .map(|(_, e)| PublicLine {
            when: when(ctx.lang, e.at),
            action: action_label(&ctx, &e.action),
            host: e.target_host.clone(),
            reason: e.public_reason.clone(),
        })
        .collect();
    render_page(&PublicPage {
        ctx: &ctx,
        lines,
        older,
    })
}

/// One entry as the moderators' API shows it.
#[derive(Serialize, ToSchema)]
pub struct ApiEntry {
    id: i64,
    /// Unix microseconds.
    at: i64,
    /// The moderator's username; null when the instance acted on its own.
    moderator: Option<String>,
    /// Dotted, e.g. `report.resolve`, `actor.suspend`, `domain.suspend`.
    action: String,
    /// What was acted on: an actor, an object, a domain, a report, a list ...
    target_kind: String,
    /// The ActivityPub id, host, report number or URL acted on.
    target: String,
    target_host: String,
    /// Why, for the moderators.
    reason: String,
    /// Why, as the public log shows it.
    public_reason: String,
    /// The report the action resolved.
    report_id: Option<i64>,
}

impl From<&LogRow> for ApiEntry {
    fn from(r: &LogRow) -> Self {
        ApiEntry {
            id: r.id,
            at: r.at,
            moderator: r.moderator.clone(),
            action: r.action.clone(),
            target_kind: r.target_kind.clone(),
            target: r.target.clone(),
            target_host: r.target_host.clone(),
            reason: r.reason.clone(),
            public_reason: r.public_reason.clone(),
            report_id: r.report_id,
        }
    }
}

/// GET /api/v1/moderation/log?target=&host=&before= — moderators and admins.
#[utoipa::path(get, path = "/api/v1/moderation/log", tag = "moderation log",
    params(("target" = Option<String>, Query, description = "only entries about this target (an ActivityPub id, host, ...)"),
        ("host" = Option<String>, Query, description = "only entries about targets on this host"),
        ("before" = Option<i64>, Query, minimum = 1, description = "only entries older than this entry id (the next page: the last id seen)")),
    responses((status = 200, body = Vec<ApiEntry>, description = "at most 50 entries, newest first"),
        (status = 400, body = ErrorBody, description = "`before` is not an entry id"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not a moderator or admin")),
    security(("bearer" = [])))]
pub async fn api_log(
    State(app): State<App>,
    ModeratorUser(_me): ModeratorUser,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Response, AppError> {
    let rows = moderation_log::list(&app, q.target(), q.host(), q.before()?, PAGE_SIZE).await?;
    let entries: Vec<ApiEntry> = rows.iter().map(ApiEntry::from).collect();
    Ok(Json(entries).into_response())
}

/// One entry of the public API: no person, no private reason, only the host.
#[derive(Serialize, ToSchema)]
pub struct ApiPublicEntry {
    id: i64,
    /// Unix microseconds.
    at: i64,
    /// Dotted, e.g. `actor.suspend`, `domain.suspend`.
    action: String,
    target_kind: String,
    /// Only the host of what was acted on.
    target_host: String,
    /// Why, as the moderator wrote it for the public.
    public_reason: String,
}

/// GET /api/v1/instance/moderation_log?before= — anyone, while the public log is enabled.
#[utoipa::path(get, path = "/api/v1/instance/moderation_log", tag = "moderation log",
    params(("before" = Option<i64>, Query, minimum = 1, description = "only entries older than this entry id (the next page: the last id seen)")),
    responses((status = 200, body = Vec<ApiPublicEntry>, description = "at most 50 entries, newest first, without persons or private reasons"),
        (status = 400, body = ErrorBody, description = "`before` is not an entry id"),
        (status = 404, body = ErrorBody, description = "the admin has not made the log public")))]
pub async fn api_public_log(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Response, AppError> {
    let Some(entries) = moderation_log::list_public(&app, q.before()?, PAGE_SIZE).await? else {
        return Err(AppError::NotFound("the public moderation log".into()));
    };
    let entries: Vec<ApiPublicEntry> = entries
        .into_iter()
        .map(|(id, e)| ApiPublicEntry {
            id,
            at: e.at,
            action: e.action,
            target_kind: e.target_kind,
            target_host: e.target_host,
            public_reason: e.public_reason,
        })
        .collect();
    Ok(Json(entries).into_response())
}
