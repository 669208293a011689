//! Sources of the regional views (issue 10): the JSON API (`/api/v1/sources`: moderators and
//! admins read, admins change) and the admin page (`/admin/sources`). The work is done by
//! `domain::sources`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::follows::{FollowListRow, FollowState};
use crate::db::sources::SourceRow;
use crate::domain::error::AppError;
use crate::domain::filters::ContentFilter;
use crate::domain::sources::manage::FollowPolicy;
use crate::domain::sources::{manage, regional, SourceKind};
use crate::web::account::{invalid, when, FormErrors};
use crate::web::calendar::{parse_filter, CalendarParams};
use crate::web::feeds::{cached_response, render_atom, render_off_runtime};
use crate::web::i18n::Arg;
use crate::web::page::{flash, render_page, Admin, CsrfForm, Ctx};

/// The Atom media type (as `web::feeds` serves its feeds).
const ATOM: &str = "application/atom+xml; charset=utf-8";
use crate::web::auth::{AdminUser, ModeratorUser};
use crate::web::error::{ErrorBody, FieldErrorsBody};
use crate::web::extract::{ApiJson, ApiPath};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/sources", get(api_list).post(api_add))
        .route(
            "/api/v1/sources/{id}",
            get(api_get).put(api_set_filter).delete(api_delete),
        )
        .route("/events.atom", get(calendar_feed))
        .route("/admin/sources", get(sources_page).post(add_source))
        .route("/admin/sources/{id}/delete", post(remove_source))
        .route("/admin/sources/policy", post(set_policy))
        .route(
            "/admin/sources/followers/{id}/accept",
            post(accept_follower),
        )
        .route(
            "/admin/sources/followers/{id}/reject",
            post(reject_follower),
        )
}

/// GET /events.atom: the regional calendar (with the calendar's filters) as an Atom feed.
async fn calendar_feed(
    State(app): State<App>,
    Query(q): Query<CalendarParams>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let start = crate::domain::calendar::feed_start(crate::db::now_micros());
    let (filter, errors) = parse_filter(&app, &q, start).await?;
    if let Some(e) = errors.first() {
        return Err(AppError::Invalid(format!("{}: {}", e.param, e.problem)));
    }
    let self_url = format!("{}{}", app.base_url(), uri);
    let feed = regional::calendar_feed(&app, &filter, &self_url).await?;
    let body = render_off_runtime(move || render_atom(&feed)).await??;
    Ok(cached_response(&headers, &uri, ATOM, None, body))
}

/// A source as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct SourceView {
    pub id: i64,
    /// `actor` or `relay`.
    pub kind: SourceKind,
    /// What the admin entered (host, handle or URL).
    pub input: String,
    /// The followed actor's ActivityPub id.
    pub actor: String,
    /// The actor's host: the origin mark of what comes through this source.
    pub host: String,
    pub name: String,
    /// `pending` until the source accepts our instance actor's follow, then `accepted`;
    /// `none` when it refused or ended it.
    pub state: String,
    pub filter: ContentFilter,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339: the last object received or backfilled.
    pub last_success_at: Option<String>,
    /// The last refused object or failed fetch ('' after a success).
    pub last_error: String,
    pub last_error_at: Option<String>,
    /// Objects received through the source.
    pub received_count: i64,
    pub backfill_state: String,
    pub backfill_count: i64,
}

fn time(micros: i64) -> String {
    revier_federation::protocol::format_time(micros)
}

pub(crate) fn source_view(s: &SourceRow) -> SourceView {
    SourceView {
        id: s.id,
        kind: s.kind,
        input: s.input.clone(),
        actor: s.actor_ap_id.clone(),
        host: s.actor_host.clone(),
        name: s.actor_name.clone(),
        state: s.follow_state.clone(),
        filter: s.filter.clone(),
        created_at: time(s.created_at),
        last_success_at: s.last_success_at.map(time),
        last_error: s.last_error.clone(),
        last_error_at: s.last_error_at.map(time),
        received_count: s.received_count,
        backfill_state: s.backfill_state.clone(),
        backfill_count: s.backfill_count,
    }
}

/// A source to add.
#[derive(Deserialize, ToSchema)]
pub struct SourceInput {
    /// A host name (`revier.dortmund.example`: its instance actor), a handle
    /// (`ruhrlinux@mobilizon.example`) or an actor or relay URL.
    pub input: String,
    /// `actor` (default) or `relay` (a Mastodon/LitePub relay's actor, followed with a
    /// `Follow` of Public).
    #[serde(default = "default_kind")]
    pub kind: SourceKind,
    /// What of the source reaches the regional views (empty: everything).
    #[serde(default)]
    pub filter: ContentFilter,
}

fn default_kind() -> SourceKind {
    SourceKind::Actor
}

/// A source's new filter.
#[derive(Deserialize, ToSchema)]
pub struct FilterInput {
    pub filter: ContentFilter,
}

/// GET /api/v1/sources: every source with its state and health (moderators and admins).
#[utoipa::path(get, path = "/api/v1/sources", tag = "sources",
    responses((status = 200, body = Vec<SourceView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "neither a moderator nor an admin")),
    security(("bearer" = [])))]
pub async fn api_list(
    State(app): State<App>,
    _: ModeratorUser,
) -> Result<Json<Vec<SourceView>>, AppError> {
    Ok(Json(
        manage::list(&app).await?.iter().map(source_view).collect(),
    ))
}

/// POST /api/v1/sources: adds a source; our instance actor follows it (admins only).
#[utoipa::path(post, path = "/api/v1/sources", tag = "sources", request_body = SourceInput,
    responses((status = 201, body = SourceView, description = "added; `state` is `pending` until the source accepts"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no such account"),
        (status = 409, body = ErrorBody, description = "already a source"),
        (status = 422, body = FieldErrorsBody, description = "not a host, handle or URL, a local actor, or an invalid filter; nothing was stored"),
        (status = 502, body = ErrorBody, description = "the actor could not be fetched")),
    security(("bearer" = [])))]
pub async fn api_add(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiJson(body): ApiJson<SourceInput>,
) -> Result<Response, AppError> {
    let source = manage::add(&app, Some(me.id), &body.input, body.kind, body.filter).await?;
    // What the source published before the follow (issue 10 part 4), in the background.
    crate::domain::backfill::start(&app, source.id);
    Ok((StatusCode::CREATED, Json(source_view(&source))).into_response())
}

/// GET /api/v1/sources/{id}: one source (moderators and admins).
#[utoipa::path(get, path = "/api/v1/sources/{id}", tag = "sources", params(("id" = i64, Path)),
    responses((status = 200, body = SourceView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "neither a moderator nor an admin"),
        (status = 404, body = ErrorBody, description = "no such source")),
    security(("bearer" = [])))]
pub async fn api_get(
    State(app): State<App>,
    _: ModeratorUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SourceView>, AppError> {
    let source = crate::domain::sources::find_source(&app, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("source {id}")))?;
    Ok(Json(source_view(&source)))
}

/// PUT /api/v1/sources/{id}: replaces the source's filter (admins only).
#[utoipa::path(put, path = "/api/v1/sources/{id}", tag = "sources", params(("id" = i64, Path)),
    request_body = FilterInput,
    responses((status = 200, body = SourceView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no such source"),
        (status = 422, body = FieldErrorsBody, description = "an invalid filter; nothing changed")),
    security(("bearer" = [])))]
pub async fn api_set_filter(
    State(app): State<App>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FilterInput>,
) -> Result<Json<SourceView>, AppError> {
    let source = manage::set_filter(&app, id, body.filter).await?;
    Ok(Json(source_view(&source)))
}

/// DELETE /api/v1/sources/{id}: removes the source; our instance actor unfollows it and what
/// came through it leaves the regional views (admins only).
#[utoipa::path(delete, path = "/api/v1/sources/{id}", tag = "sources", params(("id" = i64, Path)),
    responses((status = 204, description = "removed"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no such source")),
    security(("bearer" = [])))]
pub async fn api_delete(
    State(app): State<App>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    manage::remove(&app, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- The admin page: /admin/sources ----

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// The add form as typed (shown again when refused).
#[derive(Deserialize, Default, Clone)]
struct AddForm {
    #[serde(default)]
    input: String,
    #[serde(default)]
    kind: String,
    /// Tags, separated by commas or spaces: only events and projects with one of them.
    #[serde(default)]
    tags: String,
    /// Tags that keep an event or project out.
    #[serde(default)]
    exclude_tags: String,
}

/// The follow policy form.
#[derive(Deserialize, Default)]
struct PolicyForm {
    auto: Option<String>,
    #[serde(default)]
    hosts: String,
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
struct EmptyForm {}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .map(|w| w.trim().trim_start_matches('#').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "admin_sources.html")]
struct SourcesPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    sources: Vec<SourceRow>,
    form: AddForm,
    errors: FormErrors,
    policy: FollowPolicy,
    pending: Vec<FollowListRow>,
    followers: Vec<FollowListRow>,
}

impl SourcesPage<'_> {
    fn when_opt(&self, at: &Option<i64>) -> String {
        match at {
            Some(t) => when(self.ctx.lang, *t),
            None => self.ctx.t("sources-never"),
        }
    }

    fn state_label(&self, s: &SourceRow) -> String {
        self.ctx.t(&format!("sources-state-{}", s.follow_state))
    }

    fn kind_label(&self, s: &SourceRow) -> String {
        self.ctx.t(&format!("sources-kind-{}", s.kind.as_str()))
    }

    fn filter_text(&self, s: &SourceRow) -> String {
        let f = &s.filter;
        if f.is_empty() {
            return self.ctx.t("sources-filter-none");
        }
        let mut parts = vec![];
        if !f.tags.is_empty() {
            parts.push(format!(
                "{}: {}",
                self.ctx.t("sources-f-tags"),
                f.tags.join(", ")
            ));
        }
        if !f.exclude_tags.is_empty() {
            parts.push(format!(
                "{}: {}",
                self.ctx.t("sources-f-exclude-tags"),
                f.exclude_tags.join(", ")
            ));
        }
        if parts.is_empty() {
            return self.ctx.t("sources-filter-other");
        }
        parts.join("; ")
    }

    fn named(&self, key: &str, name: &str) -> String {
        self.ctx.ta(key, &[("name", Arg::from(name))])
    }

    fn hosts_text(&self) -> String {
        self.policy.auto_hosts.join("\n")
    }
}

async fn sources_page_for(
    app: &App,
    ctx: &Ctx,
    notice: Option<String>,
    form: AddForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    render_page(&SourcesPage {
        ctx,
        notice,
        sources: manage::list(app).await?,
        form,
        errors,
        policy: manage::follow_policy(app).await?,
        pending: manage::instance_followers(app, FollowState::Pending).await?,
        followers: manage::instance_followers(app, FollowState::Accepted).await?,
    })
}

/// GET /admin/sources
async fn sources_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = flash(&ctx, q.done.as_deref());
    sources_page_for(
        &app,
        &ctx,
        notice,
        AddForm::default(),
        FormErrors::default(),
    )
    .await
}

/// POST /admin/sources: adds a source (our instance actor follows it).
async fn add_source(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(ctx, form): CsrfForm<AddForm>,
) -> Result<Response, AppError> {
    let kind = if form.kind == "relay" {
        SourceKind::Relay
    } else {
        SourceKind::Actor
    };
    let filter = ContentFilter {
        tags: words(&form.tags),
        exclude_tags: words(&form.exclude_tags),
        ..ContentFilter::default()
    };
    match manage::add(&app, Some(me.id), &form.input, kind, filter).await {
        Ok(source) => {
            crate::domain::backfill::start(&app, source.id);
            Ok(Redirect::to("/admin/sources?done=source-added").into_response())
        }
        Err(AppError::Internal(e)) => Err(AppError::Internal(e)),
        Err(e) => {
            let message = ctx.ta(
                "sources-add-failed",
                &[("why", Arg::from(e.public_message().as_str()))],
            );
            let errors = FormErrors::one("input", message);
            Ok(invalid(
                sources_page_for(&app, &ctx, None, form, errors).await?,
            ))
        }
    }
}

/// POST /admin/sources/{id}/delete: removes a source (`Undo{Follow}`).
async fn remove_source(
    State(app): State<App>,
    _: Admin,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    manage::remove(&app, id).await?;
    Ok(Redirect::to("/admin/sources?done=source-removed").into_response())
}

/// POST /admin/sources/policy: how follows of the instance actor are answered.
async fn set_policy(
    State(app): State<App>,
    _: Admin,
    CsrfForm(ctx, form): CsrfForm<PolicyForm>,
) -> Result<Response, AppError> {
    let hosts = match manage::parse_hosts(&form.hosts) {
        Ok(h) => h,
        Err(e) => {
            let message = ctx.ta(
                "sources-hosts-invalid",
                &[("why", Arg::from(e.public_message().as_str()))],
            );
            let errors = FormErrors::one("hosts", message);
            return Ok(invalid(
                sources_page_for(&app, &ctx, None, AddForm::default(), errors).await?,
            ));
        }
    };
    let policy = FollowPolicy {
        auto: form.auto.is_some(),
        auto_hosts: hosts,
    };
    manage::set_follow_policy(&app, &policy).await?;
    Ok(Redirect::to("/admin/sources?done=source-policy").into_response())
}

/// POST /admin/sources/followers/{id}/accept
async fn accept_follower(
    State(app): State<App>,
    _: Admin,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    manage::accept_instance_follower(&app, id).await?;
    Ok(Redirect::to("/admin/sources?done=source-follower-accepted").into_response())
}

/// POST /admin/sources/followers/{id}/reject: refuses a request or removes a follower.
async fn reject_follower(
    State(app): State<App>,
    _: Admin,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    manage::reject_instance_follower(&app, id).await?;
    Ok(Redirect::to("/admin/sources?done=source-follower-rejected").into_response())
}
