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

use revier_federation::incoming::{value_id, value_type};
use revier_federation::protocol::actor::{Endpoints, Image, PublicKey};
use revier_federation::protocol::project::{
    project_context, property, ProjectActor, Release, SourceLink,
};
use revier_federation::protocol::{format_time, parse_time, Activity};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

use crate::db::{
    self,
    accounts::{OrgRow, UserRow},
    actors::ActorRow,
    projects::{ProjectFields, ProjectRow, ReleaseRow},
};
use crate::domain::accounts::{find_org, require_editor, Username};
use crate::domain::actors::{new_local_actor, LocalKind};
use crate::domain::error::AppError;
use crate::domain::inbox::{InboxError, Received};
use crate::domain::outgoing::{enqueue, follower_inboxes, new_activity_id};
use crate::domain::publiccode::{
    self, FieldError, Publiccode, DEVELOPMENT_STATUSES, MAINTENANCE_TYPES, SOFTWARE_TYPES,
};
use crate::domain::spdx::SpdxLicense;
use crate::domain::text::{
    escape_attr, render_markdown, sanitize_html, strip_html, truncate_chars,
};
use crate::App;

const MAX_LIST: usize = 50;
const MAX_ITEM: usize = 200;

/// Why a project change was refused: invalid fields (named by their key), or anything else.
#[derive(Debug)]
pub enum ProjectError {
    Fields(Vec<FieldError>),
    App(AppError),
}

impl From<AppError> for ProjectError {
    fn from(e: AppError) -> Self {
        ProjectError::App(e)
    }
}

impl From<sqlx::Error> for ProjectError {
    fn from(e: sqlx::Error) -> Self {
        ProjectError::App(e.into())
    }
}

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
    pub development_status: Option<String>,
    pub maintenance_type: Option<String>,
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
    pub version: String,
    /// YYYY-MM-DD; today when absent.
    pub date: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct ReleaseView {
    pub version: String,
    pub date: Option<String>,
    pub notes: String,
}

fn http_url(field: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Some(u.to_string())
        }
        _ => {
            errors.push(FieldError::new(
                field,
                format!("{s:?} is not an http(s) URL"),
            ));
            None
        }
    }
}

fn opt_url(
    field: &str,
    v: Option<String>,
    current: Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match v {
        None => current,
        Some(s) if s.trim().is_empty() => None,
        Some(s) => http_url(field, &s, errors),
    }
}

fn opt_enum(
    field: &str,
    v: Option<String>,
    current: Option<String>,
    allowed: &[&str],
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match v {
        None => current,
        Some(s) if s.trim().is_empty() => None,
        Some(s) if allowed.contains(&s.trim()) => Some(s.trim().to_string()),
        Some(s) => {
            errors.push(FieldError::new(
                field,
                format!("{s:?} is not one of: {}", allowed.join(", ")),
            ));
            current
        }
    }
}

/// Plain-text list entries: HTML removed, trimmed, de-duplicated, bounded.
fn text_list(
    field: &str,
    v: Option<Vec<String>>,
    current: Vec<String>,
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let Some(items) = v else { return current };
    if items.len() > MAX_LIST {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_LIST} entries"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for item in items.into_iter().take(MAX_LIST) {
        let t = strip_html(item.trim()).trim().to_string();
        if t.chars().count() > MAX_ITEM {
            errors.push(FieldError::new(
                field,
                format!("entries have at most {MAX_ITEM} characters"),
            ));
            continue;
        }
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

impl ProjectData {
    /// Applies a change, checking every field; all problems are reported together.
    pub fn apply(mut self, p: ProjectPatch) -> Result<ProjectData, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(name) = p.name {
            let name = strip_html(name.trim()).trim().to_string();
            if name.is_empty() || name.chars().count() > 200 {
                errors.push(FieldError::new("name", "must have 1 to 200 characters"));
            } else {
                self.name = name;
            }
        }
        if self.name.is_empty() && !errors.iter().any(|e| e.field == "name") {
            errors.push(FieldError::new("name", "is missing"));
        }
        if let Some(s) = p.summary {
            let s = strip_html(s.trim()).trim().to_string();
            if s.chars().count() > 500 {
                errors.push(FieldError::new("summary", "has more than 500 characters"));
            } else {
                self.summary = s;
            }
        }
        if let Some(d) = p.description {
            if d.chars().count() > 50_000 {
                errors.push(FieldError::new(
                    "description",
                    "has more than 50000 characters",
                ));
            } else {
                self.description = d.trim().to_string();
            }
        }
        self.repository = opt_url("repository", p.repository, self.repository, &mut errors);
        self.website = opt_url("website", p.website, self.website, &mut errors);
        self.logo = opt_url("logo", p.logo, self.logo, &mut errors);
        match p.license {
            None => {}
            Some(l) if l.trim().is_empty() => self.license = None,
            Some(l) => match SpdxLicense::parse(&l) {
                Ok(l) => self.license = Some(l.as_str().to_string()),
                Err(m) => errors.push(FieldError::new("license", m)),
            },
        }
        self.languages = text_list("languages", p.languages, self.languages, &mut errors);
        self.topics = text_list("topics", p.topics, self.topics, &mut errors);
        self.platforms = text_list("platforms", p.platforms, self.platforms, &mut errors);
        self.funders = text_list("funders", p.funders, self.funders, &mut errors);
        self.users = text_list("users", p.users, self.users, &mut errors);
        self.awards = text_list("awards", p.awards, self.awards, &mut errors);
        self.development_status = opt_enum(
            "development_status",
            p.development_status,
            self.development_status,
            DEVELOPMENT_STATUSES,
            &mut errors,
        );
        self.maintenance_type = opt_enum(
            "maintenance_type",
            p.maintenance_type,
            self.maintenance_type,
            MAINTENANCE_TYPES,
            &mut errors,
        );
        self.software_type = opt_enum(
            "software_type",
            p.software_type,
            self.software_type,
            SOFTWARE_TYPES,
            &mut errors,
        );
        if let Some(m) = p.maintainers {
            if m.len() > MAX_LIST {
                errors.push(FieldError::new(
                    "maintainers",
                    format!("at most {MAX_LIST} entries"),
                ));
            }
            let mut out = Vec::new();
            for id in m.iter().take(MAX_LIST) {
                if let Some(u) = http_url("maintainers", id, &mut errors) {
                    if !out.contains(&u) {
                        out.push(u);
                    }
                }
            }
            self.maintainers = out;
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    fn from_row(row: &ProjectRow) -> ProjectData {
        let list = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
        ProjectData {
            name: row.name.clone(),
            summary: row.summary.clone(),
            description: row.description_md.clone(),
            repository: row.repository.clone(),
            website: row.website.clone(),
            license: row.license.clone(),
            languages: list(&row.languages),
            topics: list(&row.topics),
            development_status: row.development_status.clone(),
            maintenance_type: row.maintenance_type.clone(),
            software_type: row.software_type.clone(),
            platforms: list(&row.platforms),
            maintainers: list(&row.maintainers),
            funders: list(&row.funders),
            users: list(&row.users),
            awards: list(&row.awards),
            logo: row.logo.clone(),
        }
    }

    fn fields(
        &self,
        app: &App,
        source_url: Option<String>,
        source_yaml: Option<String>,
    ) -> Result<ProjectFields, AppError> {
        let j = |v: &Vec<String>| {
            serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))
        };
        Ok(ProjectFields {
            name: self.name.clone(),
            summary: self.summary.clone(),
            description_md: self.description.clone(),
            description_html: render_markdown(&self.description, |t| {
                format!("{}/tags/{t}", app.base_url())
            })
            .0,
            repository: self.repository.clone(),
            website: self.website.clone(),
            license: self.license.clone(),
            languages: j(&self.languages)?,
            topics: j(&self.topics)?,
            development_status: self.development_status.clone(),
            maintenance_type: self.maintenance_type.clone(),
            software_type: self.software_type.clone(),
            platforms: j(&self.platforms)?,
            maintainers: j(&self.maintainers)?,
            funders: j(&self.funders)?,
            users: j(&self.users)?,
            awards: j(&self.awards)?,
            logo: self.logo.clone(),
            source_url,
            source_yaml,
        })
    }
}

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
    Ok(view_with(app, org_slug, row, &releases))
}

fn view_with(app: &App, org_slug: &str, row: &ProjectRow, releases: &[ReleaseRow]) -> ProjectView {
    ProjectView {
        id: project_ap_id(app, &row.slug),
        slug: row.slug.clone(),
        handle: format!("{}@{}", row.slug, app.settings.domain),
        api_url: format!(
            "{}/api/v1/orgs/{org_slug}/projects/{}",
            app.base_url(),
            row.slug
        ),
        data: ProjectData::from_row(row),
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
        .ok_or_else(|| AppError::Internal(format!("project {slug} has no actor")))?;
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
        .ok_or_else(|| AppError::Internal(format!("project {slug} has no actor")))?;
    let org_actor_id = db::accounts::find_org_actor_id(&mut conn, row.org_id)
        .await?
        .ok_or_else(|| AppError::Internal("project without org".into()))?;
    let org = db::accounts::find_org_by_actor(&mut conn, org_actor_id)
        .await?
        .ok_or_else(|| AppError::Internal("project without org".into()))?;
    let releases = db::projects::list_releases(&mut conn, row.id).await?;
    Ok((row, actor, org, releases))
}

pub async fn list(app: &App, org_slug: &str) -> Result<Vec<ProjectView>, AppError> {
    let (org, _) = find_org(app, org_slug).await?;
    let mut conn = app.db.conn().await?;
    let rows = db::projects::list_org_projects(&mut conn, org.id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let releases = db::projects::list_releases(&mut conn, r.id).await?;
        out.push(view_with(app, org_slug, r, &releases));
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

/// Creates a project with its actor and announces it.
pub async fn create(
    app: &App,
    user: &UserRow,
    org_slug: &str,
    patch: ProjectPatch,
) -> Result<ProjectRow, ProjectError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let slug_input = patch.slug.clone();
    let mut data = ProjectData::default()
        .apply(patch)
        .map_err(ProjectError::Fields)?;
    let slug = match slug_input {
        Some(s) => Username::parse(&s, "project slug")
            .map_err(|e| ProjectError::Fields(vec![FieldError::new("slug", e.public_message())]))?,
        None => Username::parse(&slugify(&data.name), "project slug")?,
    };
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
) -> Result<ProjectRow, ProjectError> {
    let mut actor = new_local_actor(app, LocalKind::Project, slug, &data.name).await?;
    actor.summary = String::new();
    let fields = data.fields(app, source_url, source_yaml)?;
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    if db::actors::find_local_actor_by_username(&mut tx, slug)
        .await?
        .is_some()
    {
        return Err(ProjectError::Fields(vec![FieldError::new(
            "slug",
            format!("the name {slug:?} is already taken by a person, organization or project"),
        )]));
    }
    let actor = db::actors::insert_actor(&mut tx, &actor, now).await?;
    let row = db::projects::insert_project(&mut tx, org.id, actor.id, slug, &fields, now).await?;
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
    app.delivery_wakeup.notify_one();
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
        "[]",
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
) -> Result<ProjectRow, ProjectError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (row, actor) = find_project(app, &org, slug).await?;
    if patch.slug.as_deref().is_some_and(|s| s != row.slug) {
        return Err(ProjectError::Fields(vec![FieldError::new(
            "slug",
            "cannot be changed: it is the project's ActivityPub id and WebFinger name",
        )]));
    }
    let mut data = ProjectData::from_row(&row)
        .apply(patch)
        .map_err(ProjectError::Fields)?;
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
) -> Result<ProjectRow, ProjectError> {
    let old_status = row.development_status.clone();
    let fields = data.fields(app, source_url, source_yaml)?;
    // `updated` must grow so receivers apply the Update (Mastodon OB-15 / AC-8).
    let now = db::now_micros().max(row.updated + 1000);
    let mut tx = app.db.begin().await?;
    let updated = db::projects::update_project(&mut tx, row.id, &fields, now).await?;
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
    app.delivery_wakeup.notify_one();
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
) -> Result<ProjectRow, ProjectError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (row, actor) = find_project(app, &org, slug).await?;
    let mut errors = Vec::new();
    let version = strip_html(input.version.trim()).trim().to_string();
    if version.is_empty() || version.chars().count() > 100 {
        errors.push(FieldError::new("version", "must have 1 to 100 characters"));
    }
    let date = match input.date.as_deref().map(str::trim) {
        None | Some("") => Some(chrono::Utc::now().format("%Y-%m-%d").to_string()),
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
        return Err(ProjectError::Fields(errors));
    }
    let notes_html = render_markdown(&input.notes, |t| format!("{}/tags/{t}", app.base_url())).0;
    let now = db::now_micros().max(row.updated + 1000);
    let mut tx = app.db.begin().await?;
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
        ProjectData::from_row(&row).fields(app, row.source_url.clone(), row.source_yaml.clone())?;
    let updated = db::projects::update_project(&mut tx, row.id, &fields, now).await?;
    send_update(app, &mut tx, &updated, &actor).await?;
    let text = release_text(&updated, &version, &notes_html);
    post_news(app, &mut tx, &updated, &actor, &org_actor, &text).await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(updated)
}

/// Deletes a project: followers get `Delete` of the actor, its URL answers 410, and the
/// slug is never reused.
pub async fn delete(app: &App, user: &UserRow, org_slug: &str, slug: &str) -> Result<(), AppError> {
    let (org, _) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (row, actor) = find_project(app, &org, slug).await?;
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    db::projects::mark_project_deleted(&mut tx, row.id, now).await?;
    let activity = Activity {
        id: new_activity_id(app),
        kind: "Delete",
        actor: actor.ap_id.clone(),
        object: Value::String(actor.ap_id.clone()),
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![actor.followers.clone()],
        published: Some(format_time(now)),
    };
    let inboxes = follower_inboxes(&mut tx, actor.id).await?;
    enqueue(
        app,
        &mut tx,
        &actor,
        &activity,
        Some(&actor.ap_id),
        true,
        &inboxes,
    )
    .await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(())
}

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
) -> Result<(ProjectRow, bool), ProjectError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (yaml, source_url) = match source {
        ImportSource::Document(y) => (y, None),
        ImportSource::Url(u) => {
            let url = Url::parse(u.trim()).map_err(|_| {
                ProjectError::Fields(vec![FieldError::new("url", format!("{u:?} is not a URL"))])
            })?;
            let text =
                app.http.fetch_text(&url).await.map_err(|e| {
                    ProjectError::Fields(vec![FieldError::new("url", e.to_string())])
                })?;
            (text, Some(url.to_string()))
        }
    };
    let pc =
        publiccode::parse(&yaml, &app.settings.default_language).map_err(ProjectError::Fields)?;
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
    let mut data = base
        .apply(patch_from_publiccode(&pc, source_url.as_deref()))
        .map_err(|errs| {
            // Map our field names back to the document's keys.
            ProjectError::Fields(
                errs.into_iter()
                    .map(|e| FieldError::new(publiccode_key(&e.field), e.message))
                    .collect(),
            )
        })?;
    ensure_owner_first(&mut data, &org_actor);
    let release = pc
        .software_version
        .clone()
        .map(|v| (v, pc.release_date.clone()));
    match existing {
        Some(row) => {
            let mut conn = app.db.conn().await?;
            let actor = db::actors::find_actor_by_id(&mut conn, row.actor_id)
                .await?
                .ok_or_else(|| AppError::Internal("project without actor".into()))?;
            drop(conn);
            let row = save(
                app,
                &row,
                &actor,
                &org_actor,
                data,
                source_url,
                Some(yaml),
                release,
            )
            .await?;
            Ok((row, false))
        }
        None => {
            let slug = match slug {
                Some(s) => Username::parse(&s, "project slug").map_err(|e| {
                    ProjectError::Fields(vec![FieldError::new("slug", e.public_message())])
                })?,
                None => Username::parse(&slugify(&pc.name), "project slug")?,
            };
            let row = insert_new(
                app,
                &org,
                &org_actor,
                slug.as_str(),
                &data,
                source_url,
                Some(yaml),
                release,
            )
            .await?;
            Ok((row, true))
        }
    }
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

/// The ActivityPub document of a local project actor.
pub fn project_document(
    app: &App,
    row: &ProjectRow,
    actor: &ActorRow,
    releases: &[ReleaseRow],
) -> ProjectActor {
    let link = |u: &str| {
        format!(
            "<a href=\"{0}\" rel=\"me nofollow noopener\" target=\"_blank\">{0}</a>",
            escape_attr(u)
        )
    };
    let data = ProjectData::from_row(row);
    let mut attachment = Vec::new();
    if let Some(l) = &data.license {
        attachment.push(property("Lizenz / License", escape_attr(l)));
    }
    if let Some(r) = &data.repository {
        attachment.push(property("Repository", link(r)));
    }
    if let Some(w) = &data.website {
        attachment.push(property("Website", link(w)));
    }
    if let Some(s) = &data.development_status {
        attachment.push(property("Status", escape_attr(s)));
    }
    if let Some(r) = releases.first() {
        attachment.push(property("Version", escape_attr(&r.version)));
    }
    if !data.languages.is_empty() {
        attachment.push(property(
            "Languages",
            escape_attr(&data.languages.join(", ")),
        ));
    }
    let mut summary = String::new();
    if !row.summary.is_empty() {
        summary.push_str(&format!("<p>{}</p>", escape_attr(&row.summary)));
    }
    summary.push_str(&row.description_html);
    ProjectActor {
        context: project_context(),
        id: actor.ap_id.clone(),
        kind: ["Project", "Service"],
        preferred_username: actor.username.clone(),
        name: row.name.clone(),
        summary,
        short_description: row.summary.clone(),
        description_markdown: row.description_md.clone(),
        url: actor.ap_id.clone(),
        inbox: actor.inbox.clone(),
        outbox: actor.outbox.clone(),
        followers: actor.followers.clone(),
        following: actor.following.clone(),
        endpoints: Endpoints {
            shared_inbox: actor
                .shared_inbox
                .clone()
                .unwrap_or_else(|| format!("{}/inbox", app.base_url())),
        },
        public_key: PublicKey {
            id: actor.key_id.clone(),
            owner: actor.ap_id.clone(),
            public_key_pem: actor.public_key_pem.clone(),
        },
        manually_approves_followers: false,
        discoverable: true,
        indexable: true,
        published: format_time(row.published),
        updated: format_time(row.updated),
        icon: data.logo.clone().map(|url| Image {
            kind: "Image",
            url,
            media_type: None,
            name: Some(format!("Logo {}", row.name)),
        }),
        attachment,
        webfinger: format!("{}@{}", actor.username, app.settings.domain),
        license: data.license.clone(),
        code_repository: data.repository.clone(),
        homepage: data.website.clone(),
        programming_language: data.languages.clone(),
        keywords: data.topics.clone(),
        development_status: data.development_status.clone(),
        maintenance_type: data.maintenance_type.clone(),
        application_category: data.software_type.clone(),
        operating_system: data.platforms.clone(),
        maintainer: data.maintainers.clone(),
        funder: data.funders.clone(),
        used_by: data.users.clone(),
        award: data.awards.clone(),
        software_version: releases.first().map(|r| r.version.clone()),
        releases: releases
            .iter()
            .map(|r| Release {
                kind: "Release",
                version: r.version.clone(),
                date_published: r.release_date.clone(),
                release_notes: r.notes.clone(),
            })
            .collect(),
        source: row.source_yaml.as_ref().map(|_| SourceLink {
            kind: "Link",
            href: format!("{}/publiccode.yml", actor.ap_id),
            media_type: "application/yaml",
            name: "publiccode.yml",
        }),
    }
}

/// `Update{Project}` with the project's current document.
async fn update_activity(
    app: &App,
    conn: &mut db::Conn,
    row: &ProjectRow,
    actor: &ActorRow,
) -> Result<Activity, AppError> {
    let releases = db::projects::list_releases(conn, row.id).await?;
    let mut doc = serde_json::to_value(project_document(app, row, actor, &releases))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(o) = doc.as_object_mut() {
        o.remove("@context");
    }
    Ok(Activity {
        id: new_activity_id(app),
        kind: "Update",
        actor: actor.ap_id.clone(),
        object: doc,
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![actor.followers.clone()],
        published: Some(format_time(row.updated)),
    })
}

/// A newly accepted follower of a project gets its current document right away as
/// `Update{Project}` (to its inbox only, after the `Accept`), so a following Revier instance has
/// the full copy without waiting for the project's next change. Does nothing when `target` is
/// not a live local project. Runs in the caller's transaction.
pub async fn send_copy_to_follower(
    app: &App,
    conn: &mut db::Conn,
    target: &ActorRow,
    follower: &ActorRow,
) -> Result<(), AppError> {
    if target.local != 1 || target.kind != LocalKind::Project.as_str() {
        return Ok(());
    }
    let Some(slug) = target.local_username.as_deref() else {
        return Ok(());
    };
    let Some(row) = db::projects::find_project_by_slug(conn, slug)
        .await?
        .filter(|p| p.actor_id == target.id && p.deleted_at.is_none())
    else {
        return Ok(());
    };
    let activity = update_activity(app, conn, &row, target).await?;
    enqueue(
        app,
        conn,
        target,
        &activity,
        None,
        false,
        std::slice::from_ref(&follower.inbox),
    )
    .await?;
    Ok(())
}

/// Sends `Update{Project}` to the project's followers.
async fn send_update(
    app: &App,
    conn: &mut db::Conn,
    row: &ProjectRow,
    actor: &ActorRow,
) -> Result<(), AppError> {
    let activity = update_activity(app, conn, row, actor).await?;
    let inboxes = follower_inboxes(conn, actor.id).await?;
    // Not public in the outbox: the outbox lists the news posts.
    enqueue(
        app,
        conn,
        actor,
        &activity,
        Some(&actor.ap_id),
        false,
        &inboxes,
    )
    .await?;
    Ok(())
}

pub fn post_ap_id(app: &App, slug: &str, id: i64) -> String {
    format!("{}/projects/{slug}/posts/{id}", app.base_url())
}

/// The `Note` of a news post by the project.
pub fn post_document(
    app: &App,
    row: &ProjectRow,
    actor: &ActorRow,
    post: &db::projects::PostRow,
) -> Value {
    let id = post_ap_id(app, &row.slug, post.id);
    json!({
        "id": id,
        "type": "Note",
        "attributedTo": actor.ap_id,
        "content": post.content_html,
        "contentMap": { post.language.clone(): post.content_html },
        "url": actor.ap_id,
        "published": format_time(post.published),
        "to": [revier_federation::PUBLIC],
        "cc": [actor.followers],
        "context": actor.ap_id,
        "tag": [],
        "sensitive": false
    })
}

/// Posts news: `Create{Note}` by the project to its followers, and `Announce` of that note
/// by each local maintaining organization to the org's followers (inboxes de-duplicated per
/// activity; Mastodon fans out a shared-inbox delivery per followed actor, so the same shared
/// inbox must get both).
async fn post_news(
    app: &App,
    conn: &mut db::Conn,
    row: &ProjectRow,
    actor: &ActorRow,
    owner_org: &ActorRow,
    html: &str,
) -> Result<(), AppError> {
    let now = db::now_micros();
    let html = sanitize_html(html);
    let post =
        db::projects::insert_post(conn, row.id, &html, &app.settings.default_language, now).await?;
    let note = post_document(app, row, actor, &post);
    let note_id = post_ap_id(app, &row.slug, post.id);
    let create = Activity {
        id: new_activity_id(app),
        kind: "Create",
        actor: actor.ap_id.clone(),
        object: note,
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![actor.followers.clone()],
        published: Some(format_time(now)),
    };
    let inboxes = follower_inboxes(conn, actor.id).await?;
    enqueue(app, conn, actor, &create, Some(&note_id), true, &inboxes).await?;
    let mut orgs = vec![owner_org.clone()];
    for m in ProjectData::from_row(row).maintainers {
        if orgs.iter().any(|o| o.ap_id == m) {
            continue;
        }
        if let Some(a) = db::actors::find_actor_by_ap_id(conn, &m).await? {
            if a.local == 1 && a.kind == "Group" {
                orgs.push(a);
            }
        }
    }
    for org in orgs {
        let announce = Activity {
            id: new_activity_id(app),
            kind: "Announce",
            actor: org.ap_id.clone(),
            object: Value::String(note_id.clone()),
            to: vec![revier_federation::PUBLIC.into()],
            cc: vec![org.followers.clone(), actor.ap_id.clone()],
            published: Some(format_time(now)),
        };
        let inboxes = follower_inboxes(conn, org.id).await?;
        enqueue(app, conn, &org, &announce, Some(&note_id), true, &inboxes).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- remote projects

/// A remote project as stored and shown (another Revier instance's project actor).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct RemoteProject {
    pub id: String,
    /// `preferredUsername@host`.
    pub handle: String,
    pub url: String,
    #[serde(flatten)]
    pub data: ProjectData,
    /// Sanitized HTML of the description.
    pub description_html: String,
    pub releases: Vec<ReleaseView>,
    pub software_version: Option<String>,
    /// Link to the original publiccode.yml, if the origin keeps one.
    pub publiccode_url: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
}

fn strings(v: Option<&Value>, max_len: usize) -> Vec<String> {
    let items: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::String(_)) => vec![s],
        _ => vec![],
    };
    items
        .into_iter()
        .filter_map(|x| match x {
            Value::String(s) => Some(s.as_str()),
            Value::Object(_) => x.get("name").and_then(Value::as_str),
            _ => None,
        })
        .map(|s| truncate_chars(strip_html(s).trim(), max_len))
        .filter(|s| !s.is_empty())
        .take(MAX_LIST)
        .collect()
}

fn text(v: Option<&Value>, max_len: usize) -> Option<String> {
    v.and_then(Value::as_str)
        .map(|s| truncate_chars(strip_html(s).trim(), max_len))
        .filter(|s| !s.is_empty())
}

fn url_of(v: Option<&Value>) -> Option<String> {
    let s = v.and_then(|v| match v {
        Value::Object(_) => v.get("url").and_then(value_id).or_else(|| value_id(v)),
        _ => value_id(v),
    })?;
    let u = Url::parse(s).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// Maps a remote project actor document (ours or compatible) to a stored project; every
/// string is stripped or sanitized and bounded.
pub fn parse_remote_project(app: &App, json: &Value, id: &str) -> RemoteProject {
    let description = json
        .get("descriptionMarkdown")
        .and_then(Value::as_str)
        .map(|s| truncate_chars(s, 50_000))
        .unwrap_or_default();
    let description_html = if description.is_empty() {
        sanitize_html(
            json.get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        )
    } else {
        render_markdown(&description, |t| format!("{}/tags/{t}", app.base_url())).0
    };
    let enum_of = |key: &str, allowed: &[&str]| {
        text(json.get(key), 100).filter(|s| allowed.contains(&s.as_str()))
    };
    let host = Url::parse(id)
        .ok()
        .and_then(|u| crate::domain::outgoing::host_key(&u))
        .unwrap_or_default();
    let username = text(json.get("preferredUsername"), 64).unwrap_or_default();
    let releases = json
        .get("releases")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .take(500)
                .filter_map(|r| {
                    Some(ReleaseView {
                        version: text(r.get("version"), 100)?,
                        date: text(r.get("datePublished"), 10)
                            .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok()),
                        notes: r
                            .get("releaseNotes")
                            .and_then(Value::as_str)
                            .map(|s| truncate_chars(s, 10_000))
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    RemoteProject {
        id: id.to_string(),
        handle: format!("{username}@{host}"),
        url: url_of(json.get("url")).unwrap_or_else(|| id.to_string()),
        data: ProjectData {
            name: text(json.get("name"), 200).unwrap_or_else(|| username.clone()),
            summary: text(json.get("shortDescription"), 500).unwrap_or_default(),
            description,
            repository: url_of(json.get("codeRepository")),
            website: url_of(json.get("homepage")),
            license: text(json.get("license"), 500).filter(|l| SpdxLicense::parse(l).is_ok()),
            languages: strings(json.get("programmingLanguage"), MAX_ITEM),
            topics: strings(json.get("keywords"), MAX_ITEM),
            development_status: enum_of("developmentStatus", DEVELOPMENT_STATUSES),
            maintenance_type: enum_of("maintenanceType", MAINTENANCE_TYPES),
            software_type: enum_of("applicationCategory", SOFTWARE_TYPES),
            platforms: strings(json.get("operatingSystem"), MAX_ITEM),
            maintainers: match json.get("maintainer") {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|m| url_of(Some(m)))
                    .take(MAX_LIST)
                    .collect(),
                Some(m) => url_of(Some(m)).into_iter().collect(),
                None => vec![],
            },
            funders: strings(json.get("funder"), MAX_ITEM),
            users: strings(json.get("usedBy"), MAX_ITEM),
            awards: strings(json.get("award"), MAX_ITEM),
            logo: url_of(json.get("icon")),
        },
        description_html,
        releases,
        software_version: text(json.get("softwareVersion"), 100),
        publiccode_url: json.get("source").and_then(|s| url_of(s.get("href"))),
        published: text(json.get("published"), 40),
        updated: text(json.get("updated"), 40),
    }
}

/// `Create`/`Update` of a remote project (another Revier instance).
pub async fn receive_remote_project(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    object: &Value,
    _is_update: bool,
) -> Result<Received, InboxError> {
    // A project is its own actor: only it may publish itself.
    if oid.as_str() != actor.ap_id || value_id(object) != Some(actor.ap_id.as_str()) {
        return Err(InboxError::BadRequest(
            "a project may only be published by its own actor".into(),
        ));
    }
    if value_type(object) != Some("Project") {
        return Ok(Received::Ignored);
    }
    let mut conn = app.db.conn().await?;
    // Kept only when someone here follows the project (Mastodon OB-11 does the same). A follow
    // still waiting for its Accept counts: the project sends its copy right after the Accept,
    // and deliveries run in parallel, so the copy may arrive first.
    if !db::follows::has_local_follow_request(&mut conn, actor.id).await? {
        return Ok(Received::Ignored);
    }
    let updated = object
        .get("updated")
        .and_then(Value::as_str)
        .and_then(parse_time)
        .unwrap_or_else(db::now_micros);
    if let Some(known) = db::projects::find_remote_project(&mut conn, &actor.ap_id).await? {
        if known.updated >= updated {
            return Ok(Received::Ignored);
        }
    }
    drop(conn);
    // The actor part (name, keys, inboxes) refreshes like any actor Update.
    let parsed = crate::domain::remote::parse_remote_actor(object, &actor.ap_id, None)
        .map_err(|e| InboxError::BadRequest(e.to_string()))?;
    crate::domain::remote::store_actor(app, &parsed)
        .await
        .map_err(|e| InboxError::Internal(e.to_string()))?;
    let project = parse_remote_project(app, object, &actor.ap_id);
    let data = serde_json::to_string(&project).map_err(|e| InboxError::Internal(e.to_string()))?;
    let mut conn = app.db.conn().await?;
    db::projects::upsert_remote_project(
        &mut conn,
        &actor.ap_id,
        actor.id,
        &project.data.name,
        &data,
        updated,
        db::now_micros(),
    )
    .await?;
    Ok(Received::Processed)
}

/// `Delete` of a remote project; true when something was removed.
pub async fn receive_remote_delete(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
) -> Result<bool, InboxError> {
    let mut conn = app.db.conn().await?;
    Ok(db::projects::delete_remote_project(&mut conn, oid.as_str(), actor.id).await?)
}

/// Remote projects known here (from followed project actors).
pub async fn list_remote(app: &App) -> Result<Vec<RemoteProject>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::projects::list_remote_projects(&mut conn, 500)
        .await?
        .into_iter()
        .filter_map(|r| serde_json::from_str(&r.data).ok())
        .collect())
}

/// Checks what an announcement may be about: the ActivityPub id of a local project or event,
/// or of a remote one (http(s)). `""` means nothing.
pub async fn check_about(app: &App, about: &str) -> Result<Option<String>, AppError> {
    let about = about.trim();
    if about.is_empty() {
        return Ok(None);
    }
    let invalid = |why: &str| AppError::Invalid(format!("about {about:?} {why}"));
    let url = Url::parse(about).map_err(|_| invalid("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid("is not an http(s) URL"));
    }
    let local = crate::domain::outgoing::host_key(&url)
        .is_some_and(|h| h.eq_ignore_ascii_case(&app.settings.domain));
    if !local {
        return Ok(Some(url.to_string()));
    }
    let path = url.path();
    if let Some(slug) = path.strip_prefix("/projects/") {
        let mut conn = app.db.conn().await?;
        let live = db::projects::find_project_by_slug(&mut conn, slug)
            .await?
            .is_some_and(|p| p.deleted_at.is_none());
        return if live {
            Ok(Some(url.to_string()))
        } else {
            Err(invalid("names no project of this instance"))
        };
    }
    if path.starts_with("/events/") {
        return Ok(Some(url.to_string()));
    }
    Err(invalid("is neither an event nor a project"))
}
