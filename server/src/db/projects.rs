//! SQL for projects (issue 3): local projects, their releases and news posts, and copies of
//! remote projects. Lists are JSON arrays in TEXT columns.

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, FromRow};

use super::{decode_flag, decode_json, encode_list, Audience, Conn};

/// A stored local project (a deleted one keeps its row, with `deleted_at`).
#[derive(Debug, Clone)]
pub struct ProjectRow {
    pub id: i64,
    pub org_id: i64,
    pub actor_id: i64,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description_md: String,
    pub description_html: String,
    pub repository: Option<String>,
    pub website: Option<String>,
    pub license: Option<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub development_status: Option<String>,
    pub maintenance_type: Option<String>,
    pub software_type: Option<String>,
    pub platforms: Vec<String>,
    pub maintainers: Vec<String>,
    pub funders: Vec<String>,
    pub users: Vec<String>,
    pub awards: Vec<String>,
    pub logo: Option<String>,
    pub source_url: Option<String>,
    pub source_yaml: Option<String>,
    pub published: i64,
    pub updated: i64,
    pub deleted_at: Option<i64>,
    /// Hidden by a moderator (issue 9): out of every public view, still on the editors' list.
    pub hidden: bool,
}

/// A `projects` row as stored: lists as JSON text.
#[derive(FromRow)]
struct ProjectRecord {
    id: i64,
    org_id: i64,
    actor_id: i64,
    slug: String,
    name: String,
    summary: String,
    description_md: String,
    description_html: String,
    repository: Option<String>,
    website: Option<String>,
    license: Option<String>,
    languages: String,
    topics: String,
    development_status: Option<String>,
    maintenance_type: Option<String>,
    software_type: Option<String>,
    platforms: String,
    maintainers: String,
    funders: String,
    users: String,
    awards: String,
    logo: Option<String>,
    source_url: Option<String>,
    source_yaml: Option<String>,
    published: i64,
    updated: i64,
    deleted_at: Option<i64>,
    hidden: i64,
}

impl TryFrom<ProjectRecord> for ProjectRow {
    type Error = sqlx::Error;

    fn try_from(r: ProjectRecord) -> Result<Self, Self::Error> {
        Ok(ProjectRow {
            id: r.id,
            org_id: r.org_id,
            actor_id: r.actor_id,
            slug: r.slug,
            name: r.name,
            summary: r.summary,
            description_md: r.description_md,
            description_html: r.description_html,
            repository: r.repository,
            website: r.website,
            license: r.license,
            languages: decode_json("projects.languages", &r.languages)?,
            topics: decode_json("projects.topics", &r.topics)?,
            development_status: r.development_status,
            maintenance_type: r.maintenance_type,
            software_type: r.software_type,
            platforms: decode_json("projects.platforms", &r.platforms)?,
            maintainers: decode_json("projects.maintainers", &r.maintainers)?,
            funders: decode_json("projects.funders", &r.funders)?,
            users: decode_json("projects.users", &r.users)?,
            awards: decode_json("projects.awards", &r.awards)?,
            logo: r.logo,
            source_url: r.source_url,
            source_yaml: r.source_yaml,
            published: r.published,
            updated: r.updated,
            deleted_at: r.deleted_at,
            hidden: decode_flag("projects.hidden", r.hidden)?,
        })
    }
}

const COLUMNS: &str =
    "id, org_id, actor_id, slug, name, summary, description_md, description_html, \
    repository, website, license, languages, topics, development_status, maintenance_type, \
    software_type, platforms, maintainers, funders, users, awards, logo, source_url, source_yaml, \
    published, updated, deleted_at, hidden";

/// The editable columns of a project.
#[derive(Debug, Clone, Default)]
pub struct ProjectFields {
    pub name: String,
    pub summary: String,
    pub description_md: String,
    pub description_html: String,
    pub repository: Option<String>,
    pub website: Option<String>,
    pub license: Option<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub development_status: Option<String>,
    pub maintenance_type: Option<String>,
    pub software_type: Option<String>,
    pub platforms: Vec<String>,
    pub maintainers: Vec<String>,
    pub funders: Vec<String>,
    pub users: Vec<String>,
    pub awards: Vec<String>,
    pub logo: Option<String>,
    pub source_url: Option<String>,
    pub source_yaml: Option<String>,
}

/// The editable columns, in `bind_fields` order.
const FIELD_COLUMNS: [&str; 20] = [
    "name",
    "summary",
    "description_md",
    "description_html",
    "repository",
    "website",
    "license",
    "languages",
    "topics",
    "development_status",
    "maintenance_type",
    "software_type",
    "platforms",
    "maintainers",
    "funders",
    "users",
    "awards",
    "logo",
    "source_url",
    "source_yaml",
];

/// Binds the editable fields in `FIELD_COLUMNS` order, as `$1..$20`.
fn bind_fields<'q>(
    q: QueryAs<'q, Any, ProjectRecord, AnyArguments<'q>>,
    f: &'q ProjectFields,
) -> QueryAs<'q, Any, ProjectRecord, AnyArguments<'q>> {
    q.bind(&f.name)
        .bind(&f.summary)
        .bind(&f.description_md)
        .bind(&f.description_html)
        .bind(&f.repository)
        .bind(&f.website)
        .bind(&f.license)
        .bind(encode_list(&f.languages))
        .bind(encode_list(&f.topics))
        .bind(&f.development_status)
        .bind(&f.maintenance_type)
        .bind(&f.software_type)
        .bind(encode_list(&f.platforms))
        .bind(encode_list(&f.maintainers))
        .bind(encode_list(&f.funders))
        .bind(encode_list(&f.users))
        .bind(encode_list(&f.awards))
        .bind(&f.logo)
        .bind(&f.source_url)
        .bind(&f.source_yaml)
}

/// `$from, $from+1, ..` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn insert_project(
    conn: &mut Conn,
    org_id: i64,
    actor_id: i64,
    slug: &str,
    f: &ProjectFields,
    now: i64,
) -> Result<ProjectRow, sqlx::Error> {
    let n = FIELD_COLUMNS.len();
    let sql = format!(
        "INSERT INTO projects ({}, org_id, actor_id, slug, published, updated) \
         VALUES ({}, ${}) RETURNING {COLUMNS}",
        FIELD_COLUMNS.join(", "),
        placeholders(1, n + 4),
        n + 4
    );
    bind_fields(sqlx::query_as(&sql), f)
        .bind(org_id)
        .bind(actor_id)
        .bind(slug)
        .bind(now)
        .fetch_one(conn)
        .await?
        .try_into()
}

pub async fn update_project(
    conn: &mut Conn,
    id: i64,
    f: &ProjectFields,
    now: i64,
) -> Result<ProjectRow, sqlx::Error> {
    let n = FIELD_COLUMNS.len();
    let sets = FIELD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE projects SET {sets}, updated = ${} WHERE id = ${} RETURNING {COLUMNS}",
        n + 1,
        n + 2
    );
    bind_fields(sqlx::query_as(&sql), f)
        .bind(now)
        .bind(id)
        .fetch_one(conn)
        .await?
        .try_into()
}

/// Marks a project deleted; its slug (and so its actor id) is never reused.
pub async fn mark_project_deleted(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET deleted_at = $1, source_yaml = NULL WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_project_by_slug(
    conn: &mut Conn,
    slug: &str,
) -> Result<Option<ProjectRow>, sqlx::Error> {
    sqlx::query_as::<_, ProjectRecord>(&format!("SELECT {COLUMNS} FROM projects WHERE slug = $1"))
        .bind(slug.to_ascii_lowercase())
        .fetch_optional(conn)
        .await?
        .map(ProjectRow::try_from)
        .transpose()
}

/// The live project of an org imported from a publiccode.yml URL.
pub async fn find_project_by_source_url(
    conn: &mut Conn,
    org_id: i64,
    source_url: &str,
) -> Result<Option<ProjectRow>, sqlx::Error> {
    sqlx::query_as::<_, ProjectRecord>(&format!(
        "SELECT {COLUMNS} FROM projects WHERE org_id = $1 AND source_url = $2 AND deleted_at IS NULL \
         ORDER BY id LIMIT 1"
    ))
    .bind(org_id)
    .bind(source_url)
    .fetch_optional(conn)
    .await?
    .map(ProjectRow::try_from)
    .transpose()
}

/// Live projects of an org, by name; for the public without hidden ones.
pub async fn list_org_projects(
    conn: &mut Conn,
    org_id: i64,
    audience: Audience,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProjectRow>, sqlx::Error> {
    sqlx::query_as::<_, ProjectRecord>(&format!(
        "SELECT {COLUMNS} FROM projects WHERE org_id = $1 AND deleted_at IS NULL{} \
         ORDER BY name, id LIMIT $2 OFFSET $3",
        audience.hidden_condition("")
    ))
    .bind(org_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ProjectRow::try_from)
    .collect()
}

#[derive(Debug, Clone, FromRow)]
pub struct ReleaseRow {
    pub id: i64,
    pub project_id: i64,
    pub version: String,
    pub release_date: Option<String>,
    pub notes: String,
    pub published: i64,
}

/// Adds a release, or updates the date and notes of the same version.
pub async fn upsert_release(
    conn: &mut Conn,
    project_id: i64,
    version: &str,
    release_date: Option<&str>,
    notes: &str,
    now: i64,
) -> Result<ReleaseRow, sqlx::Error> {
    sqlx::query_as::<_, ReleaseRow>(
        "INSERT INTO project_releases (project_id, version, release_date, notes, published) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, version) DO UPDATE SET \
         release_date = excluded.release_date, notes = excluded.notes \
         RETURNING id, project_id, version, release_date, notes, published",
    )
    .bind(project_id)
    .bind(version)
    .bind(release_date)
    .bind(notes)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Releases of a project, newest first.
pub async fn list_releases(
    conn: &mut Conn,
    project_id: i64,
) -> Result<Vec<ReleaseRow>, sqlx::Error> {
    sqlx::query_as::<_, ReleaseRow>(
        "SELECT id, project_id, version, release_date, notes, published FROM project_releases \
         WHERE project_id = $1 ORDER BY COALESCE(release_date, '') DESC, id DESC",
    )
    .bind(project_id)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct PostRow {
    pub id: i64,
    pub project_id: i64,
    pub content_html: String,
    pub language: String,
    pub published: i64,
}

pub async fn insert_post(
    conn: &mut Conn,
    project_id: i64,
    content_html: &str,
    language: &str,
    now: i64,
) -> Result<PostRow, sqlx::Error> {
    sqlx::query_as::<_, PostRow>(
        "INSERT INTO project_posts (project_id, content_html, language, published) \
         VALUES ($1, $2, $3, $4) RETURNING id, project_id, content_html, language, published",
    )
    .bind(project_id)
    .bind(content_html)
    .bind(language)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn find_post(conn: &mut Conn, id: i64) -> Result<Option<PostRow>, sqlx::Error> {
    sqlx::query_as::<_, PostRow>(
        "SELECT id, project_id, content_html, language, published FROM project_posts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Newest posts of a project.
pub async fn list_posts(
    conn: &mut Conn,
    project_id: i64,
    limit: i64,
) -> Result<Vec<PostRow>, sqlx::Error> {
    sqlx::query_as::<_, PostRow>(
        "SELECT id, project_id, content_html, language, published FROM project_posts \
         WHERE project_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(project_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct RemoteProjectRow {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub name: String,
    pub data: String,
    pub updated: i64,
    pub received_at: i64,
}

/// Stores or refreshes the copy of a remote project (by `ap_id`).
pub async fn upsert_remote_project(
    conn: &mut Conn,
    ap_id: &str,
    actor_id: i64,
    name: &str,
    data: &str,
    updated: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO remote_projects (ap_id, actor_id, name, data, updated, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ap_id) DO UPDATE SET \
         name = excluded.name, data = excluded.data, updated = excluded.updated, \
         received_at = excluded.received_at",
    )
    .bind(ap_id)
    .bind(actor_id)
    .bind(name)
    .bind(data)
    .bind(updated)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_remote_project(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<RemoteProjectRow>, sqlx::Error> {
    sqlx::query_as::<_, RemoteProjectRow>(
        "SELECT id, ap_id, actor_id, name, data, updated, received_at FROM remote_projects \
         WHERE ap_id = $1",
    )
    .bind(ap_id)
    .fetch_optional(conn)
    .await
}

pub async fn list_remote_projects(
    conn: &mut Conn,
    limit: i64,
    offset: i64,
) -> Result<Vec<RemoteProjectRow>, sqlx::Error> {
    // A public view: none a moderator hid, none of suspended or limited actors (or limited
    // domains).
    sqlx::query_as::<_, RemoteProjectRow>(&format!(
        "SELECT id, ap_id, actor_id, name, data, updated, received_at FROM remote_projects \
         WHERE hidden = 0 AND actor_id NOT IN {} ORDER BY name, id LIMIT $1 OFFSET $2",
        super::domain_policies::HIDDEN_ACTOR_IDS
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Forgets a remote project; true when one was removed.
pub async fn delete_remote_project(
    conn: &mut Conn,
    ap_id: &str,
    actor_id: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM remote_projects WHERE ap_id = $1 AND actor_id = $2")
        .bind(ap_id)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// A local organization a project lists as maintainer, and whether it confirmed the link.
#[derive(Debug, Clone)]
pub struct MaintainerLinkRow {
    pub org_actor_id: i64,
    pub ap_id: String,
    pub confirmed: bool,
}

/// A maintainer link as stored (`confirmed` as 0/1).
#[derive(FromRow)]
struct MaintainerLinkRecord {
    org_actor_id: i64,
    ap_id: String,
    confirmed: i64,
}

impl TryFrom<MaintainerLinkRecord> for MaintainerLinkRow {
    type Error = sqlx::Error;

    fn try_from(r: MaintainerLinkRecord) -> Result<Self, Self::Error> {
        Ok(MaintainerLinkRow {
            org_actor_id: r.org_actor_id,
            ap_id: r.ap_id,
            confirmed: decode_flag("project_maintainers.confirmed", r.confirmed)?,
        })
    }
}

/// The maintainer links stored for a project (local organizations only).
pub async fn list_maintainer_links(
    conn: &mut Conn,
    project_id: i64,
) -> Result<Vec<MaintainerLinkRow>, sqlx::Error> {
    sqlx::query_as::<_, MaintainerLinkRecord>(
        "SELECT m.org_actor_id, a.ap_id, m.confirmed FROM project_maintainers m \
         JOIN actors a ON a.id = m.org_actor_id WHERE m.project_id = $1 ORDER BY m.org_actor_id",
    )
    .bind(project_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(MaintainerLinkRow::try_from)
    .collect()
}

/// Records a link as confirmed (or withdrawn: claimed again); creates it when missing.
pub async fn set_maintainer_link(
    conn: &mut Conn,
    project_id: i64,
    org_actor_id: i64,
    confirmed: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO project_maintainers (project_id, org_actor_id, confirmed, updated) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (project_id, org_actor_id) \
         DO UPDATE SET confirmed = excluded.confirmed, updated = excluded.updated",
    )
    .bind(project_id)
    .bind(org_actor_id)
    .bind(i64::from(confirmed))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a link (the project no longer lists the organization).
pub async fn delete_maintainer_link(
    conn: &mut Conn,
    project_id: i64,
    org_actor_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM project_maintainers WHERE project_id = $1 AND org_actor_id = $2")
        .bind(project_id)
        .bind(org_actor_id)
        .execute(conn)
        .await?;
    Ok(())
}
