//! Block-list and allowlist subscriptions (`/admin/domain-lists`, admins only), their JSON API
//! (`/api/v1/admin/domain_lists`), and our own signed list documents
//! (`/api/v1/instance/domain_lists/{block,allow}.json`, public). The work is done by
//! `domain::domain_lists`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::domain_lists::{
    self, EntryState, ListKind, OverrideMode, RefreshReport, SubscriptionInput, SubscriptionRow,
};
use crate::domain::error::AppError;
use crate::web::account::{invalid, when, FormErrors};
use crate::web::auth::AdminUser;
use crate::web::error::{ErrorBody, FieldErrorsBody};
use crate::web::extract::{ApiJson, ApiPath};
use crate::web::i18n::Arg;
use crate::web::page::{flash, render_page, Admin, CsrfForm, Ctx};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route(
            "/api/v1/instance/domain_lists/block.json",
            get(published_block_list),
        )
        .route(
            "/api/v1/instance/domain_lists/allow.json",
            get(published_allow_list),
        )
        .route("/admin/domain-lists", get(index_page).post(add))
        .route("/admin/domain-lists/{id}", get(detail_page))
        .route("/admin/domain-lists/{id}/refresh", post(refresh_now))
        .route("/admin/domain-lists/{id}/delete", post(remove))
        .route("/admin/domain-lists/{id}/override", post(override_entry))
        .route(
            "/api/v1/admin/domain_lists",
            get(api_list).post(api_subscribe),
        )
        .route(
            "/api/v1/admin/domain_lists/{id}",
            get(api_get).delete(api_delete),
        )
        .route("/api/v1/admin/domain_lists/{id}/refresh", post(api_refresh))
        .route(
            "/api/v1/admin/domain_lists/{id}/overrides",
            post(api_override),
        )
}

/// Our list as a signed JSON document; never cached, since it is signed when served.
async fn published(app: &App, kind: ListKind) -> Result<Response, AppError> {
    let doc = domain_lists::published_list(app, kind).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        doc.to_string(),
    )
        .into_response())
}

/// The shape of our signed list document, for the API document only: the document itself is
/// built and signed as JSON by `domain::domain_lists::published_list` (FEDERATION.md "Domain
/// lists").
#[derive(Serialize, ToSchema)]
pub struct SignedDomainList {
    /// `RevierDomainList`.
    #[serde(rename = "type")]
    pub kind_of_document: String,
    /// The document's URL.
    pub id: String,
    /// The instance actor that signs it.
    pub publisher: String,
    /// `block` or `allow`.
    pub kind: String,
    /// RFC 3339, when it was signed.
    pub published: String,
    pub entries: Vec<SignedListEntry>,
    pub proof: SignedListProof,
}

/// One entry of a signed list: an allowlist names only the domain.
#[derive(Serialize, ToSchema)]
pub struct SignedListEntry {
    pub domain: String,
    /// Block lists: `suspend`, `limit` or `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Block lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_media: Option<bool>,
    /// Block lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_reports: Option<bool>,
    /// Block lists: the public reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_comment: Option<String>,
}

/// The signature of a list document: RSASSA-PKCS1-v1_5 SHA-256 over the JCS (RFC 8785) form
/// of the document without `proofValue`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedListProof {
    /// `RevierRsaSignature2026`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The key id of the instance actor's key.
    pub verification_method: String,
    /// `assertionMethod`.
    pub proof_purpose: String,
    /// RFC 3339.
    pub created: String,
    /// The signature, base64.
    pub proof_value: String,
}

/// GET /api/v1/instance/domain_lists/block.json: our block list, signed (anyone; never cached).
#[utoipa::path(get, path = "/api/v1/instance/domain_lists/block.json", tag = "domain lists",
    responses((status = 200, body = SignedDomainList, description = "the policies set here, without obfuscated ones and those from subscribed lists"),
        (status = 404, body = ErrorBody, description = "the admin turned the public list off, so no list is published")))]
pub async fn published_block_list(State(app): State<App>) -> Result<Response, AppError> {
    published(&app, ListKind::Block).await
}

/// GET /api/v1/instance/domain_lists/allow.json: our allowlist, signed (anyone; never cached).
#[utoipa::path(get, path = "/api/v1/instance/domain_lists/allow.json", tag = "domain lists",
    responses((status = 200, body = SignedDomainList, description = "the allowlist entries set here"),
        (status = 404, body = ErrorBody, description = "the admin turned the public list off, so no list is published")))]
pub async fn published_allow_list(State(app): State<App>) -> Result<Response, AppError> {
    published(&app, ListKind::Allow).await
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// The refresh intervals the page offers, in seconds.
const INTERVALS: [i64; 5] = [3_600, 6 * 3_600, 12 * 3_600, 24 * 3_600, 7 * 24 * 3_600];

/// The add form as typed (and shown again when it is refused).
#[derive(Deserialize, Default, Clone)]
struct AddForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    interval: String,
    accept_unsigned: Option<String>,
}

#[derive(Template)]
#[template(path = "domain_lists.html")]
struct IndexPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    subs: Vec<SubscriptionRow>,
    form: AddForm,
    errors: FormErrors,
    intervals: [i64; 5],
    block_url: String,
    allow_url: String,
}

/// Helpers shared by both pages' templates.
trait SubscriptionText {
    fn ctx(&self) -> &Ctx;

    fn when_opt(&self, at: &Option<i64>) -> String {
        match at {
            Some(t) => when(self.ctx().lang, *t),
            None => self.ctx().t("domain-lists-never"),
        }
    }

    fn kind_label(&self, s: &SubscriptionRow) -> String {
        self.ctx()
            .t(&format!("domain-lists-kind-{}", s.kind.as_str()))
    }

    fn format_label(&self, s: &SubscriptionRow) -> String {
        self.ctx()
            .t(&format!("domain-lists-format-{}", s.format.as_str()))
    }

    fn counts(&self, s: &SubscriptionRow) -> String {
        self.ctx().ta(
            "domain-lists-counts",
            &[
                ("entries", Arg::from(s.entry_count)),
                ("skipped", Arg::from(s.skipped_count)),
            ],
        )
    }

    fn interval_label(&self, secs: &i64) -> String {
        self.ctx().ta(
            "domain-lists-every-hours",
            &[("hours", Arg::from(*secs / 3_600))],
        )
    }

    fn named(&self, key: &str, name: &str) -> String {
        self.ctx().ta(key, &[("name", Arg::from(name))])
    }
}

impl SubscriptionText for IndexPage<'_> {
    fn ctx(&self) -> &Ctx {
        self.ctx
    }
}

impl IndexPage<'_> {
    fn interval_selected(&self, secs: &i64) -> bool {
        let chosen = self.form.interval.parse::<i64>().unwrap_or(24 * 3_600);
        chosen == *secs
    }
}

async fn index_for(
    app: &App,
    ctx: &Ctx,
    notice: Option<String>,
    form: AddForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    render_page(&IndexPage {
        ctx,
        notice,
        subs: domain_lists::list(app).await?,
        form,
        errors,
        intervals: INTERVALS,
        block_url: format!(
            "{}{}",
            app.base_url(),
            domain_lists::list_path(ListKind::Block)
        ),
        allow_url: format!(
            "{}{}",
            app.base_url(),
            domain_lists::list_path(ListKind::Allow)
        ),
    })
}

/// GET /admin/domain-lists
async fn index_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = flash(&ctx, q.done.as_deref());
    index_for(
        &app,
        &ctx,
        notice,
        AddForm::default(),
        FormErrors::default(),
    )
    .await
}

/// POST /admin/domain-lists: subscribes, then fetches the list once (its health shows how
/// that went).
async fn add(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(ctx, form): CsrfForm<AddForm>,
) -> Result<Response, AppError> {
    let input = SubscriptionInput {
        url: form.url.clone(),
        kind: form.kind.clone(),
        format: form.format.clone(),
        accept_unsigned: form.accept_unsigned.is_some(),
        refresh_secs: form.interval.parse().unwrap_or(0),
    };
    match domain_lists::subscribe(&app, me.id, &input).await {
        Ok(sub) => {
            let done = match domain_lists::refresh(&app, sub.id).await {
                Ok(_) => "domain-list-added",
                Err(_) => "domain-list-added-failed",
            };
            Ok(
                Redirect::to(&format!("/admin/domain-lists/{}?done={done}", sub.id))
                    .into_response(),
            )
        }
        Err(e) => {
            let errors = FormErrors::from_error(&ctx, "domain-lists-f", &e).ok_or(e)?;
            Ok(invalid(index_for(&app, &ctx, None, form, errors).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "domain_lists_detail.html")]
struct DetailPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    sub: SubscriptionRow,
    entries: Vec<EntryState>,
}

impl SubscriptionText for DetailPage<'_> {
    fn ctx(&self) -> &Ctx {
        self.ctx
    }
}

impl DetailPage<'_> {
    fn severity_label(&self, e: &EntryState) -> String {
        if self.sub.kind == ListKind::Allow {
            return self.ctx.t("domain-lists-kind-allow");
        }
        self.ctx.t(&format!(
            "domain-lists-severity-{}",
            e.entry.severity.as_str()
        ))
    }

    fn state_label(&self, e: &EntryState) -> String {
        let key = match (e.override_mode, e.applied) {
            (Some(OverrideMode::Ignore), _) => "domain-lists-state-ignored",
            (Some(OverrideMode::Keep), true) => "domain-lists-state-kept",
            (_, true) => "domain-lists-state-applied",
            (_, false) => "domain-lists-state-not-applied",
        };
        self.ctx.t(key)
    }

    fn is_mode(&self, e: &EntryState, mode: &str) -> bool {
        e.override_mode.map(OverrideMode::as_str) == Some(mode)
    }
}

/// GET /admin/domain-lists/{id}: health, entries, overrides.
async fn detail_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let sub = domain_lists::find(&app, id).await?;
    render_page(&DetailPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        entries: domain_lists::entries(&app, id).await?,
        sub,
    })
}

#[derive(Deserialize)]
struct EmptyForm {}

/// POST /admin/domain-lists/{id}/refresh
async fn refresh_now(
    State(app): State<App>,
    Admin(_, _): Admin,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    domain_lists::find(&app, id).await?;
    let done = match domain_lists::refresh(&app, id).await {
        Ok(_) => "domain-list-refreshed",
        Err(AppError::Internal(e)) => return Err(AppError::Internal(e)),
        Err(_) => "domain-list-refresh-failed",
    };
    Ok(Redirect::to(&format!("/admin/domain-lists/{id}?done={done}")).into_response())
}

/// POST /admin/domain-lists/{id}/delete
async fn remove(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    domain_lists::unsubscribe(&app, me.id, id).await?;
    Ok(Redirect::to("/admin/domain-lists?done=domain-list-removed").into_response())
}

#[derive(Deserialize)]
struct OverrideForm {
    #[serde(default)]
    host: String,
    /// `ignore`, `keep`, or `none` to clear.
    #[serde(default)]
    mode: String,
}

fn override_mode(mode: &str) -> Result<Option<OverrideMode>, AppError> {
    match mode {
        "none" | "" => Ok(None),
        m => m
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("mode must be ignore, keep or none".into())),
    }
}

/// POST /admin/domain-lists/{id}/override
async fn override_entry(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(id): Path<i64>,
    CsrfForm(_, form): CsrfForm<OverrideForm>,
) -> Result<Response, AppError> {
    let mode = override_mode(&form.mode)?;
    domain_lists::set_override(&app, me.id, id, &form.host, mode).await?;
    Ok(Redirect::to(&format!(
        "/admin/domain-lists/{id}?done=domain-list-override-saved"
    ))
    .into_response())
}

/// A subscription as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct SubscriptionView {
    id: i64,
    /// The list's URL.
    url: String,
    /// `block` or `allow`.
    kind: &'static str,
    /// `auto`, `signed`, `csv` or `plain`.
    format: &'static str,
    accept_unsigned: bool,
    refresh_secs: i64,
    /// The instance actor that signed the last verified list ("" when unsigned).
    publisher: String,
    /// Unix microseconds.
    created_at: i64,
    /// Unix microseconds.
    last_fetch_at: Option<i64>,
    /// Unix microseconds.
    last_success_at: Option<i64>,
    /// Why the last fetch failed; "" after a good one.
    last_error: String,
    entry_count: i64,
    skipped_count: i64,
    /// This subscription's URL in the API.
    #[serde(rename = "self")]
    self_url: String,
}

/// A subscription with its entries.
#[derive(Serialize, ToSchema)]
pub struct SubscriptionDetail {
    #[serde(flatten)]
    subscription: SubscriptionView,
    /// The list's entries with their overrides, then the kept overrides of hosts the list no
    /// longer names.
    entries: Vec<EntryView>,
}

/// One entry of a subscription.
#[derive(Serialize, ToSchema)]
pub struct EntryView {
    host: String,
    /// `suspend`, `limit` or `none` (allowlists: `none`).
    severity: &'static str,
    reject_media: bool,
    reject_reports: bool,
    public_comment: String,
    /// The admin's override: `ignore`, `keep`, or null.
    override_mode: Option<&'static str>,
    /// Whether this subscription's policy (or allowlist entry) is in force for the host.
    applied: bool,
}

impl From<EntryState> for EntryView {
    fn from(e: EntryState) -> Self {
        EntryView {
            host: e.entry.host,
            severity: e.entry.severity.as_str(),
            reject_media: e.entry.reject_media,
            reject_reports: e.entry.reject_reports,
            public_comment: e.entry.public_comment,
            override_mode: e.override_mode.map(OverrideMode::as_str),
            applied: e.applied,
        }
    }
}

fn sub_view(sub: &SubscriptionRow, app: &App) -> SubscriptionView {
    SubscriptionView {
        id: sub.id,
        url: sub.url.clone(),
        kind: sub.kind.as_str(),
        format: sub.format.as_str(),
        accept_unsigned: sub.accept_unsigned,
        refresh_secs: sub.refresh_secs,
        publisher: sub.publisher.clone(),
        created_at: sub.created_at,
        last_fetch_at: sub.last_fetch_at,
        last_success_at: sub.last_success_at,
        last_error: sub.last_error.clone(),
        entry_count: sub.entry_count,
        skipped_count: sub.skipped_count,
        self_url: format!("{}/api/v1/admin/domain_lists/{}", app.base_url(), sub.id),
    }
}

/// GET /api/v1/admin/domain_lists: the subscriptions (admins only).
#[utoipa::path(get, path = "/api/v1/admin/domain_lists", tag = "domain lists",
    responses((status = 200, body = Vec<SubscriptionView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn api_list(
    State(app): State<App>,
    _: AdminUser,
) -> Result<Json<Vec<SubscriptionView>>, AppError> {
    let subs = domain_lists::list(&app).await?;
    Ok(Json(subs.iter().map(|s| sub_view(s, &app)).collect()))
}

/// A list to subscribe to.
#[derive(Deserialize, ToSchema)]
pub struct SubscribeBody {
    /// An http(s) URL of another server.
    url: String,
    /// `block` or `allow`.
    #[serde(default = "default_kind")]
    #[schema(default = "block")]
    kind: String,
    /// `auto` (guessed from the content), `signed` (our signed JSON document), `csv`
    /// (Mastodon's block-list CSV) or `plain` (one domain a line).
    #[serde(default = "default_format")]
    #[schema(default = "auto")]
    format: String,
    /// Accept a list without a valid signature.
    #[serde(default)]
    accept_unsigned: bool,
    /// How often it is fetched, in seconds.
    #[serde(default = "default_refresh")]
    #[schema(default = 86400, minimum = 300, maximum = 604800)]
    refresh_secs: i64,
}

fn default_kind() -> String {
    "block".into()
}

fn default_format() -> String {
    "auto".into()
}

fn default_refresh() -> i64 {
    24 * 3_600
}

/// POST /api/v1/admin/domain_lists: subscribes and fetches once; 201 with the subscription
/// (its `last_error` says whether the first fetch worked).
#[utoipa::path(post, path = "/api/v1/admin/domain_lists", tag = "domain lists", request_body = SubscribeBody,
    responses((status = 201, body = SubscriptionView, description = "subscribed and fetched once; `last_error` says whether the fetch worked"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 422, body = FieldErrorsBody, description = "every invalid field; nothing was stored")),
    security(("bearer" = [])))]
pub async fn api_subscribe(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiJson(body): ApiJson<SubscribeBody>,
) -> Result<Response, AppError> {
    let sub = domain_lists::subscribe(
        &app,
        me.id,
        &SubscriptionInput {
            url: body.url,
            kind: body.kind,
            format: body.format,
            accept_unsigned: body.accept_unsigned,
            refresh_secs: body.refresh_secs,
        },
    )
    .await?;
    if let Err(AppError::Internal(e)) = domain_lists::refresh(&app, sub.id).await {
        return Err(AppError::Internal(e));
    }
    let sub = domain_lists::find(&app, sub.id).await?;
    Ok((StatusCode::CREATED, Json(sub_view(&sub, &app))).into_response())
}

/// GET /api/v1/admin/domain_lists/{id}: the subscription with its entries.
#[utoipa::path(get, path = "/api/v1/admin/domain_lists/{id}", tag = "domain lists",
    params(("id" = i64, Path)),
    responses((status = 200, body = SubscriptionDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no such subscription")),
    security(("bearer" = [])))]
pub async fn api_get(
    State(app): State<App>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SubscriptionDetail>, AppError> {
    let sub = domain_lists::find(&app, id).await?;
    Ok(Json(SubscriptionDetail {
        subscription: sub_view(&sub, &app),
        entries: domain_lists::entries(&app, id)
            .await?
            .into_iter()
            .map(EntryView::from)
            .collect(),
    }))
}

/// DELETE /api/v1/admin/domain_lists/{id}: unsubscribes; the policies the list set go, the
/// kept overrides stay as the admin's own (logged).
#[utoipa::path(delete, path = "/api/v1/admin/domain_lists/{id}", tag = "domain lists",
    params(("id" = i64, Path)),
    responses((status = 204, description = "unsubscribed"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no such subscription")),
    security(("bearer" = [])))]
pub async fn api_delete(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    domain_lists::unsubscribe(&app, me.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /api/v1/admin/domain_lists/{id}/refresh: what the refresh did, or 502 naming why the
/// list was refused.
#[utoipa::path(post, path = "/api/v1/admin/domain_lists/{id}/refresh", tag = "domain lists",
    params(("id" = i64, Path)),
    responses((status = 200, body = RefreshReport, description = "what the refresh did"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no such subscription"),
        (status = 502, body = ErrorBody, description = "the list could not be fetched, read or verified; nothing changed")),
    security(("bearer" = [])))]
pub async fn api_refresh(
    State(app): State<App>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RefreshReport>, AppError> {
    Ok(Json(domain_lists::refresh(&app, id).await?))
}

/// An admin's decision about one entry of a subscription.
#[derive(Deserialize, ToSchema)]
pub struct OverrideBody {
    /// The entry's host.
    host: String,
    /// `ignore` (never apply it), `keep` (keep it when the list drops it) or `none` (clear
    /// the override).
    mode: String,
}

/// POST /api/v1/admin/domain_lists/{id}/overrides: sets or clears an override and applies the
/// list's last good entries again (logged).
#[utoipa::path(post, path = "/api/v1/admin/domain_lists/{id}/overrides", tag = "domain lists",
    params(("id" = i64, Path)), request_body = OverrideBody,
    responses((status = 200, body = RefreshReport, description = "what applying the list again did"),
        (status = 400, body = ErrorBody, description = "the mode is not ignore, keep or none"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no such subscription, or the host is not on it"),
        (status = 422, body = ErrorBody, description = "not a host name")),
    security(("bearer" = [])))]
pub async fn api_override(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OverrideBody>,
) -> Result<Json<RefreshReport>, AppError> {
    let mode = override_mode(&body.mode)?;
    Ok(Json(
        domain_lists::set_override(&app, me.id, id, &body.host, mode).await?,
    ))
}
