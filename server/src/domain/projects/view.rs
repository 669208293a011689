//! Views of local projects for pages and the JSON API, finding projects, and slugs.

use revier_federation::protocol::format_time;
use serde::Serialize;

use super::maintainers::{confirmed_maintainers, maintainer_links, MaintainerLink};
use super::{ProjectData, ReleaseView};
use crate::db::{
    self,
    accounts::OrgRow,
    actors::ActorRow,
    projects::{ProjectRow, ReleaseRow},
};
use crate::domain::accounts::find_org;
use crate::domain::error::AppError;
use crate::domain::text::truncate_chars;
use crate::App;

/// A local project as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectView {
    /// The ActivityPub id (the actor; also the HTML page).
    pub id: String,
    pub slug: String,
    /// `slug@host`, to follow from Mastodon.
    pub handle: String,
    pub api_url: String,
    #[serde(flatten)]
    pub data: ProjectData,
    pub description_html: String,
    /// Each entry of `maintainers` with its status: `confirmed` (the owner, or an
    /// organization of this instance whose editor confirmed it; these boost the project's
    /// news) or `claimed` (named by the project only, never acted on).
    pub maintainer_links: Vec<MaintainerLink>,
    pub releases: Vec<ReleaseView>,
    /// The URL a publiccode.yml was imported from, if any.
    pub source_url: Option<String>,
    /// Whether the original publiccode.yml is kept (served at `{id}/publiccode.yml`).
    pub has_publiccode: bool,
    pub published: String,
    pub updated: String,
}

pub fn project_ap_id(app: &App, slug: &str) -> String {
    format!("{}/projects/{slug}", app.base_url())
}

fn release_views(rows: &[ReleaseRow]) -> Vec<ReleaseView> {
    rows.iter()
        .map(|r| ReleaseView {
            version: r.version.clone(),
            date: r.release_date.clone(),
            notes: r.notes.clone(),
        })
        .collect()
}

pub async fn view(app: &App, org_slug: &str, row: &ProjectRow) -> Result<ProjectView, AppError> {
    let mut conn = app.db.conn().await?;
    let releases = db::projects::list_releases(&mut conn, row.id).await?;
    let confirmed = confirmed_maintainers(&mut conn, row.id).await?;
    Ok(view_with(app, org_slug, row, &releases, &confirmed))
}

fn view_with(
    app: &App,
    org_slug: &str,
    row: &ProjectRow,
    releases: &[ReleaseRow],
    confirmed: &[String],
) -> ProjectView {
    let data = ProjectData::from_row(row);
    ProjectView {
        maintainer_links: maintainer_links(&data.maintainers, confirmed),
        id: project_ap_id(app, &row.slug),
        slug: row.slug.clone(),
        handle: format!("{}@{}", row.slug, app.settings.domain),
        api_url: format!(
            "{}/api/v1/orgs/{org_slug}/projects/{}",
            app.base_url(),
            row.slug
        ),
        data,
        description_html: row.description_html.clone(),
        releases: release_views(releases),
        source_url: row.source_url.clone(),
        has_publiccode: row.source_yaml.is_some(),
        published: format_time(row.published),
        updated: format_time(row.updated),
    }
}

/// A live project of the org with its actor.
pub async fn find_project(
    app: &App,
    org: &OrgRow,
    slug: &str,
) -> Result<(ProjectRow, ActorRow), AppError> {
    let mut conn = app.db.conn().await?;
    let row = db::projects::find_project_by_slug(&mut conn, slug)
        .await?
        .filter(|p| p.org_id == org.id)
        .ok_or_else(|| AppError::NotFound(format!("project {slug:?} of {}", org.slug)))?;
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!("project {slug} was deleted")));
    }
    let actor = db::actors::find_actor_by_id(&mut conn, row.actor_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("project {slug} has no actor")))?;
    Ok((row, actor))
}

/// A project by slug with its actor, org and releases (live or deleted), for serving.
pub async fn find_public(
    app: &App,
    slug: &str,
) -> Result<(ProjectRow, ActorRow, OrgRow, Vec<ReleaseRow>), AppError> {
    let mut conn = app.db.conn().await?;
    let row = db::projects::find_project_by_slug(&mut conn, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("project {slug:?}")))?;
    let actor = db::actors::find_actor_by_id(&mut conn, row.actor_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("project {slug} has no actor")))?;
    let org_actor_id = db::accounts::find_org_actor_id(&mut conn, row.org_id)
        .await?
        .ok_or_else(|| AppError::internal("project without org"))?;
    let org = db::accounts::find_org_by_actor(&mut conn, org_actor_id)
        .await?
        .ok_or_else(|| AppError::internal("project without org"))?;
    // Hidden by a moderator, or its org is suspended (issue 9).
    let org_suspended = db::actors::find_actor_by_id(&mut conn, org_actor_id)
        .await?
        .is_some_and(|a| a.suspended_at.is_some());
    let kind = db::moderation::ContentKind::Project;
    if org_suspended || db::moderation::is_content_hidden(&mut conn, kind, row.id).await? {
        return Err(AppError::NotFound(format!("project {slug:?}")));
    }
    let releases = db::projects::list_releases(&mut conn, row.id).await?;
    Ok((row, actor, org, releases))
}

/// An org's projects for its editors' list, by name, those a moderator hid too.
pub async fn list_for_editor(
    app: &App,
    user: &crate::db::accounts::UserRow,
    org_slug: &str,
    limit: i64,
) -> Result<Vec<ProjectRow>, AppError> {
    let (org, _) = find_org(app, org_slug).await?;
    crate::domain::accounts::require_editor(app, &org, user).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::projects::list_org_projects(&mut conn, org.id, db::Audience::Editors, limit, 0).await?)
}

/// An org's projects by name, `limit` from `offset` (a public list: none a moderator hid).
pub async fn list(
    app: &App,
    org_slug: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProjectView>, AppError> {
    let (org, _) = find_org(app, org_slug).await?;
    let mut conn = app.db.conn().await?;
    let rows =
        db::projects::list_org_projects(&mut conn, org.id, db::Audience::Public, limit, offset)
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let releases = db::projects::list_releases(&mut conn, r.id).await?;
        let confirmed = confirmed_maintainers(&mut conn, r.id).await?;
        out.push(view_with(app, org_slug, r, &releases, &confirmed));
    }
    Ok(out)
}

/// A slug from a name: lower-case ASCII, other characters folded to `-` (German umlauts
/// spelled out), as `Username` requires.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let piece = match c {
            'ä' => "ae".to_string(),
            'ö' => "oe".to_string(),
            'ü' => "ue".to_string(),
            'ß' => "ss".to_string(),
            c if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' => c.to_string(),
            _ => "-".to_string(),
        };
        out.push_str(&piece);
    }
    let mut slug = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(part);
    }
    let slug = truncate_chars(&slug, 56);
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "project".into()
    } else {
        slug
    }
}
