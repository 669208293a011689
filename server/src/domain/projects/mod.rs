//! Projects (issue 3): open-source solutions, importable from publiccode.yml, published as
//! followable actors with ForgeFed `Project` and schema.org `SoftwareSourceCode` terms.
//!
//! Every project has its own actor (`/projects/{slug}`, type `["Project", "Service"]`). News
//! (new project, release, status change) is a `Note` by the project actor, sent as
//! `Create{Note}` to the project's followers and boosted (`Announce`) by each local
//! maintaining organization to its followers: Mastodon shows a post only to people who follow
//! its author or a booster (it drops a `Create` from an actor nobody there follows). Field
//! changes send `Update{Project}` to the project's followers; another Revier instance rebuilds
//! the whole project from that document (`receive_remote_project`).

use serde::{Deserialize, Serialize};

use crate::db::{
    self,
    accounts::{OrgRow, UserRow},
    actors::ActorRow,
    projects::ProjectRow,
};
use crate::domain::accounts::{find_org, require_editor, Username};
use crate::domain::actors::{new_local_actor, LocalKind};
use crate::domain::error::{AppError, FieldError};
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::text::{escape_attr, render_markdown, sanitize_html, strip_html};
use crate::App;

const MAX_LIST: usize = 50;
const MAX_ITEM: usize = 200;

/// A project's checked content: what the API shows and what federates.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct ProjectData {
    pub name: String,
    /// One line, plain text.
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub repository: Option<String>,
    pub website: Option<String>,
    /// SPDX license expression.
    pub license: Option<String>,
    /// Programming languages.
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    /// concept, development, beta, stable or obsolete (publiccode.yml).
    pub development_status: Option<String>,
    /// internal, contract, community or none (publiccode.yml).
    pub maintenance_type: Option<String>,
    /// publiccode.yml softwareType (standalone/web, library...).
    pub software_type: Option<String>,
    pub platforms: Vec<String>,
    /// ActivityPub ids of the maintaining organizations (the owning org first).
    pub maintainers: Vec<String>,
    pub funders: Vec<String>,
    /// Who uses it (publiccode.yml usedBy).
    pub users: Vec<String>,
    pub awards: Vec<String>,
    /// Logo image URL.
    pub logo: Option<String>,
}

/// A change: absent fields stay as they are; `""` or `[]` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    /// Only on create: the WebFinger name (`slug@host`), shared with people and orgs.
    pub slug: Option<String>,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub repository: Option<String>,
    pub website: Option<String>,
    pub license: Option<String>,
    pub languages: Option<Vec<String>>,
    pub topics: Option<Vec<String>>,
    #[schema(value_type = Option<crate::domain::publiccode::DevelopmentStatus>)]
    pub development_status: Option<String>,
    #[schema(value_type = Option<crate::domain::publiccode::MaintenanceType>)]
    pub maintenance_type: Option<String>,
    #[schema(value_type = Option<crate::domain::publiccode::SoftwareType>)]
    pub software_type: Option<String>,
    pub platforms: Option<Vec<String>>,
    pub maintainers: Option<Vec<String>>,
    pub funders: Option<Vec<String>>,
    pub users: Option<Vec<String>>,
    pub awards: Option<Vec<String>>,
    pub logo: Option<String>,
}

/// A new release.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseInput {
    /// 1 to 100 characters, not blank.
    #[schema(pattern = r"\S", max_length = 100)]
    pub version: String,
    /// YYYY-MM-DD; today when absent.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Markdown.
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct ReleaseView {
    pub version: String,
    pub date: Option<String>,
    pub notes: String,
}

mod document;
mod export;
mod import;
mod input;
mod maintainers;
mod remote;
mod view;

pub use document::*;
pub use export::*;
pub use import::*;
pub use maintainers::*;
pub use remote::*;
pub use view::*;

/// Creates a project with its actor and announces it.
pub async fn create(
    app: &App,
    user: &UserRow,
    org_slug: &str,
    patch: ProjectPatch,
) -> Result<ProjectRow, AppError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let slug_input = patch.slug.clone();
    let mut data = ProjectData::default()
        .apply(patch)
        .map_err(AppError::Fields)?;
    let slug = parse_slug(slug_input, &data.name)?;
    ensure_owner_first(&mut data, &org_actor);
    insert_new(
        app,
        &org,
        &org_actor,
        slug.as_str(),
        &data,
        None,
        None,
        None,
    )
    .await
}

/// The slug asked for (a refusal is a field error on `slug`), else one made from the name.
/// One rule for every way a project is made (form, API, publiccode.yml import).
fn parse_slug(slug: Option<String>, name: &str) -> Result<Username, AppError> {
    match slug {
        Some(s) => Username::parse(&s, "project slug")
            .map_err(|e| AppError::Fields(vec![FieldError::new("slug", e.public_message())])),
        None => Ok(Username::parse(&slugify(name), "project slug")?),
    }
}

fn ensure_owner_first(data: &mut ProjectData, org_actor: &ActorRow) {
    data.maintainers.retain(|m| m != &org_actor.ap_id);
    data.maintainers.insert(0, org_actor.ap_id.clone());
}

#[allow(clippy::too_many_arguments)]
async fn insert_new(
    app: &App,
    org: &OrgRow,
    org_actor: &ActorRow,
    slug: &str,
    data: &ProjectData,
    source_url: Option<String>,
    source_yaml: Option<String>,
    release: Option<(String, Option<String>)>,
) -> Result<ProjectRow, AppError> {
    let mut actor = new_local_actor(app, LocalKind::Project, slug, &data.name).await?;
    actor.summary = String::new();
    let fields = data.fields(app, source_url, source_yaml);
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    if db::actors::find_local_actor_by_username(&mut tx, slug)
        .await?
        .is_some()
    {
        return Err(AppError::Fields(vec![FieldError::new(
            "slug",
            format!("the name {slug:?} is already taken by a person, organization or project"),
        )]));
    }
    let actor = db::actors::insert_actor(&mut tx, &actor, now).await?;
    let row = db::projects::insert_project(&mut tx, org.id, actor.id, slug, &fields, now).await?;
    sync_maintainer_links(&mut tx, &row, org_actor).await?;
    if let Some((version, date)) = release {
        db::projects::upsert_release(&mut tx, row.id, &version, date.as_deref(), "", now).await?;
    }
    sync_actor(app, &mut tx, &row, &actor).await?;
    let text = format!(
        "<p>{} <strong>{}</strong>{}</p>",
        "Neues Projekt / new project:",
        escape_attr(&row.name),
        if row.summary.is_empty() {
            String::new()
        } else {
            format!(" – {}", escape_attr(&row.summary))
        }
    );
    post_news(app, &mut tx, &row, &actor, org_actor, &text).await?;
    tx.commit().await?;
    Ok(row)
}

/// Keeps the actor row (WebFinger, pages, signatures) in step with the project.
async fn sync_actor(
    app: &App,
    conn: &mut db::Conn,
    row: &ProjectRow,
    actor: &ActorRow,
) -> Result<(), AppError> {
    let _ = app;
    db::actors::update_actor_profile(
        conn,
        actor.id,
        &row.name,
        &sanitize_html(&format!("<p>{}</p>", escape_attr(&row.summary))),
        false,
        &[],
        row.updated,
    )
    .await?;
    Ok(())
}

/// Edits a project; followers get `Update{Project}`, and a status change is posted as news.
pub async fn edit(
    app: &App,
    user: &UserRow,
    org_slug: &str,
    slug: &str,
    patch: ProjectPatch,
) -> Result<ProjectRow, AppError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (row, actor) = find_project(app, &org, slug).await?;
    if patch.slug.as_deref().is_some_and(|s| s != row.slug) {
        return Err(AppError::Fields(vec![FieldError::new(
            "slug",
            "cannot be changed: it is the project's ActivityPub id and WebFinger name",
        )]));
    }
    let mut data = ProjectData::from_row(&row)
        .apply(patch)
        .map_err(AppError::Fields)?;
    ensure_owner_first(&mut data, &org_actor);
    save(
        app,
        &row,
        &actor,
        &org_actor,
        data,
        row.source_url.clone(),
        row.source_yaml.clone(),
        None,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn save(
    app: &App,
    row: &ProjectRow,
    actor: &ActorRow,
    org_actor: &ActorRow,
    data: ProjectData,
    source_url: Option<String>,
    source_yaml: Option<String>,
    release: Option<(String, Option<String>)>,
) -> Result<ProjectRow, AppError> {
    let old_status = row.development_status.clone();
    let fields = data.fields(app, source_url, source_yaml);
    // `updated` must grow so receivers apply the Update (Mastodon OB-15 / AC-8).
    let now = db::now_micros().max(row.updated + 1000);
    let mut tx = OutgoingTx::begin(app).await?;
    let updated = db::projects::update_project(&mut tx, row.id, &fields, now).await?;
    sync_maintainer_links(&mut tx, &updated, org_actor).await?;
    let mut new_release = None;
    if let Some((version, date)) = release {
        let known = db::projects::list_releases(&mut tx, row.id)
            .await?
            .iter()
            .any(|r| r.version == version);
        db::projects::upsert_release(&mut tx, row.id, &version, date.as_deref(), "", now).await?;
        if !known {
            new_release = Some(version);
        }
    }
    sync_actor(app, &mut tx, &updated, actor).await?;
    send_update(app, &mut tx, &updated, actor).await?;
    if let Some(version) = new_release {
        let text = release_text(&updated, &version, "");
        post_news(app, &mut tx, &updated, actor, org_actor, &text).await?;
    }
    if updated.development_status != old_status {
        if let Some(status) = &updated.development_status {
            let text = format!(
                "<p><strong>{}</strong>: Entwicklungsstand / development status: <strong>{}</strong></p>",
                escape_attr(&updated.name),
                escape_attr(status)
            );
            post_news(app, &mut tx, &updated, actor, org_actor, &text).await?;
        }
    }
    tx.commit().await?;
    Ok(updated)
}

fn release_text(row: &ProjectRow, version: &str, notes_html: &str) -> String {
    let link = row
        .repository
        .as_deref()
        .or(row.website.as_deref())
        .map(|u| format!("<p><a href=\"{0}\">{0}</a></p>", escape_attr(u)))
        .unwrap_or_default();
    format!(
        "<p>Neue Version / new release: <strong>{} {}</strong></p>{notes_html}{link}",
        escape_attr(&row.name),
        escape_attr(version)
    )
}

/// Adds a release (or updates the notes of a known version) and posts it as news.
pub async fn add_release(
    app: &App,
    user: &UserRow,
    org_slug: &str,
    slug: &str,
    input: ReleaseInput,
) -> Result<ProjectRow, AppError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (row, actor) = find_project(app, &org, slug).await?;
    let mut errors = Vec::new();
    let version = strip_html(input.version.trim()).trim().to_string();
    if version.is_empty() || version.chars().count() > 100 {
        errors.push(FieldError::new("version", "must have 1 to 100 characters"));
    }
    let date = match input.date.as_deref().map(str::trim) {
        None => Some(chrono::Utc::now().format("%Y-%m-%d").to_string()),
        Some(d) if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => Some(d.to_string()),
        Some(d) => {
            errors.push(FieldError::new(
                "date",
                format!("{d:?} is not a date as YYYY-MM-DD"),
            ));
            None
        }
    };
    if input.notes.chars().count() > 10_000 {
        errors.push(FieldError::new("notes", "has more than 10000 characters"));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields(errors));
    }
    let notes_html = render_markdown(&input.notes, |t| format!("{}/tags/{t}", app.base_url())).0;
    let now = db::now_micros().max(row.updated + 1000);
    let mut tx = OutgoingTx::begin(app).await?;
    db::projects::upsert_release(
        &mut tx,
        row.id,
        &version,
        date.as_deref(),
        input.notes.trim(),
        now,
    )
    .await?;
    let fields =
        ProjectData::from_row(&row).fields(app, row.source_url.clone(), row.source_yaml.clone());
    let updated = db::projects::update_project(&mut tx, row.id, &fields, now).await?;
    send_update(app, &mut tx, &updated, &actor).await?;
    let text = release_text(&updated, &version, &notes_html);
    post_news(app, &mut tx, &updated, &actor, &org_actor, &text).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Deletes a project: followers get `Delete` of the actor, its URL answers 410, and the
/// slug is never reused.
pub async fn delete(app: &App, user: &UserRow, org_slug: &str, slug: &str) -> Result<(), AppError> {
    let (org, _) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (row, actor) = find_project(app, &org, slug).await?;
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    db::projects::mark_project_deleted(&mut tx, row.id, now).await?;
    tx.submit(Outgoing::DeleteActor {
        actor: &actor,
        at: now,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an award (a prize or a grant of a call, issue 12) to a local project, in `tx`: it shows
/// on the project's page, in its document (`award`, and `funder` for a grant) and in its
/// publiccode.yml, and followers get `Update{Project}`. Known awards are not added twice.
pub async fn record_award(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    project_slug: &str,
    award: &str,
    funder: Option<&str>,
) -> Result<(), AppError> {
    let Some(row) = db::projects::find_project_by_slug(tx, project_slug).await? else {
        return Ok(());
    };
    if row.deleted_at.is_some() {
        return Ok(());
    }
    let Some(actor) = db::actors::find_actor_by_id(tx, row.actor_id).await? else {
        return Ok(());
    };
    let mut data = ProjectData::from_row(&row);
    let known = data.awards.iter().any(|a| a == award)
        && funder.is_none_or(|f| data.funders.iter().any(|x| x == f));
    if known {
        return Ok(());
    }
    if !data.awards.iter().any(|a| a == award) {
        data.awards.push(award.to_string());
    }
    if let Some(f) = funder.filter(|f| !data.funders.iter().any(|x| x == f)) {
        data.funders.push(f.to_string());
    }
    let fields = data.fields(app, row.source_url.clone(), row.source_yaml.clone());
    let now = db::now_micros().max(row.updated + 1000);
    let updated = db::projects::update_project(tx, row.id, &fields, now).await?;
    send_update(app, tx, &updated, &actor).await?;
    Ok(())
}
