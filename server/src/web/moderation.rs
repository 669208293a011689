//! The moderators' pages and actions: `/moderation` (overview), the account search, an
//! account's moderation page, the action forms (also included by the report pages through
//! the partial `moderation_actions.html`), and `/api/v1/moderation` for the same actions.
//! Pages take [`Moderator`], the API [`ModeratorUser`]; the work is `domain::moderation`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::domain::error::AppError;
use crate::domain::moderation::{
    self, AccountAction, ActorRow, ContentAction, ContentItem, Reasons,
};
use crate::domain::moderation_log::{self, LogRow};
use crate::domain::reports;
use crate::web::account::{when, Stamp};
use crate::web::auth::ModeratorUser;
use crate::web::extract::{ApiJson, ApiPath};
use crate::web::page::{flash, render_page, safe_back, CsrfForm, Ctx, Moderator};
use crate::App;

/// What the moderation action forms (the partial `moderation_actions.html`) act on: a
/// report's page includes them with the reported account and objects.
#[derive(Debug, Clone, Default)]
pub struct ActionTargets {
    pub report_id: Option<i64>,
    /// The account acted on (an ActivityPub id), local or remote.
    pub actor_ap_id: Option<String>,
    /// The objects acted on (ActivityPub ids).
    pub object_ap_ids: Vec<String>,
    /// Where the forms return to (a local path).
    pub back: String,
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/moderation", get(overview))
        .route("/moderation/accounts", get(accounts_page))
        .route("/moderation/accounts/{id}", get(account_page))
        .route("/moderation/accounts/{id}/{action}", post(act_on_account))
        .route(
            "/moderation/account/{action}",
            post(act_on_account_by_ap_id),
        )
        .route("/moderation/content/{action}", post(act_on_content))
        .route(
            "/api/v1/moderation/accounts/{id}/{action}",
            post(api_act_on_account),
        )
        .route(
            "/api/v1/moderation/content/{action}",
            post(api_act_on_content),
        )
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// Entries shown on the overview and an account's page.
const RECENT_LOG: i64 = 20;

#[derive(Template)]
#[template(path = "moderation.html")]
struct OverviewPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    open_reports: i64,
    log: Vec<LogRow>,
}

impl OverviewPage<'_> {
    fn when(&self, at: impl Stamp) -> String {
        when(self.ctx.lang, at.micros())
    }

    fn action(&self, e: &LogRow) -> String {
        self.ctx
            .t(&format!("modlog-action-{}", e.action.replace('.', "-")))
    }
}

/// GET /moderation
async fn overview(
    State(app): State<App>,
    Moderator(ctx, _): Moderator,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let log = moderation_log::list(&app, None, None, None, RECENT_LOG).await?;
    let open_reports = reports::count_open(&app).await?;
    render_page(&OverviewPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        open_reports,
        log,
    })
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "moderation_accounts.html")]
struct AccountsPage<'a> {
    ctx: &'a Ctx,
    q: String,
    accounts: Vec<ActorRow>,
}

impl AccountsPage<'_> {
    fn handle(&self, a: &ActorRow) -> String {
        format!("@{}@{}", a.username, a.host)
    }

    fn status(&self, a: &ActorRow) -> String {
        status_text(self.ctx, a)
    }
}

/// An account's moderation status in words.
fn status_text(ctx: &Ctx, a: &ActorRow) -> String {
    let mut parts = Vec::new();
    if a.suspended_at.is_some() {
        parts.push(ctx.t("moderation-status-suspended"));
    }
    if a.limited {
        parts.push(ctx.t("moderation-status-limited"));
    }
    if a.domain_limited {
        parts.push(ctx.t("moderation-status-domain-limited"));
    }
    if parts.is_empty() {
        parts.push(ctx.t("moderation-status-active"));
    }
    parts.join(", ")
}

/// GET /moderation/accounts?q=
async fn accounts_page(
    State(app): State<App>,
    Moderator(ctx, _): Moderator,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    if q.q.chars().count() > 200 || q.q.contains('\0') {
        return Err(AppError::BadRequest(ctx.t("moderation-search-bad")));
    }
    let accounts = moderation::search_accounts(&app, &q.q).await?;
    render_page(&AccountsPage {
        ctx: &ctx,
        q: q.q,
        accounts,
    })
}

#[derive(Template)]
#[template(path = "moderation_account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    actor: ActorRow,
    content: Vec<ContentItem>,
    log: Vec<LogRow>,
    actions: ActionTargets,
}

impl AccountPage<'_> {
    fn handle(&self) -> String {
        format!("@{}@{}", self.actor.username, self.actor.host)
    }

    fn status(&self) -> String {
        status_text(self.ctx, &self.actor)
    }

    fn when(&self, at: impl Stamp) -> String {
        when(self.ctx.lang, at.micros())
    }

    fn action(&self, e: &LogRow) -> String {
        self.ctx
            .t(&format!("modlog-action-{}", e.action.replace('.', "-")))
    }

    fn kind(&self, c: &ContentItem) -> String {
        self.ctx
            .t(&format!("moderation-kind-{}", c.row.kind.as_str()))
    }

    /// A short plain-text excerpt of the object's text (content is HTML for notes).
    fn excerpt(&self, c: &ContentItem) -> String {
        excerpt(&c.row.text)
    }
}

/// At most 200 characters of `html` as plain text.
fn excerpt(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 200 {
        let cut: String = text.chars().take(199).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// GET /moderation/accounts/{id}
async fn account_page(
    State(app): State<App>,
    Moderator(ctx, _): Moderator,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let actor = moderation::account(&app, id).await?;
    let content = moderation::account_content(&app, &actor).await?;
    let log = moderation_log::list(&app, Some(&actor.ap_id), None, None, RECENT_LOG).await?;
    let actions = ActionTargets {
        report_id: None,
        actor_ap_id: Some(actor.ap_id.clone()),
        object_ap_ids: content.iter().map(|c| c.ap_id.clone()).collect(),
        back: format!("/moderation/accounts/{id}"),
    };
    render_page(&AccountPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        actor,
        content,
        log,
        actions,
    })
}

/// The fields every action form sends.
#[derive(Deserialize)]
struct ActionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    public_reason: String,
    #[serde(default)]
    back: Option<String>,
    #[serde(default)]
    report_id: Option<String>,
    /// The account (content forms: the object), by ActivityPub id, for the forms that name it
    /// in the body.
    #[serde(default)]
    actor: Option<String>,
    #[serde(default)]
    object: Option<String>,
}

impl ActionForm {
    fn reasons(&self, ctx: &Ctx) -> Result<Reasons, AppError> {
        let report_id = match self.report_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(
                n.parse()
                    .map_err(|_| AppError::BadRequest(ctx.t("moderation-bad-report")))?,
            ),
        };
        Reasons::parse(&self.reason, &self.public_reason, report_id)
    }

    /// Where to go afterwards, with the done message.
    fn back(&self, done: &str) -> Redirect {
        let back = safe_back(self.back.as_deref());
        let sep = if back.contains('?') { '&' } else { '?' };
        Redirect::to(&format!("{back}{sep}done={done}"))
    }
}

fn account_action(ctx: &Ctx, s: &str) -> Result<AccountAction, AppError> {
    AccountAction::parse(s).ok_or_else(|| AppError::NotFound(ctx.t("moderation-bad-action")))
}

fn content_action(ctx: &Ctx, s: &str) -> Result<ContentAction, AppError> {
    ContentAction::parse(s).ok_or_else(|| AppError::NotFound(ctx.t("moderation-bad-action")))
}

/// POST /moderation/accounts/{id}/{action}
async fn act_on_account(
    State(app): State<App>,
    Moderator(_, me): Moderator,
    Path((id, action)): Path<(i64, String)>,
    CsrfForm(ctx, form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    let action = account_action(&ctx, &action)?;
    let why = form.reasons(&ctx)?;
    moderation::act_on_account(&app, &me, id, action, &why).await?;
    Ok(form
        .back(&format!("moderation-{}", action.as_str()))
        .into_response())
}

/// POST /moderation/account/{action}: the same, naming the account by its ActivityPub id
/// (`actor`), as the forms on report pages do.
async fn act_on_account_by_ap_id(
    State(app): State<App>,
    Moderator(_, me): Moderator,
    Path(action): Path<String>,
    CsrfForm(ctx, form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    let action = account_action(&ctx, &action)?;
    let why = form.reasons(&ctx)?;
    let ap_id = form
        .actor
        .as_deref()
        .ok_or_else(|| AppError::BadRequest(ctx.t("moderation-bad-target")))?;
    let actor = moderation::account_by_ap_id(&app, ap_id).await?;
    moderation::act_on_account(&app, &me, actor.id, action, &why).await?;
    Ok(form
        .back(&format!("moderation-{}", action.as_str()))
        .into_response())
}

/// POST /moderation/content/{action} with the object's ActivityPub id (`object`).
async fn act_on_content(
    State(app): State<App>,
    Moderator(_, me): Moderator,
    Path(action): Path<String>,
    CsrfForm(ctx, form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    let action = content_action(&ctx, &action)?;
    let why = form.reasons(&ctx)?;
    let object = form
        .object
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty() && !o.contains('\0'))
        .ok_or_else(|| AppError::BadRequest(ctx.t("moderation-bad-target")))?;
    moderation::act_on_content(&app, &me, object, action, &why).await?;
    Ok(form
        .back(&format!("moderation-content-{}", action.as_str()))
        .into_response())
}

/// The reasons an API action carries.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AccountActionInput {
    /// Why, for the moderators.
    #[serde(default)]
    pub reason: String,
    /// Why, as the public log may show it.
    #[serde(default)]
    pub public_reason: String,
    /// The report this action resolves.
    #[serde(default)]
    pub report_id: Option<i64>,
}

/// An account's moderation state after an action.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AccountModerationView {
    pub id: i64,
    pub ap_id: String,
    pub local: bool,
    pub suspended: bool,
    pub limited: bool,
}

/// POST /api/v1/moderation/accounts/{id}/{action}
#[utoipa::path(post, path = "/api/v1/moderation/accounts/{id}/{action}", tag = "moderation",
    params(("id" = i64, Path), ("action" = String, Path, description = "suspend, unsuspend, limit, unlimit or purge")),
    request_body = AccountActionInput,
    responses((status = 200, body = AccountModerationView), (status = 401, body = crate::web::error::ErrorBody),
        (status = 403, body = crate::web::error::ErrorBody), (status = 404, body = crate::web::error::ErrorBody),
        (status = 409, body = crate::web::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn api_act_on_account(
    State(app): State<App>,
    ModeratorUser(me): ModeratorUser,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    ApiJson(input): ApiJson<AccountActionInput>,
) -> Result<axum::Json<AccountModerationView>, AppError> {
    let action = AccountAction::parse(&action)
        .ok_or_else(|| AppError::NotFound(format!("moderation action {action:?}")))?;
    let why = Reasons::parse(&input.reason, &input.public_reason, input.report_id)?;
    let a = moderation::act_on_account(&app, &me, id, action, &why).await?;
    Ok(axum::Json(AccountModerationView {
        id: a.id,
        ap_id: a.ap_id,
        local: a.local,
        suspended: a.suspended_at.is_some(),
        limited: a.limited,
    }))
}

/// An action on one object, named by its ActivityPub id.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ContentActionInput {
    /// The object's ActivityPub id.
    pub object: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub public_reason: String,
    #[serde(default)]
    pub report_id: Option<i64>,
}

/// What an action on an object did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ContentActionView {
    pub object: String,
    pub action: String,
    /// The object's author (an ActivityPub id).
    pub author: String,
}

/// POST /api/v1/moderation/content/{action}
#[utoipa::path(post, path = "/api/v1/moderation/content/{action}", tag = "moderation",
    params(("action" = String, Path, description = "hide, unhide or remove")),
    request_body = ContentActionInput,
    responses((status = 200, body = ContentActionView), (status = 401, body = crate::web::error::ErrorBody),
        (status = 403, body = crate::web::error::ErrorBody), (status = 404, body = crate::web::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn api_act_on_content(
    State(app): State<App>,
    ModeratorUser(me): ModeratorUser,
    ApiPath(action): ApiPath<String>,
    ApiJson(input): ApiJson<ContentActionInput>,
) -> Result<axum::Json<ContentActionView>, AppError> {
    let action = ContentAction::parse(&action)
        .ok_or_else(|| AppError::NotFound(format!("moderation action {action:?}")))?;
    let why = Reasons::parse(&input.reason, &input.public_reason, input.report_id)?;
    let t = moderation::act_on_content(&app, &me, input.object.trim(), action, &why).await?;
    Ok(axum::Json(ContentActionView {
        object: t.ap_id,
        action: action.as_str().to_string(),
        author: t.author.ap_id,
    }))
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpt_drops_tags_and_shortens() {
        assert_eq!(excerpt("<p>Hallo <b>Welt</b></p>"), "Hallo Welt");
        let long = "x".repeat(300);
        assert_eq!(excerpt(&long).chars().count(), 200);
    }
}
