//! The publiccode.yml import: fetching or taking the document, mapping it to a
//! `ProjectPatch`, and reporting invalid fields by their publiccode.yml keys.

use url::Url;

use super::{ensure_owner_first, insert_new, parse_slug, save, ProjectData, ProjectPatch};
use crate::db::{self, accounts::UserRow, projects::ProjectRow};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::AppError;
use crate::domain::error::FieldError;
use crate::domain::publiccode::{self, Publiccode};
use crate::App;

/// Where an import comes from.
pub enum ImportSource {
    /// The document itself (uploaded).
    Document(String),
    /// A URL to fetch it from; a later import of the same URL updates the project.
    Url(String),
}

/// Imports (or re-imports) a project from a publiccode.yml. Nothing is created when the
/// document is invalid: every invalid or missing field is reported by its key.
pub async fn import(
    app: &App,
    user: &UserRow,
    org_slug: &str,
    source: ImportSource,
    slug: Option<String>,
) -> Result<(ProjectRow, bool), AppError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (yaml, source_url) = read_source(app, source).await?;
    let (pc, yaml) = parse_document(app, yaml).await?;
    let existing = match &source_url {
        Some(u) => {
            let mut conn = app.db.conn().await?;
            db::projects::find_project_by_source_url(&mut conn, org.id, u).await?
        }
        None => None,
    };
    let base = existing
        .as_ref()
        .map(ProjectData::from_row)
        .unwrap_or_default();
    let mut data = apply_publiccode(base, &pc, source_url.as_deref())?;
    ensure_owner_first(&mut data, &org_actor);
    let release = pc
        .software_version
        .clone()
        .map(|v| (v, pc.release_date.clone()));
    let yaml = Some(yaml);
    if let Some(row) = existing {
        let mut conn = app.db.conn().await?;
        let actor = db::actors::find_actor_by_id(&mut conn, row.actor_id)
            .await?
            .ok_or_else(|| AppError::internal("project without actor"))?;
        drop(conn);
        let row = save(
            app, &row, &actor, &org_actor, data, source_url, yaml, release,
        )
        .await?;
        return Ok((row, false));
    }
    let slug = parse_slug(slug, &pc.name)?;
    let row = insert_new(
        app,
        &org,
        &org_actor,
        slug.as_str(),
        &data,
        source_url,
        yaml,
        release,
    )
    .await?;
    Ok((row, true))
}

/// The document and, when fetched, the URL it came from.
async fn read_source(
    app: &App,
    source: ImportSource,
) -> Result<(String, Option<String>), AppError> {
    let url_error = |m: String| AppError::Fields(vec![FieldError::new("url", m)]);
    match source {
        ImportSource::Document(y) => Ok((y, None)),
        ImportSource::Url(u) => {
            let url = Url::parse(u.trim()).map_err(|_| url_error(format!("{u:?} is not a URL")))?;
            let text = app
                .http
                .fetch_text(&url)
                .await
                .map_err(|e| url_error(e.to_string()))?;
            Ok((text, Some(url.to_string())))
        }
    }
}

/// Parses the document off the async workers; gives the document back for keeping.
async fn parse_document(app: &App, yaml: String) -> Result<(Publiccode, String), AppError> {
    // Parsing is CPU work proportional to the document (up to MAX_DOCUMENT_BYTES): it runs
    // on the blocking pool so a large upload cannot stall the async workers.
    let language = app.settings.default_language.clone();
    let (parsed, yaml) = tokio::task::spawn_blocking(move || {
        let parsed = publiccode::parse(&yaml, &language);
        (parsed, yaml)
    })
    .await
    .map_err(|e| AppError::context("publiccode.yml parser stopped", e))?;
    Ok((parsed.map_err(AppError::Fields)?, yaml))
}

/// The project's fields with the document applied; refused fields are named by their
/// publiccode.yml keys.
fn apply_publiccode(
    base: ProjectData,
    pc: &Publiccode,
    source_url: Option<&str>,
) -> Result<ProjectData, AppError> {
    base.apply(patch_from_publiccode(pc, source_url))
        .map_err(|errs| {
            AppError::Fields(
                errs.into_iter()
                    .map(|e| FieldError::new(publiccode_key(&e.field), e.message))
                    .collect(),
            )
        })
}

fn publiccode_key(field: &str) -> &str {
    match field {
        "repository" => "url",
        "website" => "landingURL",
        "license" => "legal.license",
        "topics" => "categories",
        "development_status" => "developmentStatus",
        "maintenance_type" => "maintenance.type",
        "software_type" => "softwareType",
        "users" => "usedBy",
        "funders" => "fundedBy",
        "summary" => "description.shortDescription",
        other => other,
    }
}

fn patch_from_publiccode(pc: &Publiccode, source_url: Option<&str>) -> ProjectPatch {
    // A relative logo path is relative to the document's location (standard: "logo").
    let logo = pc.logo.as_ref().and_then(|l| match Url::parse(l) {
        Ok(u) => Some(u.to_string()),
        Err(_) => source_url
            .and_then(|s| Url::parse(s).ok())
            .and_then(|s| s.join(l).ok())
            .map(|u| u.to_string()),
    });
    ProjectPatch {
        slug: None,
        name: Some(pc.name.clone()),
        summary: Some(pc.short_description.clone()),
        description: Some(pc.long_description.clone()),
        repository: Some(pc.url.clone()),
        website: Some(pc.landing_url.clone().unwrap_or_default()),
        license: Some(pc.license.as_str().to_string()),
        languages: None,
        topics: Some(pc.categories.clone()),
        development_status: Some(pc.development_status.clone()),
        maintenance_type: Some(pc.maintenance_type.clone()),
        software_type: Some(pc.software_type.clone()),
        platforms: Some(pc.platforms.clone()),
        maintainers: None,
        funders: Some(pc.funded_by.clone()),
        users: Some(pc.used_by.clone()),
        awards: Some(pc.awards.clone()),
        logo: Some(logo.unwrap_or_default()),
    }
}
