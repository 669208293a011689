//! Remote projects (another Revier instance's project actors): parsing their documents,
//! storing and deleting them, and checking what an announcement may be about.

use super::*;
use crate::domain::text::{plain_text_capped, sanitize_html_capped, MAX_REMOTE_HTML_CHARS};

/// Most releases kept of a remote project (newest first as sent), each with at most 10 k
/// characters of notes (issue 6 defect 6).
const MAX_REMOTE_RELEASES: usize = 100;

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
        .map(|s| plain_text_capped(s, max_len).trim().to_string())
        .filter(|s| !s.is_empty())
        .take(MAX_LIST)
        .collect()
}

fn text(v: Option<&Value>, max_len: usize) -> Option<String> {
    v.and_then(Value::as_str)
        .map(|s| plain_text_capped(s, max_len).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn url_of(v: Option<&Value>) -> Option<String> {
    let s = v.and_then(|v| match v {
        Value::Object(_) => v.get("url").and_then(value_id).or_else(|| value_id(v)),
        _ => value_id(v),
    })?;
    // The one rule for remote URLs: http(s) only, else dropped.
    crate::domain::text::remote_http_url(s)
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
        sanitize_html_capped(
            json.get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            MAX_REMOTE_HTML_CHARS,
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
                .take(MAX_REMOTE_RELEASES)
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
    let parsed = crate::domain::remote_actors::parse_remote_actor(object, &actor.ap_id, None)
        .map_err(|e| InboxError::BadRequest(e.to_string()))?;
    crate::domain::remote_actors::store_actor(app, &parsed)
        .await
        .map_err(crate::domain::inbox::from_app_error)?;
    let project = parse_remote_project(app, object, &actor.ap_id);
    let data = serde_json::to_string(&project).map_err(|e| InboxError::Internal(e.into()))?;
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

/// Remote projects known here (from followed project actors), `limit` from `offset`.
pub async fn list_remote(
    app: &App,
    limit: i64,
    offset: i64,
) -> Result<Vec<RemoteProject>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::projects::list_remote_projects(&mut conn, limit, offset)
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
