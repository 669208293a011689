//! HTTP routes for projects (issue 3): the project actor and its collections, news posts and
//! the kept publiccode.yml (negotiated AP JSON / HTML), and the JSON API under
//! `/api/v1/orgs/{slug}/projects`. Handlers extract, call `domain::projects`, and answer.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use revier_federation::protocol::format_time;
use revier_federation::protocol::note::Tombstone;
use revier_federation::protocol::WithContext;
use serde::Deserialize;

use crate::db;
use crate::domain::directory::project_mentions;
use crate::domain::error::AppError;
use crate::domain::projects::{
    self, find_public, post_document, project_document, ImportSource, ProjectPatch, ProjectView,
    ReleaseInput, RemoteProject,
};
use crate::web::activitypub::{collection, CollectionKind};
use crate::web::auth::AuthUser;
use crate::web::error::{ErrorBody, FieldErrorsBody};
use crate::web::extract::{ApiBody, ApiJson, ApiPath, ApiQuery};
use crate::web::i18n::Arg;
use crate::web::inbox::post_inbox;
use crate::web::interact::Interact;
use crate::web::negotiate::{activity_json, wants_activity_json};
use crate::web::page::{flash, Ctx};
use crate::web::paged::{paged, PageParams, PageQuery};
use crate::web::pages::{
    display_name, event_lines, note_lines, page_with_ap_link, status_label, EventLine, Meta,
    NoteLine,
};
use crate::App;

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/projects/{slug}", get(get_project))
        .route("/projects/{slug}/inbox", post(post_inbox))
        .route("/projects/{slug}/outbox", get(outbox))
        .route("/projects/{slug}/followers", get(followers))
        .route("/projects/{slug}/following", get(following))
        .route("/projects/{slug}/posts/{id}", get(get_post))
        .route("/projects/{slug}/publiccode.yml", get(get_publiccode))
        .route(
            "/projects/{slug}/export/publiccode.yml",
            get(get_publiccode_export),
        )
        .route(
            "/api/v1/orgs/{slug}/projects",
            get(list_projects).post(create_project),
        )
        .route("/api/v1/orgs/{slug}/projects/import", post(import_project))
        .route(
            "/api/v1/orgs/{slug}/projects/{project}",
            get(get_project_api)
                .patch(patch_project)
                .delete(delete_project),
        )
        .route(
            "/api/v1/orgs/{slug}/projects/{project}/releases",
            post(add_release),
        )
        .route(
            "/api/v1/orgs/{slug}/maintained/{project}",
            axum::routing::put(confirm_maintainer).delete(withdraw_maintainer),
        )
        .route("/api/v1/projects/remote", get(list_remote))
        .layer(DefaultBodyLimit::max(revier_federation::MAX_BODY_BYTES))
}

fn gone(id: &str, deleted: i64) -> Response {
    let tomb = WithContext::new(Tombstone {
        id: id.to_string(),
        kind: "Tombstone",
        former_type: Some("Service"),
        deleted: Some(format_time(deleted)),
    });
    let mut resp = activity_json(&tomb);
    *resp.status_mut() = StatusCode::GONE;
    resp
}

/// A maintaining organization on a project's page.
pub struct MaintainerLine {
    pub href: String,
    pub name: String,
    pub confirmed: bool,
}

/// A release on a project's page.
pub struct ReleaseLine {
    pub version: String,
    pub date: Option<String>,
    pub notes: String,
}

/// The HTML page of a project: its publiccode.yml facts, releases, maintainers and what
/// mentions it.
#[derive(Template)]
#[template(path = "project.html")]
pub struct ProjectPage<'a> {
    pub ctx: &'a Ctx,
    pub meta: Meta,
    pub interact: Interact,
    pub notice: Option<String>,
    pub view: &'a projects::ProjectView,
    pub handle: String,
    pub org_name: String,
    pub org_url: String,
    pub followers_text: String,
    pub status: Option<String>,
    pub maintainers: Vec<MaintainerLine>,
    pub releases: Vec<ReleaseLine>,
    pub events: Vec<EventLine>,
    pub notes: Vec<NoteLine>,
    pub featured: bool,
}

#[derive(Deserialize)]
struct ProjectPageQuery {
    done: Option<String>,
}

/// The schema.org `SoftwareSourceCode` of a project's page, ready for its `<script>`.
fn project_json_ld(
    app: &App,
    row: &db::projects::ProjectRow,
    id: &str,
    org_name: &str,
    org_url: &str,
) -> String {
    use crate::domain::opendata::{exports, schema_org};
    let base = app.base_url().trim_end_matches('/');
    let links = schema_org::ProjectLinks {
        id,
        org_name,
        org_url,
        publiccode_url: exports::publiccode_url(base, row),
    };
    schema_org::embeddable(&schema_org::document(schema_org::project(row, &links)))
}

/// The project actor's document, with its reply policy, key and proof.
async fn project_activity_json(
    app: &App,
    row: &db::projects::ProjectRow,
    actor: &db::actors::ActorRow,
    releases: &[db::projects::ReleaseRow],
) -> Result<Response, AppError> {
    let mut conn = app.db.conn().await?;
    let confirmed = projects::confirmed_maintainers(&mut conn, row.id).await?;
    let mut doc = serde_json::to_value(project_document(app, row, actor, releases, &confirmed))
        .map_err(AppError::internal)?;
    // Who may reply to the project (GoToSocial's interactionPolicy); it is public.
    crate::domain::reply_policies::add_policy_of(&mut conn, &mut doc, &actor.ap_id, actor, true)
        .await?;
    // FEP-521a key and FEP-8b32 proof (issue 10): the project is an actor of its own.
    crate::domain::proof_keys::add_assertion_method(&mut conn, actor, &mut doc).await?;
    crate::domain::proof_keys::attach_proof(&mut conn, actor, &mut doc).await?;
    Ok(activity_json(&doc))
}

/// GET /projects/{slug}: the project actor, or its HTML page.
async fn get_project(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<ProjectPageQuery>,
    headers: HeaderMap,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let (row, actor, org, releases) = find_public(&app, &slug).await?;
    if let Some(d) = row.deleted_at {
        return Ok(gone(&actor.ap_id, d));
    }
    if wants_activity_json(&headers) {
        return project_activity_json(&app, &row, &actor, &releases).await;
    }
    let mut conn = app.db.conn().await?;
    let followers = db::follows::count_followers(&mut conn, actor.id).await?;
    let org_actor = db::actors::find_actor_by_id(&mut conn, org.actor_id).await?;
    drop(conn);
    let view = projects::view(&app, &org.slug, &row).await?;
    let ids: Vec<String> = view.maintainer_links.iter().map(|m| m.id.clone()).collect();
    let mentions = project_mentions(&app, &row, &actor.ap_id, &ids).await?;
    let name = view.data.name.clone();
    let org_name = org_actor
        .map(|a| display_name(&a.name, &org.slug).to_string())
        .unwrap_or_else(|| org.slug.clone());
    let org_url = format!("{}/orgs/{}", app.base_url(), org.slug);
    let json_ld = project_json_ld(&app, &row, &actor.ap_id, &org_name, &org_url);
    let page = ProjectPage {
        meta: Meta {
            title: name.clone(),
            description: crate::domain::text::truncate_chars(&row.summary, 200),
            canonical: actor.ap_id.clone(),
            image: view.data.logo.clone(),
            image_alt: view
                .data
                .logo
                .as_ref()
                .map(|_| ctx.ta("project-logo-alt", &[("name", Arg::Text(name.clone()))])),
            og_type: "website",
            ap_url: Some(actor.ap_id.clone()),
            json_ld: Some(json_ld),
        },
        interact: Interact {
            uri: actor.ap_id.clone(),
            handle: Some(format!("@{}@{}", actor.username, app.settings.domain)),
        },
        notice: flash(&ctx, q.done.as_deref()),
        handle: format!("{}@{}", actor.username, app.settings.domain),
        org_name,
        org_url,
        followers_text: ctx.ta("actor-followers", &[("n", Arg::Number(followers))]),
        status: view
            .data
            .development_status
            .as_deref()
            .map(|s| status_label(&ctx, s)),
        maintainers: view
            .maintainer_links
            .iter()
            .zip(mentions.maintainer_names)
            .map(|(m, name)| MaintainerLine {
                href: m.id.clone(),
                name,
                confirmed: m.status == projects::MaintainerStatus::Confirmed,
            })
            .collect(),
        releases: release_lines(&ctx, &view.releases),
        events: event_lines(&app, ctx.lang, &mentions.events),
        notes: note_lines(&app, ctx.lang, &mentions.announcements),
        featured: mentions.featured,
        view: &view,
        ctx: &ctx,
    };
    page_with_ap_link(&page, &actor.ap_id)
}

/// Releases with their dates in the reader's language.
fn release_lines(ctx: &Ctx, releases: &[projects::ReleaseView]) -> Vec<ReleaseLine> {
    releases
        .iter()
        .map(|r| ReleaseLine {
            version: r.version.clone(),
            date: r.date.as_deref().map(|d| {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .ok()
                    .and_then(|n| n.and_hms_opt(12, 0, 0))
                    .map_or_else(
                        || d.to_string(),
                        |n| crate::web::i18n::long_date(ctx.lang, &n.and_utc()),
                    )
            }),
            notes: r.notes.clone(),
        })
        .collect()
}

async fn project_collection(
    app: App,
    slug: String,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let (row, actor, _, _) = find_public(&app, &slug).await?;
    if let Some(d) = row.deleted_at {
        return Ok(gone(&actor.ap_id, d));
    }
    collection(&app, &actor, which, q.page).await
}

async fn outbox(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    project_collection(app, slug, CollectionKind::Outbox, q).await
}

async fn followers(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    project_collection(app, slug, CollectionKind::Followers, q).await
}

async fn following(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    project_collection(app, slug, CollectionKind::Following, q).await
}

/// GET /projects/{slug}/posts/{id}: a news post (release, status change) as a Note.
async fn get_post(
    State(app): State<App>,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (row, actor, _, _) = find_public(&app, &slug).await?;
    let mut conn = app.db.conn().await?;
    let post = db::projects::find_post(&mut conn, id)
        .await?
        .filter(|p| p.project_id == row.id)
        .ok_or_else(|| AppError::NotFound(format!("post {id} of project {slug}")))?;
    if let Some(d) = row.deleted_at {
        return Ok(gone(&projects::post_ap_id(&app, &slug, id), d));
    }
    let mut doc = post_document(&app, &row, &actor, &post);
    if let Some(o) = doc.as_object_mut() {
        o.insert("@context".into(), revier_federation::protocol::context());
    }
    crate::domain::proof_keys::attach_proof(&mut conn, &actor, &mut doc).await?;
    Ok(activity_json(&doc))
}

/// GET /projects/{slug}/publiccode.yml: the document the project was imported from.
async fn get_publiccode(
    State(app): State<App>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (row, _, _, _) = find_public(&app, &slug).await?;
    let yaml = row
        .source_yaml
        .filter(|_| row.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound(format!("publiccode.yml of {slug}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/yaml; charset=utf-8"),
        )],
        yaml,
    )
        .into_response())
}

/// GET /projects/{slug}/export/publiccode.yml: the project as a publiccode.yml written from
/// its current data (awards and grants of calls included).
async fn get_publiccode_export(
    State(app): State<App>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (row, actor, org, releases) = find_public(&app, &slug).await?;
    if let Some(d) = row.deleted_at {
        return Ok(gone(&actor.ap_id, d));
    }
    let mut conn = app.db.conn().await?;
    let org_name = db::actors::find_actor_by_id(&mut conn, org.actor_id)
        .await?
        .map(|a| display_name(&a.name, &org.slug).to_string())
        .unwrap_or_else(|| org.slug.clone());
    let latest = releases
        .iter()
        .max_by_key(|r| (r.release_date.clone(), r.published));
    let yaml = projects::publiccode_export(
        &row,
        latest,
        &actor.ap_id,
        &app.settings.default_language,
        &[org_name],
    )?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/yaml; charset=utf-8"),
        )],
        yaml,
    )
        .into_response())
}

/// GET /api/v1/orgs/{slug}/projects: the organization's projects.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/projects", tag = "projects", params(("slug" = String, Path), PageParams),
    responses((status = 200, body = [ProjectView], description = "one page, by name; `Link` names the next")))]
async fn list_projects(
    State(app): State<App>,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let page = p.page()?;
    let rows = projects::list(&app, &slug, page.fetch(), page.offset).await?;
    Ok(paged(&app, &uri, &page, rows, |rows| rows))
}

async fn created(
    app: &App,
    org_slug: &str,
    row: &db::projects::ProjectRow,
) -> Result<Response, AppError> {
    let view = projects::view(app, org_slug, row).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, view.api_url.clone())],
        axum::Json(view),
    )
        .into_response())
}

/// POST /api/v1/orgs/{slug}/projects: create a project (and its actor).
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/projects", tag = "projects", request_body = ProjectPatch,
    params(("slug" = String, Path)),
    responses((status = 201, body = ProjectView, description = "created; `Location` is its API URL"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = FieldErrorsBody)),
    security(("bearer" = [])))]
async fn create_project(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(patch): ApiJson<ProjectPatch>,
) -> Result<Response, AppError> {
    let row = projects::create(&app, &user, &slug, patch).await?;
    created(&app, &slug, &row).await
}

#[derive(Deserialize)]
struct ImportQuery {
    slug: Option<String>,
}

/// Import from a URL: Revier fetches the publiccode.yml.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportByUrl {
    url: String,
    /// The project's slug; default from the document's name.
    slug: Option<String>,
}

/// POST /api/v1/orgs/{slug}/projects/import: a publiccode.yml as `application/yaml` (or
/// `text/yaml`), or `{"url": "..."}` as JSON. 201 with the new project, 200 when a re-import
/// of the same URL updated it, 422 with every invalid field by its publiccode.yml key.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/projects/import", tag = "projects",
    request_body(content((String = "application/yaml"), (ImportByUrl = "application/json")),
        description = "the publiccode.yml itself, or the URL to fetch it from"),
    params(("slug" = String, Path), ("slug" = Option<String>, Query, description = "the project's slug; default from the document's name")),
    responses((status = 201, body = ProjectView, description = "imported; `Location` is its API URL"),
        (status = 200, body = ProjectView, description = "a re-import of the same URL updated it"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = FieldErrorsBody, description = "every invalid or missing field by its publiccode.yml key; nothing was created")),
    security(("bearer" = [])))]
async fn import_project(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, AppError> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let (source, wanted_slug) = match ctype.as_str() {
        "application/json" => {
            let input: ImportByUrl = serde_json::from_slice(&body).map_err(|e| {
                AppError::Invalid(format!("the JSON body must be {{\"url\": \"...\"}}: {e}"))
            })?;
            (ImportSource::Url(input.url), input.slug.or(q.slug))
        }
        "application/yaml" | "text/yaml" | "application/x-yaml" | "text/x-yaml" => {
            let text = String::from_utf8(body.to_vec())
                .map_err(|_| AppError::BadRequest("the YAML body is not UTF-8".into()))?;
            (ImportSource::Document(text), q.slug)
        }
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "send the publiccode.yml as application/yaml, or {\"url\": \"...\"} as application/json".into(),
            ))
        }
    };
    let (row, is_new) = projects::import(&app, &user, &slug, source, wanted_slug).await?;
    if is_new {
        created(&app, &slug, &row).await
    } else {
        Ok(axum::Json(projects::view(&app, &slug, &row).await?).into_response())
    }
}

/// GET /api/v1/orgs/{slug}/projects/{project}
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/projects/{project}", tag = "projects",
    params(("slug" = String, Path), ("project" = String, Path)),
    responses((status = 200, body = ProjectView), (status = 404, body = ErrorBody)))]
async fn get_project_api(
    State(app): State<App>,
    ApiPath((slug, project)): ApiPath<(String, String)>,
) -> Result<Response, AppError> {
    let (org, _) = crate::domain::accounts::find_org(&app, &slug).await?;
    let (row, _) = projects::find_project(&app, &org, &project).await?;
    Ok(axum::Json(projects::view(&app, &slug, &row).await?).into_response())
}

/// PATCH /api/v1/orgs/{slug}/projects/{project}: the fields to change; followers receive `Update`.
#[utoipa::path(patch, path = "/api/v1/orgs/{slug}/projects/{project}", tag = "projects", request_body = ProjectPatch,
    params(("slug" = String, Path), ("project" = String, Path)),
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = FieldErrorsBody)),
    security(("bearer" = [])))]
async fn patch_project(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, project)): ApiPath<(String, String)>,
    ApiJson(patch): ApiJson<ProjectPatch>,
) -> Result<Response, AppError> {
    let row = projects::edit(&app, &user, &slug, &project, patch).await?;
    Ok(axum::Json(projects::view(&app, &slug, &row).await?).into_response())
}

/// DELETE /api/v1/orgs/{slug}/projects/{project}
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/projects/{project}", tag = "projects",
    params(("slug" = String, Path), ("project" = String, Path)),
    responses((status = 204, description = "deleted; followers receive `Delete`"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn delete_project(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, project)): ApiPath<(String, String)>,
) -> Result<StatusCode, AppError> {
    projects::delete(&app, &user, &slug, &project).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /api/v1/orgs/{slug}/projects/{project}/releases: followers get the news.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/projects/{project}/releases", tag = "projects", request_body = ReleaseInput,
    params(("slug" = String, Path), ("project" = String, Path)),
    responses((status = 201, body = ProjectView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = FieldErrorsBody)),
    security(("bearer" = [])))]
async fn add_release(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, project)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<ReleaseInput>,
) -> Result<Response, AppError> {
    let row = projects::add_release(&app, &user, &slug, &project, input).await?;
    created(&app, &slug, &row).await
}

/// GET /api/v1/projects/remote: projects of other instances that someone here follows.
#[utoipa::path(get, path = "/api/v1/projects/remote", tag = "projects", params(PageParams),
    responses((status = 200, body = [RemoteProject], description = "one page, by name; `Link` names the next")))]
async fn list_remote(
    State(app): State<App>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let page = p.page()?;
    let rows = projects::list_remote(&app, page.fetch(), page.offset).await?;
    Ok(paged(&app, &uri, &page, rows, |rows| rows))
}

/// PUT /api/v1/orgs/{slug}/maintained/{project}: an editor of the organization confirms that
/// it maintains the project (of this or another local organization) that lists it.
#[utoipa::path(put, path = "/api/v1/orgs/{slug}/maintained/{project}", tag = "projects",
    params(("slug" = String, Path, description = "the confirming organization"), ("project" = String, Path, description = "the project's slug")),
    responses((status = 200, body = ProjectView, description = "confirmed: the organization now boosts the project's news"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "the project does not list the organization"),
        (status = 410, body = ErrorBody)),
    security(("bearer" = [])))]
async fn confirm_maintainer(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    Path((slug, project)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (row, owner) =
        projects::set_maintainer_confirmation(&app, &user, &slug, &project, true).await?;
    Ok(axum::Json(projects::view(&app, &owner, &row).await?).into_response())
}

/// DELETE /api/v1/orgs/{slug}/maintained/{project}: the organization withdraws its
/// confirmation; the project's entry is shown as claimed again and never boosted.
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/maintained/{project}", tag = "projects",
    params(("slug" = String, Path, description = "the withdrawing organization"), ("project" = String, Path, description = "the project's slug")),
    responses((status = 200, body = ProjectView, description = "withdrawn: the entry is claimed again"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "the project does not list the organization, or the organization owns it"),
        (status = 410, body = ErrorBody)),
    security(("bearer" = [])))]
async fn withdraw_maintainer(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    Path((slug, project)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (row, owner) =
        projects::set_maintainer_confirmation(&app, &user, &slug, &project, false).await?;
    Ok(axum::Json(projects::view(&app, &owner, &row).await?).into_response())
}
