//! The public pages of the instance itself (`/`, `/tags/{tag}`; `/about` is in `web::admin`) and what the public
//! pages of organizations, projects, events and announcements share: the meta tags
//! (OpenGraph, Twitter card, canonical, ActivityPub alternate), the lines of event and
//! announcement lists, the organization and announcement page templates, and the old
//! `Texts` that pages not yet moved to `ctx.t` still use. Everything works without JavaScript.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::db;
use crate::db::directory::{AnnouncementCard, OrgCard, ProjectCard};
use crate::domain::accounts::has_admin;
use crate::domain::actors::ProfileField;
use crate::domain::announcements::announcement_ap_id;
use crate::domain::directory::{home_lists, UpcomingEvent, HOME_EVENT_DAYS};
use crate::domain::error::AppError;
use crate::domain::event_summary::{local_time, tz_of};
use crate::domain::opendata::schema_org;
use crate::web::i18n::{self, Arg, Lang};
use crate::web::interact::Interact;
use crate::web::page::{render_page, Ctx};
use crate::App;

/// The routes of the instance's own pages, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/tags/{tag}", get(get_tag))
}

/// A visible comment under an object's page (already sanitized HTML).
pub struct CommentItem {
    pub author_name: String,
    pub author_handle: String,
    pub author_url: String,
    pub url: String,
    pub content_html: String,
    pub published: String,
    /// Indentation in the thread, capped for narrow screens.
    pub depth: usize,
}

/// Links to the neighbouring pages of comments under an object's HTML page (`?page=N`).
#[derive(Debug, Clone, Default)]
pub struct CommentPages {
    pub prev: Option<String>,
    pub next: Option<String>,
}

pub fn render(t: &impl Template) -> Result<String, AppError> {
    t.render().map_err(|e| AppError::context("template", e))
}

/// A human date for pages (UTC).
pub fn human_time(micros: i64) -> String {
    chrono::DateTime::from_timestamp(micros.div_euclid(1_000_000), 0)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// The meta tags of a public page: OpenGraph, Twitter card, canonical URL and, where the
/// object has one, its ActivityPub alternate (template `page_meta.html`).
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    /// Plain text, short.
    pub description: String,
    pub canonical: String,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// `website`, `profile` or `article`.
    pub og_type: &'static str,
    pub ap_url: Option<String>,
    /// The page's schema.org JSON-LD, already made safe for a `<script>` element
    /// (`domain::opendata::schema_org::embeddable`).
    pub json_ld: Option<String>,
}

impl Meta {
    pub fn twitter_card(&self) -> &'static str {
        if self.image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        }
    }
}

/// An HTML page that also names its ActivityPub form in a `Link` header (Mastodon G-6).
pub fn page_with_ap_link(t: &impl Template, ap_url: &str) -> Result<Response, AppError> {
    let mut res = render_page(t)?;
    if let Ok(v) = HeaderValue::from_str(&format!(
        "<{ap_url}>; rel=\"alternate\"; type=\"application/activity+json\""
    )) {
        res.headers_mut().insert(header::LINK, v);
    }
    Ok(res)
}

/// An event in a list: its next occurrence in the event's zone, in the reader's language.
pub struct EventLine {
    pub title: String,
    pub href: String,
    pub language: String,
    /// `2026-12-02T18:00:00+01:00`, for `<time datetime>`.
    pub datetime: String,
    pub when: String,
    pub place: Option<String>,
    pub online: bool,
    pub organizer: String,
    pub cancelled: bool,
}

fn event_href(app: &App, e: &UpcomingEvent) -> String {
    let c = &e.card;
    if c.local {
        format!("{}/events/{}", app.base_url(), c.id)
    } else {
        c.url
            .clone()
            .or_else(|| c.ap_id.clone())
            .unwrap_or_default()
    }
}

/// The list lines of upcoming events, dated in each event's zone.
pub fn event_lines(app: &App, lang: Lang, events: &[UpcomingEvent]) -> Vec<EventLine> {
    events
        .iter()
        .map(|e| {
            let c = &e.card;
            let tz = tz_of(&c.timezone);
            let start = local_time(e.next_start, tz);
            let when = if c.all_day {
                i18n::long_date(lang, &start)
            } else {
                format!(
                    "{}, {} ({})",
                    i18n::long_date(lang, &start),
                    i18n::time_of_day(lang, &start),
                    start.format("%Z")
                )
            };
            EventLine {
                title: c.title.clone(),
                href: event_href(app, e),
                language: c.language.clone(),
                datetime: start.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                when,
                place: c.locality.clone(),
                online: c.online_url.is_some(),
                organizer: c.organizer_name.clone(),
                cancelled: c.status == "cancelled",
            }
        })
        .collect()
}

/// The development statuses publiccode.yml knows, with their message keys.
const STATUSES: [(&str, &str); 5] = [
    ("concept", "directory-status-concept"),
    ("development", "directory-status-development"),
    ("beta", "directory-status-beta"),
    ("stable", "directory-status-stable"),
    ("obsolete", "directory-status-obsolete"),
];

/// The maintenance types publiccode.yml knows, with their message keys.
const MAINTENANCE: [(&str, &str); 4] = [
    ("internal", "project-maintenance-internal"),
    ("contract", "project-maintenance-contract"),
    ("community", "project-maintenance-community"),
    ("none", "project-maintenance-none"),
];

/// A maintenance type in the reader's language (an unknown one as it is stored).
pub fn maintenance_label(ctx: &Ctx, kind: &str) -> String {
    MAINTENANCE
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(kind))
        .map_or_else(|| kind.to_string(), |(_, key)| ctx.t(key))
}

/// A development status in the reader's language (an unknown one as it is stored).
pub fn status_label(ctx: &Ctx, status: &str) -> String {
    STATUSES
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(status))
        .map_or_else(|| status.to_string(), |(_, key)| ctx.t(key))
}

/// An announcement in a list.
pub struct NoteLine {
    pub href: String,
    pub author: String,
    pub author_href: String,
    pub language: String,
    pub content_html: String,
    pub datetime: String,
    pub published: String,
}

/// A date for lists, in the reader's language (UTC: the instant, not an event's zone).
pub fn list_date(lang: Lang, micros: i64) -> (String, String) {
    let at = local_time(micros, chrono_tz::Tz::UTC);
    (
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        i18n::short_date(lang, &at),
    )
}

pub fn note_lines(app: &App, lang: Lang, notes: &[AnnouncementCard]) -> Vec<NoteLine> {
    notes
        .iter()
        .map(|n| {
            let (datetime, published) = list_date(lang, n.published);
            NoteLine {
                href: announcement_ap_id(app, n.id),
                author: display_name(&n.org_name, &n.org_slug).to_string(),
                author_href: format!("{}/orgs/{}", app.base_url(), n.org_slug),
                language: n.language.clone(),
                content_html: n.content_html.clone(),
                datetime,
                published,
            }
        })
        .collect()
}

/// True for an image this instance serves itself: pages load nothing from elsewhere (a
/// remote logo stays a link in the meta tags only).
pub fn is_local_url(ctx: &Ctx, url: &str) -> bool {
    (url.starts_with('/') && !url.starts_with("//"))
        || url
            .strip_prefix(ctx.base_url.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A name to show: the display name, or the slug when there is none.
pub fn display_name<'a>(name: &'a str, slug: &'a str) -> &'a str {
    if name.trim().is_empty() {
        slug
    } else {
        name
    }
}

/// An organization in a list, with the texts its card shows.
pub struct OrgLine {
    pub card: OrgCard,
    pub name: String,
    pub logo_alt: String,
    pub counts: String,
}

pub fn org_lines(ctx: &Ctx, orgs: Vec<OrgCard>) -> Vec<OrgLine> {
    orgs.into_iter()
        .map(|card| {
            let name = display_name(&card.name, &card.slug).to_string();
            OrgLine {
                logo_alt: ctx.ta("org-logo-alt", &[("name", Arg::Text(name.clone()))]),
                counts: ctx.ta(
                    "org-counts",
                    &[
                        ("followers", Arg::Number(card.followers)),
                        ("projects", Arg::Number(card.projects)),
                        ("events", Arg::Number(card.upcoming_events)),
                        ("announcements", Arg::Number(card.announcements)),
                    ],
                ),
                name,
                card,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    meta: Meta,
    interact: Interact,
    description: Vec<String>,
    events: Vec<EventLine>,
    events_heading: String,
    notes: Vec<NoteLine>,
    featured: Vec<ProjectCard>,
    recent: Vec<ProjectCard>,
    orgs: Vec<OrgLine>,
    no_admin: bool,
}

/// GET /: the instance's description, what is coming up and what is new.
async fn home(State(app): State<App>, ctx: Ctx) -> Result<Response, AppError> {
    let info = crate::domain::instance::load(&app).await?;
    let lists = home_lists(&app).await?;
    let description = paragraphs(&info.description);
    let summary = description
        .first()
        .cloned()
        .unwrap_or_else(|| ctx.t("home-intro"));
    let base = app.base_url();
    let page = HomePage {
        meta: Meta {
            title: info.name.clone(),
            description: crate::domain::text::truncate_chars(&summary, 200),
            canonical: format!("{base}/"),
            og_type: "website",
            ap_url: Some(format!("{base}/actor")),
            json_ld: Some(schema_org::embeddable(&schema_org::website(
                base.trim_end_matches('/'),
                &info.name,
                &summary,
                &info.languages,
            ))),
            ..Meta::default()
        },
        interact: Interact {
            uri: format!("{base}/actor"),
            handle: None,
        },
        description,
        events: event_lines(&app, ctx.lang, &lists.events),
        events_heading: ctx.ta("home-events", &[("days", Arg::Number(HOME_EVENT_DAYS))]),
        notes: note_lines(&app, ctx.lang, &lists.announcements),
        featured: lists.featured,
        recent: lists.recent,
        orgs: org_lines(&ctx, lists.orgs),
        no_admin: !has_admin(&app).await?,
        ctx: &ctx,
    };
    page_with_ap_link(&page, &format!("{base}/actor"))
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    meta: Meta,
    heading: String,
    notes: Vec<NoteLine>,
}

/// GET /tags/{tag}: announcements with a hashtag.
async fn get_tag(
    State(app): State<App>,
    ctx: Ctx,
    Path(tag): Path<String>,
) -> Result<Response, AppError> {
    let tag = tag.to_lowercase();
    let mut conn = app.db.conn().await?;
    let rows = db::announcements::list_announcements_by_tag(&mut conn, &tag, 50).await?;
    let mut cards = Vec::with_capacity(rows.len());
    for r in &rows {
        let actor = match db::accounts::find_org_actor_id(&mut conn, r.org_id).await? {
            Some(id) => db::actors::find_actor_by_id(&mut conn, id).await?,
            None => None,
        };
        let (org_slug, org_name) = actor.map(|a| (a.username, a.name)).unwrap_or_default();
        cards.push(AnnouncementCard {
            id: r.id,
            org_slug,
            org_name,
            content_html: r.content_html.clone(),
            language: r.language.clone(),
            published: r.published,
        });
    }
    let heading = ctx.ta("tag-heading", &[("tag", Arg::Text(tag.clone()))]);
    let page = ListPage {
        meta: Meta {
            title: heading.clone(),
            description: heading.clone(),
            canonical: format!(
                "{}/tags/{}",
                app.base_url(),
                url::form_urlencoded::byte_serialize(tag.as_bytes()).collect::<String>()
            ),
            og_type: "website",
            ..Meta::default()
        },
        heading,
        notes: note_lines(&app, ctx.lang, &cards),
        ctx: &ctx,
    };
    render_page(&page)
}

/// Plain text in paragraphs (separated by blank lines).
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The page of an organization or person (`/orgs/{name}`, `/users/{name}`).
#[derive(Template)]
#[template(path = "actor.html")]
pub struct ActorPage<'a> {
    pub ctx: &'a Ctx,
    pub meta: Meta,
    pub interact: Interact,
    pub name: String,
    pub handle: String,
    pub kind_label: String,
    pub summary_html: String,
    pub icon: Option<String>,
    pub fields: Vec<ProfileField>,
    pub followers_text: String,
    /// Set for organizations: the sections and their feed links.
    pub org: Option<OrgSectionsView>,
}

/// The sections of an organization's page.
pub struct OrgSectionsView {
    pub slug: String,
    pub notes: Vec<NoteLine>,
    pub events: Vec<EventLine>,
    pub projects: Vec<ProjectCard>,
}

/// The page of an announcement.
#[derive(Template)]
#[template(path = "note.html")]
pub struct NotePage<'a> {
    pub ctx: &'a Ctx,
    pub meta: Meta,
    pub interact: Interact,
    pub author_name: String,
    pub author_url: String,
    pub author_icon: Option<String>,
    pub language: String,
    pub datetime: String,
    pub published: String,
    pub updated: Option<String>,
    pub content_html: String,
    /// Attached images (full size, thumbnail, alt text).
    pub images: Vec<crate::domain::media::StoredMedia>,
    /// The event or project the announcement is about: (link, title).
    pub about: Option<(String, String)>,
    pub comments: Vec<CommentItem>,
    pub comments_closed: bool,
    pub comment_pages: CommentPages,
}
