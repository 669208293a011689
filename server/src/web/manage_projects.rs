//! Members create projects on a form or import them from a publiccode.yml (upload or URL),
//! edit them and publish releases. The handlers call `domain::projects` as the JSON API does;
//! a refused form is shown again with every error next to its field, and the publiccode.yml
//! keys of a refused import are mapped to the form's fields.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::db::accounts::UserRow;
use crate::db::projects::ProjectRow;
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::{AppError, FieldError};
use crate::domain::projects::{self, ImportSource, ProjectPatch, ReleaseInput};
use crate::domain::publiccode::{DEVELOPMENT_STATUSES, MAINTENANCE_TYPES, SOFTWARE_TYPES};
use crate::web::manage_events::{
    field_value, given, list_of, read_multipart, signed_in, FormErrors, Opt,
};
use crate::web::page::{flash, render_page, CsrfForm, Ctx, Member};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/manage/orgs/{slug}/projects", get(list_page))
        .route(
            "/manage/orgs/{slug}/projects/new",
            get(new_page).post(create),
        )
        .route(
            "/manage/orgs/{slug}/projects/import",
            axum::routing::post(import),
        )
        .route("/manage/projects/{slug}/edit", get(edit_page).post(update))
        .route(
            "/manage/projects/{slug}/releases",
            get(releases_page).post(publish_release),
        )
        .layer(DefaultBodyLimit::max(
            crate::domain::publiccode::MAX_DOCUMENT_BYTES + 64 * 1024,
        ))
}

/// The project form as sent, or filled from a stored project.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ProjectForm {
    slug: String,
    name: String,
    summary: String,
    description: String,
    repository: String,
    website: String,
    license: String,
    languages: String,
    topics: String,
    platforms: String,
    development_status: String,
    maintenance_type: String,
    software_type: String,
    logo: String,
}

impl ProjectForm {
    fn from_row(row: &ProjectRow) -> ProjectForm {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        ProjectForm {
            slug: row.slug.clone(),
            name: row.name.clone(),
            summary: row.summary.clone(),
            description: row.description_md.clone(),
            repository: s(&row.repository),
            website: s(&row.website),
            license: s(&row.license),
            languages: row.languages.join(", "),
            topics: row.topics.join(", "),
            platforms: row.platforms.join(", "),
            development_status: s(&row.development_status),
            maintenance_type: s(&row.maintenance_type),
            software_type: s(&row.software_type),
            logo: s(&row.logo),
        }
    }

    /// The change the form asks for: every field it shows (`""` clears an optional one).
    fn patch(&self, with_slug: bool) -> ProjectPatch {
        ProjectPatch {
            slug: if with_slug { given(&self.slug) } else { None },
            name: Some(self.name.clone()),
            summary: Some(self.summary.clone()),
            description: Some(self.description.clone()),
            repository: Some(self.repository.clone()),
            website: Some(self.website.clone()),
            license: Some(self.license.clone()),
            languages: Some(list_of(&self.languages)),
            topics: Some(list_of(&self.topics)),
            development_status: Some(self.development_status.clone()),
            maintenance_type: Some(self.maintenance_type.clone()),
            software_type: Some(self.software_type.clone()),
            platforms: Some(list_of(&self.platforms)),
            logo: Some(self.logo.clone()),
            ..Default::default()
        }
    }
}

/// The form field and label key of a field the API names.
fn form_field_of(api: &str) -> Option<(&'static str, &'static str)> {
    let head = api.split('[').next().unwrap_or_default();
    Some(match head {
        "slug" => ("slug", "pj-slug"),
        "name" => ("name", "pj-name"),
        "summary" => ("summary", "pj-summary"),
        "description" => ("description", "pj-description"),
        "repository" => ("repository", "pj-repository"),
        "website" => ("website", "pj-website"),
        "license" => ("license", "pj-license"),
        "languages" => ("languages", "pj-languages"),
        "topics" => ("topics", "pj-topics"),
        "platforms" => ("platforms", "pj-platforms"),
        "development_status" => ("development_status", "pj-development-status"),
        "maintenance_type" => ("maintenance_type", "pj-maintenance-type"),
        "software_type" => ("software_type", "pj-software-type"),
        "logo" => ("logo", "pj-logo"),
        _ => return None,
    })
}

/// The form field of a publiccode.yml key (`None`: the form has no such field).
fn publiccode_field(key: &str) -> Option<&'static str> {
    let head = key.split('[').next().unwrap_or_default();
    if head.starts_with("description") {
        if head.ends_with("shortDescription") {
            return Some("summary");
        }
        if head.ends_with("longDescription") {
            return Some("description");
        }
        return None;
    }
    Some(match head {
        "name" => "name",
        "url" => "repository",
        "landingURL" => "website",
        "logo" => "logo",
        "platforms" => "platforms",
        "categories" => "topics",
        "developmentStatus" => "development_status",
        "softwareType" => "software_type",
        "legal.license" => "license",
        "maintenance.type" => "maintenance_type",
        "slug" => "import_slug",
        _ => return None,
    })
}

/// The API's refusal as form errors.
fn domain_errors(ctx: &Ctx, fields: Vec<FieldError>, errors: &mut FormErrors) {
    for e in fields {
        match form_field_of(&e.field) {
            Some((field, label)) => errors.add(field, ctx.t(label), message(ctx, &e.message)),
            None => errors.add("", e.field.clone(), message(ctx, &e.message)),
        }
    }
}

/// A few common messages in the reader's language; the others as the domain wrote them.
fn message(ctx: &Ctx, m: &str) -> String {
    match m {
        "is missing" | "must not be empty" => ctx.t("form-required"),
        m => m.to_string(),
    }
}

/// A refused import: each publiccode.yml key next to the form field it fills, with the key
/// named; keys the form has no field for in the summary.
fn import_errors(ctx: &Ctx, fields: Vec<FieldError>, by_url: bool, errors: &mut FormErrors) {
    // A URL that could not be fetched is the only error, on `url`, and is not one of the
    // document's own messages about its `url` key.
    let fetch_failed = by_url
        && fields.len() == 1
        && fields[0].field == "url"
        && !(fields[0].message.ends_with("is not an http(s) URL")
            || ["is missing", "must not be empty", "must be a text value"]
                .contains(&fields[0].message.as_str()));
    for e in fields {
        let text = format!("{}: {}", e.field, message(ctx, &e.message));
        match (fetch_failed, publiccode_field(&e.field)) {
            (true, _) => errors.add("import_url", ctx.t("pj-import-url"), e.message),
            (false, Some(field)) => {
                let label =
                    form_field_of(field).map_or_else(|| ctx.t("pj-import-slug"), |f| ctx.t(f.1));
                errors.add(field, label, text)
            }
            (false, None) => errors.add("", "publiccode.yml".into(), text),
        }
    }
}

#[derive(Template)]
#[template(path = "manage_project_form.html")]
struct ProjectFormPage<'a> {
    ctx: &'a Ctx,
    org_slug: String,
    /// The slug of the project being edited.
    editing: Option<String>,
    form: ProjectForm,
    errors: FormErrors,
    notice: Option<String>,
    statuses: Vec<Opt>,
    maintenance: Vec<Opt>,
    software_types: Vec<Opt>,
    import_url: String,
    import_slug: String,
}

fn choices(ctx: &Ctx, all: &[&str], current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", ctx.t("pj-not-given"), current.is_empty())];
    v.extend(all.iter().map(|s| Opt::new(*s, *s, *s == current)));
    v
}

fn form_page<'a>(
    ctx: &'a Ctx,
    org_slug: &str,
    editing: Option<String>,
    form: ProjectForm,
    errors: FormErrors,
) -> ProjectFormPage<'a> {
    ProjectFormPage {
        ctx,
        org_slug: org_slug.to_string(),
        statuses: choices(ctx, DEVELOPMENT_STATUSES, &form.development_status),
        maintenance: choices(ctx, MAINTENANCE_TYPES, &form.maintenance_type),
        software_types: choices(ctx, SOFTWARE_TYPES, &form.software_type),
        editing,
        form,
        errors,
        notice: None,
        import_url: String::new(),
        import_slug: String::new(),
    }
}

fn refused(page: &impl Template) -> Result<Response, AppError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render_page(page)?).into_response())
}

async fn editable_org(app: &App, user: &UserRow, slug: &str) -> Result<(), AppError> {
    let (org, _) = find_org(app, slug).await?;
    require_editor(app, &org, user).await
}

/// A live project the member edits, with its org's slug and its releases.
async fn editable_project(
    app: &App,
    user: &UserRow,
    slug: &str,
) -> Result<(String, ProjectRow, Vec<crate::db::projects::ReleaseRow>), AppError> {
    let (row, _, org, releases) = projects::find_public(app, slug).await?;
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!("project {slug} was deleted")));
    }
    require_editor(app, &org, user).await?;
    Ok((org.slug, row, releases))
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

struct ProjectItem {
    slug: String,
    name: String,
    summary: String,
    /// Hidden by a moderator: still listed here, marked.
    hidden: bool,
}

#[derive(Template)]
#[template(path = "manage_projects.html")]
struct ProjectListPage<'a> {
    ctx: &'a Ctx,
    org_slug: String,
    notice: Option<String>,
    projects: Vec<ProjectItem>,
}

/// GET /manage/orgs/{slug}/projects
async fn list_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    editable_org(&app, &user, &slug).await?;
    let projects = projects::list_for_editor(&app, &user, &slug, 500)
        .await?
        .into_iter()
        .map(|p| ProjectItem {
            slug: p.slug,
            name: p.name,
            summary: p.summary,
            hidden: p.hidden,
        })
        .collect();
    render_page(&ProjectListPage {
        ctx: &ctx,
        org_slug: slug,
        notice: flash(&ctx, q.done.as_deref()),
        projects,
    })
}

/// GET /manage/orgs/{slug}/projects/new: the form and the publiccode.yml import.
async fn new_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    editable_org(&app, &user, &slug).await?;
    render_page(&form_page(
        &ctx,
        &slug,
        None,
        ProjectForm::default(),
        FormErrors::default(),
    ))
}

/// POST /manage/orgs/{slug}/projects/new
async fn create(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<ProjectForm>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    editable_org(&app, &user, &slug).await?;
    let mut errors = FormErrors::default();
    match projects::create(&app, &user, &slug, form.patch(true)).await {
        Ok(row) => {
            return Ok(Redirect::to(&format!(
                "/manage/projects/{}/edit?done=project-created",
                row.slug
            ))
            .into_response())
        }
        Err(AppError::Fields(f)) => domain_errors(&ctx, f, &mut errors),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            errors.add("", ctx.t("form-errors-heading"), e.public_message())
        }
        Err(e) => return Err(e),
    }
    refused(&form_page(&ctx, &slug, None, form, errors))
}

/// POST /manage/orgs/{slug}/projects/import (multipart: the file `publiccode`, or `url`;
/// and `slug`).
async fn import(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (fields, bytes) = read_multipart(&ctx, multipart, "publiccode").await?;
    editable_org(&app, &user, &slug).await?;
    let url = field_value(&fields, "url").trim().to_string();
    let wanted = given(field_value(&fields, "slug"));
    let mut errors = FormErrors::default();
    let source = match (bytes.is_empty(), url.is_empty()) {
        (false, _) => match String::from_utf8(bytes) {
            Ok(text) => Some(ImportSource::Document(text)),
            Err(_) => {
                errors.add(
                    "import_file",
                    ctx.t("pj-import-file"),
                    ctx.t("pj-import-not-utf8"),
                );
                None
            }
        },
        (true, false) => Some(ImportSource::Url(url.clone())),
        (true, true) => {
            errors.add(
                "import_file",
                ctx.t("pj-import-file"),
                ctx.t("pj-import-nothing"),
            );
            None
        }
    };
    if let Some(source) = source {
        let by_url = matches!(source, ImportSource::Url(_));
        match projects::import(&app, &user, &slug, source, wanted.clone()).await {
            Ok((row, _)) => {
                return Ok(Redirect::to(&format!(
                    "/manage/projects/{}/edit?done=project-imported",
                    row.slug
                ))
                .into_response())
            }
            Err(AppError::Fields(f)) => import_errors(&ctx, f, by_url, &mut errors),
            Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Upstream(_))) => {
                errors.add("", ctx.t("form-errors-heading"), e.public_message())
            }
            Err(e) => return Err(e),
        }
    }
    let mut page = form_page(&ctx, &slug, None, ProjectForm::default(), errors);
    page.import_url = url;
    page.import_slug = wanted.unwrap_or_default();
    refused(&page)
}

/// GET /manage/projects/{slug}/edit
async fn edit_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (org_slug, row, _) = editable_project(&app, &user, &slug).await?;
    let mut page = form_page(
        &ctx,
        &org_slug,
        Some(row.slug.clone()),
        ProjectForm::from_row(&row),
        FormErrors::default(),
    );
    page.notice = flash(&ctx, q.done.as_deref());
    render_page(&page)
}

/// POST /manage/projects/{slug}/edit: followers get `Update{Project}`.
async fn update(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<ProjectForm>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let (org_slug, row, _) = editable_project(&app, &user, &slug).await?;
    let mut errors = FormErrors::default();
    match projects::edit(&app, &user, &org_slug, &row.slug, form.patch(false)).await {
        Ok(_) => {
            return Ok(
                Redirect::to(&format!("/manage/projects/{slug}/edit?done=project-saved"))
                    .into_response(),
            )
        }
        Err(AppError::Fields(f)) => domain_errors(&ctx, f, &mut errors),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            errors.add("", ctx.t("form-errors-heading"), e.public_message())
        }
        Err(e) => return Err(e),
    }
    refused(&form_page(&ctx, &org_slug, Some(row.slug), form, errors))
}

// ---------------------------------------------------------------------------------------
// Releases

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReleaseForm {
    version: String,
    date: String,
    notes: String,
}

struct ReleaseItem {
    version: String,
    date: String,
    notes: String,
}

#[derive(Template)]
#[template(path = "manage_project_releases.html")]
struct ReleasesPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    name: String,
    notice: Option<String>,
    releases: Vec<ReleaseItem>,
    form: ReleaseForm,
    errors: FormErrors,
}

async fn releases_view<'a>(
    app: &App,
    ctx: &'a Ctx,
    user: &UserRow,
    slug: &str,
    form: ReleaseForm,
    errors: FormErrors,
) -> Result<ReleasesPage<'a>, AppError> {
    let (_, row, releases) = editable_project(app, user, slug).await?;
    Ok(ReleasesPage {
        ctx,
        slug: row.slug.clone(),
        name: row.name.clone(),
        notice: None,
        releases: releases
            .into_iter()
            .rev()
            .map(|r| ReleaseItem {
                version: r.version,
                date: r.release_date.unwrap_or_default(),
                notes: r.notes,
            })
            .collect(),
        form,
        errors,
    })
}

/// GET /manage/projects/{slug}/releases
async fn releases_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let mut page = releases_view(
        &app,
        &ctx,
        &user,
        &slug,
        ReleaseForm::default(),
        FormErrors::default(),
    )
    .await?;
    page.notice = flash(&ctx, q.done.as_deref());
    render_page(&page)
}

/// POST /manage/projects/{slug}/releases: the release is posted as the project's news.
async fn publish_release(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<ReleaseForm>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let (org_slug, row, _) = editable_project(&app, &user, &slug).await?;
    let input = ReleaseInput {
        version: form.version.clone(),
        date: given(&form.date),
        notes: form.notes.clone(),
    };
    let mut errors = FormErrors::default();
    match projects::add_release(&app, &user, &org_slug, &row.slug, input).await {
        Ok(_) => {
            return Ok(Redirect::to(&format!(
                "/manage/projects/{slug}/releases?done=release-published"
            ))
            .into_response())
        }
        Err(AppError::Fields(f)) => {
            for e in f {
                let label = match e.field.as_str() {
                    "version" => "pj-release-version",
                    "date" => "pj-release-date",
                    _ => "pj-release-notes",
                };
                errors.add(&e.field, ctx.t(label), message(&ctx, &e.message));
            }
        }
        Err(e) => return Err(e),
    }
    refused(&releases_view(&app, &ctx, &user, &slug, form, errors).await?)
}
