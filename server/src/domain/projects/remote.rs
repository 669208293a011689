//! Remote projects (another Revier instance's project actors): turning the typed document
//! (`revier_federation::incoming::project`) into a stored project under our caps and URL
//! rule, storing and deleting them, and checking what an announcement may be about.

use revier_federation::incoming::project::{Link, ProjectDocument, Release, Texts};
use revier_federation::incoming::value_id;
use revier_federation::protocol::parse_time;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use super::{ProjectData, ReleaseView, MAX_ITEM, MAX_LIST};
use crate::db::{self, actors::ActorRow};
use crate::domain::error::AppError;
use crate::domain::filters::{matches_project, ContentFilter};
use crate::domain::publiccode::{DEVELOPMENT_STATUSES, MAINTENANCE_TYPES, SOFTWARE_TYPES};
use crate::domain::received::{InboxError, Received};
use crate::domain::remote_actors::{actor_from_wire, store_actor};
use crate::domain::spdx::SpdxLicense;
use crate::domain::text::{
    plain_text_capped, remote_http_url, render_markdown, sanitize_html_capped, truncate_chars,
    MAX_REMOTE_HTML_CHARS,
};
use crate::App;

/// Most releases kept of a remote project (newest first as sent), each with at most 10 k
/// characters of notes (issue 6 defect 6).
const MAX_REMOTE_RELEASES: usize = 100;
/// Longest Markdown description kept, as a local one may be.
const MAX_REMOTE_DESCRIPTION: usize = 50_000;
const MAX_RELEASE_NOTES: usize = 10_000;

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

/// Plain text, at most `max_len` characters; blank is absent.
fn remote_text(v: Option<&str>, max_len: usize) -> Option<String> {
    v.map(|s| plain_text_capped(s, max_len).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A list of plain texts, each at most `MAX_ITEM` characters, at most `MAX_LIST` of them.
fn remote_texts(v: &Texts) -> Vec<String> {
    v.0.iter()
        .filter_map(|s| remote_text(Some(s), MAX_ITEM))
        .take(MAX_LIST)
        .collect()
}

/// A link under the one rule for remote URLs: http(s) only, else dropped.
fn remote_link(v: Option<&Link>) -> Option<String> {
    v.and_then(Link::href).and_then(remote_http_url)
}

/// One of a closed set of values, else absent.
fn remote_choice(v: Option<&str>, allowed: &[&str]) -> Option<String> {
    remote_text(v, 100).filter(|s| allowed.contains(&s.as_str()))
}

impl ReleaseView {
    /// A release of a remote project; without a version it is left out.
    fn from_remote(r: &Release) -> Option<ReleaseView> {
        Some(ReleaseView {
            version: remote_text(r.version.as_deref(), 100)?,
            date: remote_text(r.date_published.as_deref(), 10)
                .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok()),
            notes: r
                .release_notes
                .as_deref()
                .map(|s| truncate_chars(s, MAX_RELEASE_NOTES))
                .unwrap_or_default(),
        })
    }
}

impl ProjectData {
    /// The catalogue fields of a remote project; `name` falls back to `username`. Every
    /// string is stripped and bounded, every link checked; the description is Markdown.
    fn from_remote(d: &ProjectDocument, username: &str) -> ProjectData {
        let p = &d.project;
        ProjectData {
            name: remote_text(d.actor.name.as_deref(), 200).unwrap_or_else(|| username.to_string()),
            summary: remote_text(p.short_description.as_deref(), 500).unwrap_or_default(),
            description: p
                .description_markdown
                .as_deref()
                .map(|s| truncate_chars(s, MAX_REMOTE_DESCRIPTION))
                .unwrap_or_default(),
            repository: remote_link(p.code_repository.as_ref()),
            website: remote_link(p.homepage.as_ref()),
            license: remote_text(p.license.as_deref(), 500)
                .filter(|l| SpdxLicense::parse(l).is_ok()),
            languages: remote_texts(&p.programming_language),
            topics: remote_texts(&p.keywords),
            development_status: remote_choice(
                p.development_status.as_deref(),
                DEVELOPMENT_STATUSES,
            ),
            maintenance_type: remote_choice(p.maintenance_type.as_deref(), MAINTENANCE_TYPES),
            software_type: remote_choice(p.application_category.as_deref(), SOFTWARE_TYPES),
            platforms: remote_texts(&p.operating_system),
            maintainers: p
                .maintainers()
                .into_iter()
                .filter_map(|m| remote_link(Some(m)))
                .take(MAX_LIST)
                .collect(),
            funders: remote_texts(&p.funder),
            users: remote_texts(&p.used_by),
            awards: remote_texts(&p.award),
            logo: remote_link(p.icon.as_ref()),
        }
    }
}

impl RemoteProject {
    /// Maps a remote project actor document (ours or compatible) to a stored project; `id`
    /// and `host` are its actor's, as `remote_actors::actor_from_wire` checked them. Every
    /// string is stripped or sanitized and bounded. Hashtags in the description link to
    /// `{base_url}/tags/…` here.
    pub fn from_remote(base_url: &str, d: &ProjectDocument, id: &str, host: &str) -> RemoteProject {
        let p = &d.project;
        // The handle names the project's own `preferredUsername` (an account may also be
        // named by its `webfinger`), at most 64 characters (an account's name up to 2048).
        let username = remote_text(d.actor.preferred_username.as_deref(), 64).unwrap_or_default();
        let data = ProjectData::from_remote(d, &username);
        // Our Markdown source renders as a local description does; without it (ForgeFed),
        // the HTML summary is the description.
        let description_html = if data.description.is_empty() {
            sanitize_html_capped(
                d.actor.summary.as_deref().unwrap_or_default(),
                MAX_REMOTE_HTML_CHARS,
            )
        } else {
            render_markdown(&data.description, |t| format!("{base_url}/tags/{t}")).0
        };
        RemoteProject {
            id: id.to_string(),
            handle: format!("{username}@{host}"),
            url: remote_link(p.url.as_ref()).unwrap_or_else(|| id.to_string()),
            data,
            description_html,
            releases: p
                .releases
                .iter()
                .take(MAX_REMOTE_RELEASES)
                .filter_map(|r| r.0.as_ref().and_then(ReleaseView::from_remote))
                .collect(),
            software_version: remote_text(p.software_version.as_deref(), 100),
            publiccode_url: p.publiccode_href().and_then(remote_http_url),
            published: remote_text(d.actor.published.as_deref(), 40),
            updated: remote_text(p.updated.as_deref(), 40),
        }
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
    store_remote_project(app, actor, oid, object, None).await
}

/// Stores a remote project. Without a source (`None`), only when someone here follows it.
/// Through a source (`Some((source_id, filter))`, issue 10), when it passes the source's
/// filter: it is marked with the source and so reaches the regional directory; a project
/// that no longer passes leaves it.
pub async fn store_remote_project(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    object: &Value,
    source: Option<(i64, &ContentFilter)>,
) -> Result<Received, InboxError> {
    // A project is its own actor: only it may publish itself.
    if oid.as_str() != actor.ap_id || value_id(object) != Some(actor.ap_id.as_str()) {
        return Err(InboxError::BadRequest(
            "a project may only be published by its own actor".into(),
        ));
    }
    // Only an embedded document can be a project (a bare id has no type).
    if !object.is_object() {
        return Ok(Received::Ignored);
    }
    // Never fails on a field: a value of another shape reads as absent.
    let document = ProjectDocument::deserialize(object)
        .map_err(|e| InboxError::BadRequest(format!("the project is not an object: {e}")))?;
    if !document.project.is_project() {
        return Ok(Received::Ignored);
    }
    let mut conn = app.db.conn().await?;
    // Kept only when someone here follows the project (Mastodon OB-11 does the same). A follow
    // still waiting for its Accept counts: the project sends its copy right after the Accept,
    // and deliveries run in parallel, so the copy may arrive first.
    if source.is_none() && !db::follows::has_local_follow_request(&mut conn, actor.id).await? {
        return Ok(Received::Ignored);
    }
    let updated = document
        .project
        .updated
        .as_deref()
        .and_then(parse_time)
        .unwrap_or_else(db::now_micros);
    let known = db::projects::find_remote_project(&mut conn, &actor.ap_id).await?;
    if let Some((source_id, filter)) = source {
        let passes = matches_project(
            filter,
            &remote_texts(&document.project.keywords),
            &actor.ap_id,
            &actor.host,
        );
        if let Some(done) = settle_source(
            &mut conn,
            &actor.ap_id,
            known.as_ref(),
            updated,
            source_id,
            passes,
        )
        .await?
        {
            return Ok(done);
        }
    } else if let Some(known) = &known {
        if known.updated >= updated {
            return Ok(Received::Ignored);
        }
    }
    drop(conn);
    // The actor part (name, keys, inboxes) refreshes like any actor Update.
    let parsed = actor_from_wire(&document.actor, &actor.ap_id, None)
        .map_err(|e| InboxError::BadRequest(e.to_string()))?;
    store_actor(app, &parsed)
        .await
        .map_err(crate::domain::received::from_app_error)?;
    let mut project =
        RemoteProject::from_remote(app.base_url(), &document, &parsed.ap_id, &parsed.host);
    let mut conn = app.db.conn().await?;
    // A domain whose media is rejected gets no logo here, as its events get no banner and its
    // actors no avatar (issue 9).
    if db::domain_policies::is_media_rejected(&mut conn, &parsed.host).await? {
        project.data.logo = None;
    }
    let data = serde_json::to_string(&project).map_err(|e| InboxError::Internal(e.into()))?;
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
    if let Some((source_id, _)) = source {
        db::sources::set_remote_project_source(&mut conn, &actor.ap_id, Some(source_id)).await?;
    }
    Ok(Received::Processed)
}

/// Through a source: what becomes of a project before its document is stored. Some when
/// nothing more is to be done: refused by the filter (a stored one leaves the regional
/// directory), or not newer than the stored copy (which is marked with the source).
async fn settle_source(
    conn: &mut db::Conn,
    ap_id: &str,
    known: Option<&db::projects::RemoteProjectRow>,
    updated: i64,
    source_id: i64,
    passes: bool,
) -> Result<Option<Received>, sqlx::Error> {
    let Some(known) = known else {
        return Ok((!passes).then_some(Received::Ignored));
    };
    let stored = db::sources::find_remote_project_source(conn, ap_id).await?;
    if !passes {
        if stored == Some(source_id) {
            db::sources::set_remote_project_source(conn, ap_id, None).await?;
            return Ok(Some(Received::Processed));
        }
        return Ok(Some(Received::Ignored));
    }
    if known.updated >= updated {
        if stored == Some(source_id) {
            return Ok(Some(Received::Ignored));
        }
        db::sources::set_remote_project_source(conn, ap_id, Some(source_id)).await?;
        return Ok(Some(Received::Processed));
    }
    Ok(None)
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

/// Remote projects known here (from followed project actors), `limit` from `offset`. Logos
/// stored before their domain's media was rejected are left out too.
pub async fn list_remote(
    app: &App,
    limit: i64,
    offset: i64,
) -> Result<Vec<RemoteProject>, AppError> {
    let mut conn = app.db.conn().await?;
    let rows = db::projects::list_remote_projects(&mut conn, limit, offset).await?;
    let mut rejected: std::collections::HashMap<String, bool> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Ok(mut project) = serde_json::from_str::<RemoteProject>(&row.data) else {
            continue;
        };
        // The handle is `username@host` with the host the actor's id was checked against.
        let host = project
            .handle
            .rsplit_once('@')
            .map_or(String::new(), |(_, h)| h.to_ascii_lowercase());
        let media_rejected = match rejected.get(&host) {
            Some(r) => *r,
            None => {
                let r = db::domain_policies::is_media_rejected(&mut conn, &host).await?;
                rejected.insert(host, r);
                r
            }
        };
        if media_rejected {
            project.data.logo = None;
        }
        out.push(project);
    }
    Ok(out)
}

/// Checks what an announcement may be about: the ActivityPub id of a local project or event,
/// or of a remote one (http(s)). `""` means nothing.
pub async fn check_about(app: &App, about: &str) -> Result<Option<String>, AppError> {
    if about.is_empty() {
        return Ok(None);
    }
    let invalid = |why: &str| AppError::Invalid(format!("about {about:?} {why}"));
    if !has_about_form(about) {
        return Err(invalid("is not an http(s) URL of the documented form"));
    }
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

/// The form the API documents for `about` (the OpenAPI pattern in `web::announcements`, which
/// states the same rule): `http(s)://`, host labels of letters, digits and `-`, an optional
/// port, a path of URL characters, no query or fragment. `Url::parse` alone takes more (a `*`
/// in a host, a backslash), which the documented contract refuses.
fn has_about_form(s: &str) -> bool {
    let Some(rest) = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))
    else {
        return false;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let label = |l: &str| {
        l.starts_with(|c: char| c.is_ascii_alphanumeric())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let port_ok = port.is_none_or(|p| {
        (1..=5).contains(&p.len()) && !p.starts_with('0') && p.chars().all(|c| c.is_ascii_digit())
    });
    host.split('.').all(label)
        && port_ok
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._~!$&'()*+,;=:@/-".contains(c))
}

#[cfg(test)]
mod tests {
    #[test]
    fn about_links_have_the_documented_form() {
        for ok in [
            "https://revier.example/events/12",
            "http://127.0.0.1:44679/projects/karte",
            "https://a-b.example:8443/p/x_y~z",
            "https://host.example",
        ] {
            assert!(super::has_about_form(ok), "{ok}");
        }
        for bad in [
            "http://XV.BO0VUkTKaQv*",
            "ftp://revier.example/events/1",
            "HTTPS://revier.example/events/1",
            " https://revier.example/events/1",
            "https://revier.example/events/1?x=1",
            "https://revier.example/events/1#top",
            "https://-a.example/",
            "https://a..example/",
            "https://revier.example:0/",
            "https://revier.example:123456/",
            "https:\\\\revier.example/events/1",
            "https://user@revier.example/",
        ] {
            assert!(!super::has_about_form(bad), "{bad}");
        }
    }

    use super::{RemoteProject, MAX_ITEM};
    use revier_federation::incoming::project::{Link, ProjectDocument, Texts};

    fn fixture(text: &str) -> ProjectDocument {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_revier_project_becomes_the_same_project_here() {
        let p = fixture(include_str!(
            "../../../../tests/fixtures/forgefed/revier-project.json"
        ));
        let id = "https://hub.example/projects/stadtplan";
        let r = RemoteProject::from_remote("https://here.example", &p, id, "hub.example");
        assert_eq!(r.handle, "stadtplan@hub.example");
        assert_eq!(r.url, id);
        assert_eq!(r.data.name, "Stadtplan");
        assert_eq!(r.data.summary, "Ein offener Stadtplan für Kommunen");
        assert!(r
            .description_html
            .contains("<a href=\"https://here.example/tags/opendata\""));
        assert_eq!(r.data.license.as_deref(), Some("EUPL-1.2"));
        assert_eq!(r.data.development_status.as_deref(), Some("stable"));
        assert_eq!(r.data.software_type.as_deref(), Some("standalone/web"));
        assert_eq!(r.data.maintainers.len(), 2);
        assert_eq!(r.releases.len(), 2);
        assert_eq!(r.releases[0].date.as_deref(), Some("2026-03-01"));
        assert_eq!(r.software_version.as_deref(), Some("2.1.0"));
        assert!(r.publiccode_url.is_some());
    }

    #[test]
    fn a_forgefed_project_shows_its_summary_as_the_description() {
        let p = fixture(include_str!(
            "../../../../tests/fixtures/forgefed/forgefed-project.json"
        ));
        let r = RemoteProject::from_remote(
            "https://here.example",
            &p,
            "https://forge.example/p",
            "forge.example",
        );
        assert_eq!(r.data.name, "Wegweiser");
        assert_eq!(r.data.description, "");
        assert_eq!(
            r.description_html,
            "<p>Barrierefreie Wege durch das Rathaus</p>"
        );
        assert_eq!(r.url, "https://forge.example/p");
    }

    #[test]
    fn the_handle_names_the_preferred_username_capped_at_64_characters() {
        let mut p = fixture(include_str!(
            "../../../../tests/fixtures/forgefed/revier-project.json"
        ));
        p.actor.preferred_username = Some("a".repeat(100));
        let r = RemoteProject::from_remote(
            "https://here.example",
            &p,
            "https://h.example/p",
            "h.example",
        );
        assert_eq!(r.handle, format!("{}@h.example", "a".repeat(64)));
        p.actor.preferred_username = None;
        p.actor.webfinger = Some("acct:karte@h.example".into());
        let r = RemoteProject::from_remote(
            "https://here.example",
            &p,
            "https://h.example/p",
            "h.example",
        );
        assert_eq!(r.handle, "@h.example", "no webfinger fallback, as before");
    }

    #[test]
    fn loose_values_are_capped_checked_or_dropped() {
        let mut p = fixture(include_str!(
            "../../../../tests/fixtures/forgefed/lenient-project.json"
        ));
        p.project.keywords = Texts(vec!["<b>x</b>".into(), "  ".into(), "y".repeat(300)]);
        p.project.homepage = Some(Link::Id("javascript:alert(1)".into()));
        p.project.application_category = Some("game".into());
        p.project.license = Some("not a licence".into());
        let r = RemoteProject::from_remote(
            "https://here.example",
            &p,
            "https://lenient.example/p/karte",
            "lenient.example",
        );
        assert_eq!(
            r.data.name, "karte",
            "the username when the name is not text"
        );
        assert_eq!(r.data.topics, ["x".to_string(), "y".repeat(MAX_ITEM)]);
        assert_eq!(r.data.website, None);
        assert_eq!(r.data.software_type, None);
        assert_eq!(r.data.license, None);
        assert_eq!(r.url, "https://lenient.example/p/karte/page");
        assert_eq!(
            r.data.logo.as_deref(),
            Some("https://lenient.example/icon.png")
        );
        assert_eq!(r.releases.len(), 1, "only entries with a version");
        assert_eq!(r.releases[0].date, None, "not a date");
    }
}
