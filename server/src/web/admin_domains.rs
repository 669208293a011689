//! Domain policies for admins (`/admin/domains`): the policies (suspend, limit, none; reject
//! media and reports; reasons), Mastodon's block-list CSV import and export, the allowlist and
//! its mode; the public list of moderated servers (`/about/moderated-servers`,
//! `/api/v1/instance/domain_blocks`); and Mastodon's admin API for blocks and allows. Only
//! admins change policies (moderators get 403); the work is done by `domain::domain_policies`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::domain_policies::{
    self as policies, mastodon_severity, AllowRow, CsvLineError, DomainPolicyRow,
    FederationSettings, ImportedLine, PolicyInput, PublicPolicy, Severity,
};
use crate::domain::error::AppError;
use crate::web::auth::AdminUser;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiPath};
use crate::web::i18n::Arg;
use crate::web::page::{flash, render_page, Admin, CsrfForm, Ctx};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin/domains", get(domains_page).post(save_policy))
        .route("/admin/domains/export.csv", get(export_csv))
        .route("/admin/domains/import", post(import_csv))
        .route("/admin/domains/settings", post(save_settings))
        .route("/admin/domains/allows", post(add_allow))
        .route("/admin/domains/allows/{host}/remove", post(remove_allow))
        .route("/admin/domains/{host}/remove", post(remove_policy))
        .route("/about/moderated-servers", get(moderated_servers))
        .route("/api/v1/instance/domain_blocks", get(api_public_list))
        .route(
            "/api/v1/admin/domain_blocks",
            get(api_list_blocks).post(api_create_block),
        )
        .route(
            "/api/v1/admin/domain_blocks/{host}",
            get(api_get_block).delete(api_delete_block),
        )
        .route(
            "/api/v1/admin/domain_allows",
            get(api_list_allows).post(api_create_allow),
        )
        .route(
            "/api/v1/admin/domain_allows/{host}",
            delete(api_delete_allow),
        )
}

#[derive(Deserialize, Default)]
struct PageQuery {
    done: Option<String>,
    /// The host whose policy fills the form.
    edit: Option<String>,
}

#[derive(Deserialize)]
struct EmptyForm {}

/// What the form shows: an empty one, the policy being edited, or what was typed.
#[derive(Debug, Clone, Default)]
struct PolicyFormValues {
    host: String,
    severity: String,
    reject_media: bool,
    reject_reports: bool,
    private_reason: String,
    public_reason: String,
    obfuscate: bool,
}

impl From<&DomainPolicyRow> for PolicyFormValues {
    fn from(p: &DomainPolicyRow) -> Self {
        PolicyFormValues {
            host: p.host.clone(),
            severity: p.severity.as_str().to_string(),
            reject_media: p.reject_media,
            reject_reports: p.reject_reports,
            private_reason: p.private_reason.clone(),
            public_reason: p.public_reason.clone(),
            obfuscate: p.obfuscate,
        }
    }
}

/// The outcome of an import shown on the page.
enum ImportOutcome {
    Applied(Vec<ImportedLine>),
    Refused(Vec<CsvLineError>),
}

#[derive(Template)]
#[template(path = "admin_domains.html")]
struct DomainsPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    error: Option<String>,
    policies: Vec<DomainPolicyRow>,
    allows: Vec<AllowRow>,
    settings: FederationSettings,
    form: PolicyFormValues,
    import: Option<ImportOutcome>,
    import_text: String,
    severities: [&'static str; 3],
}

impl DomainsPage<'_> {
    fn severity_label(&self, s: &str) -> String {
        self.ctx.t(&format!("domains-severity-{s}"))
    }

    fn yes_no(&self, b: &bool) -> String {
        self.ctx.t(if *b { "domains-yes" } else { "domains-no" })
    }

    fn source(&self, p: &DomainPolicyRow) -> String {
        match p.subscription_id {
            None => self.ctx.t("domains-source-here"),
            Some(id) => self.ctx.ta("domains-source-list", &[("id", Arg::from(id))]),
        }
    }

    fn allow_source(&self, a: &AllowRow) -> String {
        match a.subscription_id {
            None => self.ctx.t("domains-source-here"),
            Some(id) => self.ctx.ta("domains-source-list", &[("id", Arg::from(id))]),
        }
    }

    fn named(&self, key: &str, host: &str) -> String {
        self.ctx.ta(key, &[("host", Arg::from(host))])
    }

    fn imported(&self, l: &ImportedLine) -> String {
        let key = if l.replaced {
            "domains-import-replaced"
        } else {
            "domains-import-added"
        };
        self.ctx.ta(
            key,
            &[
                ("host", Arg::from(l.host.as_str())),
                (
                    "severity",
                    Arg::from(self.severity_label(l.severity.as_str())),
                ),
            ],
        )
    }

    fn refused_line(&self, e: &CsvLineError) -> String {
        self.ctx.ta(
            "domains-import-line",
            &[
                ("line", Arg::from(e.line as i64)),
                ("message", Arg::from(e.message.as_str())),
            ],
        )
    }
}

struct PageState {
    notice: Option<String>,
    error: Option<String>,
    form: PolicyFormValues,
    import: Option<ImportOutcome>,
    import_text: String,
}

async fn page_for(app: &App, ctx: &Ctx, state: PageState) -> Result<Response, AppError> {
    render_page(&DomainsPage {
        ctx,
        notice: state.notice,
        error: state.error,
        policies: policies::list(app).await?,
        allows: policies::list_allows(app).await?,
        settings: policies::settings(app).await?,
        form: state.form,
        import: state.import,
        import_text: state.import_text,
        severities: ["suspend", "limit", "none"],
    })
}

/// GET /admin/domains: the policies, the allowlist and the federation settings.
async fn domains_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let form = match q.edit.as_deref().filter(|h| !h.is_empty()) {
        Some(host) => policies::find(&app, host)
            .await?
            .as_ref()
            .map(PolicyFormValues::from)
            .unwrap_or_else(|| PolicyFormValues {
                host: host.to_string(),
                severity: "suspend".into(),
                ..PolicyFormValues::default()
            }),
        None => PolicyFormValues {
            severity: "suspend".into(),
            ..PolicyFormValues::default()
        },
    };
    page_for(
        &app,
        &ctx,
        PageState {
            notice: flash(&ctx, q.done.as_deref()),
            error: None,
            form,
            import: None,
            import_text: String::new(),
        },
    )
    .await
}

#[derive(Deserialize)]
struct PolicyForm {
    #[serde(default)]
    host: String,
    #[serde(default)]
    severity: String,
    reject_media: Option<String>,
    reject_reports: Option<String>,
    #[serde(default)]
    private_reason: String,
    #[serde(default)]
    public_reason: String,
    obfuscate: Option<String>,
}

fn parse_our_severity(s: &str) -> Option<Severity> {
    match s {
        "suspend" => Some(Severity::Suspend),
        "limit" => Some(Severity::Limit),
        "none" => Some(Severity::None),
        _ => None,
    }
}

/// POST /admin/domains: sets (or replaces) a host's policy.
async fn save_policy(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(ctx, form): CsrfForm<PolicyForm>,
) -> Result<Response, AppError> {
    let values = PolicyFormValues {
        host: form.host.trim().to_string(),
        severity: form.severity.clone(),
        reject_media: form.reject_media.is_some(),
        reject_reports: form.reject_reports.is_some(),
        private_reason: form.private_reason.trim().to_string(),
        public_reason: form.public_reason.trim().to_string(),
        obfuscate: form.obfuscate.is_some(),
    };
    let refuse = |key: &str, values: PolicyFormValues| {
        let error = ctx.t(key);
        let app = app.clone();
        let ctx = &ctx;
        async move {
            let page = page_for(
                &app,
                ctx,
                PageState {
                    notice: None,
                    error: Some(error),
                    form: values,
                    import: None,
                    import_text: String::new(),
                },
            )
            .await?;
            Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let Some(severity) = parse_our_severity(&values.severity) else {
        return refuse("domains-bad-severity", values).await;
    };
    if policies::normalize(&values.host).is_err() || is_own_host(&app, &values.host) {
        return refuse("domains-bad-host", values).await;
    }
    let input = PolicyInput {
        host: values.host.clone(),
        severity,
        reject_media: values.reject_media,
        reject_reports: values.reject_reports,
        private_reason: values.private_reason.clone(),
        public_reason: values.public_reason.clone(),
        obfuscate: values.obfuscate,
    };
    policies::set_policy(&app, Some(me.id), &input, None).await?;
    Ok(Redirect::to("/admin/domains?done=domain-policy-saved").into_response())
}

/// Our own host cannot get a policy (it would refuse ourselves).
fn is_own_host(app: &App, host: &str) -> bool {
    let own = app.settings.domain.to_ascii_lowercase();
    let own = own.split(':').next().unwrap_or_default();
    policies::normalize(host).is_ok_and(|h| h == own)
}

#[derive(Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// POST /admin/domains/{host}/remove: lifts a policy.
async fn remove_policy(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(host): Path<String>,
    CsrfForm(_, form): CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    if !policies::remove_policy(&app, Some(me.id), &host, form.reason.trim()).await? {
        return Err(AppError::NotFound(format!("a policy for {host}")));
    }
    Ok(Redirect::to("/admin/domains?done=domain-policy-removed").into_response())
}

/// GET /admin/domains/export.csv: Mastodon's block-list CSV (without the private reasons).
async fn export_csv(State(app): State<App>, Admin(_, _): Admin) -> Result<Response, AppError> {
    let body = policies::export_csv(&policies::list(&app).await?)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"domain_blocks.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
struct ImportForm {
    #[serde(default)]
    csv: String,
}

/// POST /admin/domains/import: a pasted block-list CSV, applied all or nothing; the page lists
/// what each line did, or every refused line with its reason.
async fn import_csv(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(ctx, form): CsrfForm<ImportForm>,
) -> Result<Response, AppError> {
    let own = own_host_lines(&app, &form.csv);
    let outcome = if !own.is_empty() {
        Err(own)
    } else if form.csv.trim().is_empty() {
        Err(vec![CsvLineError {
            line: 1,
            message: ctx.t("domains-import-empty"),
        }])
    } else {
        policies::import_csv(&app, Some(me.id), &form.csv).await?
    };
    let (status, import, text) = match outcome {
        Ok(lines) => (StatusCode::OK, ImportOutcome::Applied(lines), String::new()),
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ImportOutcome::Refused(errors),
            form.csv,
        ),
    };
    let page = page_for(
        &app,
        &ctx,
        PageState {
            notice: None,
            error: None,
            form: PolicyFormValues {
                severity: "suspend".into(),
                ..PolicyFormValues::default()
            },
            import: Some(import),
            import_text: text,
        },
    )
    .await?;
    Ok((status, page).into_response())
}

/// The lines of an import that name our own host (refused like a bad line).
fn own_host_lines(app: &App, text: &str) -> Vec<CsvLineError> {
    match policies::parse_csv(text) {
        Ok(list) => list
            .iter()
            .enumerate()
            .filter(|(_, p)| is_own_host(app, &p.host))
            .map(|(i, p)| CsvLineError {
                line: i as u64 + 1,
                message: format!("{} is this instance", p.host),
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[derive(Deserialize)]
struct SettingsForm {
    allowlist_mode: Option<String>,
    public_list: Option<String>,
}

/// POST /admin/domains/settings: the allowlist mode and the public list (each change logged).
async fn save_settings(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(_, form): CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    let now = policies::settings(&app).await?;
    let allowlist = form.allowlist_mode.is_some();
    let public = form.public_list.is_some();
    if allowlist != now.allowlist_mode {
        policies::set_allowlist_mode(&app, Some(me.id), allowlist).await?;
    }
    if public != now.public_list {
        policies::set_public_list(&app, Some(me.id), public).await?;
    }
    Ok(Redirect::to("/admin/domains?done=domain-settings-saved").into_response())
}

#[derive(Deserialize)]
struct AllowForm {
    #[serde(default)]
    host: String,
}

/// POST /admin/domains/allows: adds a host to the allowlist.
async fn add_allow(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(ctx, form): CsrfForm<AllowForm>,
) -> Result<Response, AppError> {
    if policies::normalize(&form.host).is_err() {
        let page = page_for(
            &app,
            &ctx,
            PageState {
                notice: None,
                error: Some(ctx.t("domains-bad-host")),
                form: PolicyFormValues {
                    severity: "suspend".into(),
                    ..PolicyFormValues::default()
                },
                import: None,
                import_text: String::new(),
            },
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    policies::add_allow(&app, Some(me.id), &form.host).await?;
    Ok(Redirect::to("/admin/domains?done=domain-allow-added").into_response())
}

/// POST /admin/domains/allows/{host}/remove
async fn remove_allow(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(host): Path<String>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    if !policies::remove_allow(&app, Some(me.id), &host).await? {
        return Err(AppError::NotFound(format!("{host} on the allowlist")));
    }
    Ok(Redirect::to("/admin/domains?done=domain-allow-removed").into_response())
}

// ---- the public list ----

#[derive(Template)]
#[template(path = "moderated_servers.html")]
struct ModeratedServersPage<'a> {
    ctx: &'a Ctx,
    servers: Vec<PublicPolicy>,
}

impl ModeratedServersPage<'_> {
    fn severity_label(&self, s: &Severity) -> String {
        self.ctx.t(&format!("domains-public-{}", s.as_str()))
    }
}

/// GET /about/moderated-servers: Mastodon's "moderated servers"; 404 when the admin turned it off.
async fn moderated_servers(State(app): State<App>, ctx: Ctx) -> Result<Response, AppError> {
    let servers = policies::public_list(&app)
        .await?
        .ok_or_else(|| AppError::NotFound(ctx.t("domains-public-off")))?;
    render_page(&ModeratedServersPage { ctx: &ctx, servers })
}

/// Mastodon's `DomainBlock` entity of `/api/v1/instance/domain_blocks`.
#[derive(Serialize, ToSchema)]
pub struct PublicBlockView {
    /// The host, with part of it replaced by `*` when the admin obfuscates it.
    domain: String,
    /// SHA-256 of the host, hex.
    digest: String,
    /// `silence` or `suspend`.
    severity: &'static str,
    /// The public reason; absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

/// GET /api/v1/instance/domain_blocks: like Mastodon, only suspensions and limits (silence);
/// 404 when the admin turned the public list off.
#[utoipa::path(get, path = "/api/v1/instance/domain_blocks", tag = "domains",
    responses((status = 200, body = Vec<PublicBlockView>, description = "the moderated servers (suspended or limited)"),
        (status = 404, body = ErrorBody, description = "the admin turned the public list off")))]
pub async fn api_public_list(State(app): State<App>) -> Result<Response, AppError> {
    let list = policies::public_list(&app)
        .await?
        .ok_or_else(|| AppError::NotFound("the list of moderated servers".into()))?;
    let views: Vec<PublicBlockView> = list
        .into_iter()
        .filter(|p| p.severity != Severity::None)
        .map(|p| PublicBlockView {
            severity: mastodon_severity(p.severity),
            comment: (!p.comment.is_empty()).then_some(p.comment),
            domain: p.domain,
            digest: p.digest,
        })
        .collect();
    Ok(Json(views).into_response())
}

// ---- the admin API (Mastodon's shapes; the host is the id) ----

/// Mastodon's `Admin::DomainBlock`.
#[derive(Serialize, ToSchema)]
pub struct AdminBlockView {
    /// The host (it is the id).
    id: String,
    domain: String,
    /// SHA-256 of the host, hex.
    digest: String,
    /// RFC 3339.
    created_at: String,
    /// `suspend`, `silence` or `noop`.
    severity: &'static str,
    reject_media: bool,
    reject_reports: bool,
    private_comment: Option<String>,
    public_comment: Option<String>,
    obfuscate: bool,
    /// Ours: the subscribed list the entry came from (null: set here).
    subscription_id: Option<i64>,
}

fn iso(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn block_view(p: DomainPolicyRow) -> AdminBlockView {
    let some = |s: String| (!s.is_empty()).then_some(s);
    AdminBlockView {
        id: p.host.clone(),
        digest: policies::digest(&p.host),
        domain: p.host,
        created_at: iso(p.created_at),
        severity: mastodon_severity(p.severity),
        reject_media: p.reject_media,
        reject_reports: p.reject_reports,
        private_comment: some(p.private_reason),
        public_comment: some(p.public_reason),
        obfuscate: p.obfuscate,
        subscription_id: p.subscription_id,
    }
}

/// GET /api/v1/admin/domain_blocks: every domain policy (admins only).
#[utoipa::path(get, path = "/api/v1/admin/domain_blocks", tag = "domains",
    responses((status = 200, body = Vec<AdminBlockView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn api_list_blocks(
    State(app): State<App>,
    AdminUser(_admin): AdminUser,
) -> Result<Response, AppError> {
    let views: Vec<AdminBlockView> = policies::list(&app)
        .await?
        .into_iter()
        .map(block_view)
        .collect();
    Ok(Json(views).into_response())
}

/// GET /api/v1/admin/domain_blocks/{host}: one host's policy (admins only).
#[utoipa::path(get, path = "/api/v1/admin/domain_blocks/{host}", tag = "domains",
    params(("host" = String, Path, description = "the host")),
    responses((status = 200, body = AdminBlockView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no policy for the host"),
        (status = 422, body = ErrorBody, description = "not a host name")),
    security(("bearer" = [])))]
pub async fn api_get_block(
    State(app): State<App>,
    AdminUser(_admin): AdminUser,
    ApiPath(host): ApiPath<String>,
) -> Result<Response, AppError> {
    let p = policies::find(&app, &host)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("a policy for {host}")))?;
    Ok(Json(block_view(p)).into_response())
}

/// Mastodon's parameters of `POST /api/v1/admin/domain_blocks`.
#[derive(Deserialize, ToSchema)]
pub struct BlockInput {
    /// The host.
    domain: String,
    /// `suspend` (the default), `silence` or `noop` (ours: `limit`, `none` too).
    severity: Option<String>,
    #[serde(default)]
    reject_media: bool,
    #[serde(default)]
    reject_reports: bool,
    /// Why, for the admins.
    #[serde(default)]
    private_comment: String,
    /// Why, as the public list shows it.
    #[serde(default)]
    public_comment: String,
    /// Show the host partly replaced by `*` in public.
    #[serde(default)]
    obfuscate: bool,
}

/// POST /api/v1/admin/domain_blocks: sets or replaces a host's policy (admins only; logged).
#[utoipa::path(post, path = "/api/v1/admin/domain_blocks", tag = "domains", request_body = BlockInput,
    responses((status = 200, body = AdminBlockView, description = "the policy as set"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 422, body = ErrorBody, description = "an unknown severity, not a host, or this instance's own host")),
    security(("bearer" = [])))]
pub async fn api_create_block(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiJson(input): ApiJson<BlockInput>,
) -> Result<Response, AppError> {
    let severity = match input.severity.as_deref() {
        None => Severity::Suspend,
        Some(s) => policies::parse_severity(s).ok_or_else(|| {
            AppError::Invalid(format!("unknown severity {s:?} (suspend, silence or noop)"))
        })?,
    };
    if is_own_host(&app, &input.domain) {
        return Err(AppError::Invalid(format!(
            "{} is this instance",
            input.domain.trim()
        )));
    }
    let done = policies::set_policy(
        &app,
        Some(me.id),
        &PolicyInput {
            host: input.domain,
            severity,
            reject_media: input.reject_media,
            reject_reports: input.reject_reports,
            private_reason: input.private_comment,
            public_reason: input.public_comment,
            obfuscate: input.obfuscate,
        },
        None,
    )
    .await?;
    let p = policies::find(&app, &done.host)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("a policy for {}", done.host)))?;
    Ok(Json(block_view(p)).into_response())
}

/// DELETE /api/v1/admin/domain_blocks/{host}: lifts a host's policy (admins only; logged).
#[utoipa::path(delete, path = "/api/v1/admin/domain_blocks/{host}", tag = "domains",
    params(("host" = String, Path, description = "the host")),
    responses((status = 200, body = Object, description = "lifted; an empty object, as Mastodon answers"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "no policy for the host"),
        (status = 422, body = ErrorBody, description = "not a host name")),
    security(("bearer" = [])))]
pub async fn api_delete_block(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiPath(host): ApiPath<String>,
) -> Result<Response, AppError> {
    if !policies::remove_policy(&app, Some(me.id), &host, "").await? {
        return Err(AppError::NotFound(format!("a policy for {host}")));
    }
    Ok(Json(serde_json::json!({})).into_response())
}

/// Mastodon's `Admin::DomainAllow`.
#[derive(Serialize, ToSchema)]
pub struct AllowView {
    /// The host (it is the id).
    id: String,
    domain: String,
    /// Ours: the subscribed list the entry came from (null: set here).
    subscription_id: Option<i64>,
}

/// GET /api/v1/admin/domain_allows: the allowlist (admins only).
#[utoipa::path(get, path = "/api/v1/admin/domain_allows", tag = "domains",
    responses((status = 200, body = Vec<AllowView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn api_list_allows(
    State(app): State<App>,
    AdminUser(_admin): AdminUser,
) -> Result<Response, AppError> {
    let views: Vec<AllowView> = policies::list_allows(&app)
        .await?
        .into_iter()
        .map(|a| AllowView {
            id: a.host.clone(),
            domain: a.host,
            subscription_id: a.subscription_id,
        })
        .collect();
    Ok(Json(views).into_response())
}

/// Mastodon's parameters of `POST /api/v1/admin/domain_allows`.
#[derive(Deserialize, ToSchema)]
pub struct AllowInput {
    /// The host.
    domain: String,
}

/// POST /api/v1/admin/domain_allows: puts a host on the allowlist (admins only; logged).
#[utoipa::path(post, path = "/api/v1/admin/domain_allows", tag = "domains", request_body = AllowInput,
    responses((status = 200, body = AllowView, description = "the host as allowed"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 422, body = ErrorBody, description = "not a host")),
    security(("bearer" = [])))]
pub async fn api_create_allow(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiJson(input): ApiJson<AllowInput>,
) -> Result<Response, AppError> {
    let host = policies::add_allow(&app, Some(me.id), &input.domain).await?;
    Ok(Json(AllowView {
        id: host.clone(),
        domain: host,
        subscription_id: None,
    })
    .into_response())
}

/// DELETE /api/v1/admin/domain_allows/{host}: takes a host off the allowlist (admins only;
/// logged).
#[utoipa::path(delete, path = "/api/v1/admin/domain_allows/{host}", tag = "domains",
    params(("host" = String, Path, description = "the host")),
    responses((status = 200, body = Object, description = "removed; an empty object, as Mastodon answers"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 404, body = ErrorBody, description = "the host is not on the allowlist"),
        (status = 422, body = ErrorBody, description = "not a host name")),
    security(("bearer" = [])))]
pub async fn api_delete_allow(
    State(app): State<App>,
    AdminUser(me): AdminUser,
    ApiPath(host): ApiPath<String>,
) -> Result<Response, AppError> {
    if !policies::remove_allow(&app, Some(me.id), &host).await? {
        return Err(AppError::NotFound(format!("{host} on the allowlist")));
    }
    Ok(Json(serde_json::json!({})).into_response())
}
