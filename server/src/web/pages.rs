//! Small HTML pages, in German or English by `Accept-Language`: the templates and texts that
//! actor, announcement, event and project pages share, and the pages of the instance itself
//! (`/`, `/tags/{tag}`; `/about` is in `web::admin`). Each links its ActivityPub form (Mastodon G-6). The full web
//! interface is a later issue; these pages work without JavaScript.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::db;
use crate::domain::actors::ProfileField;
use crate::domain::announcements::announcement_ap_id;
use crate::domain::error::AppError;
use crate::web::negotiate::html_page;
use crate::App;

/// The routes of the instance's own pages, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/tags/{tag}", get(get_tag))
}

/// Interface strings in one language.
pub struct Texts {
    pub lang: &'static str,
    pub followers: &'static str,
    pub follow_hint: &'static str,
    pub edited: &'static str,
    pub nothing_yet: &'static str,
    pub organization: &'static str,
    pub person: &'static str,
    pub instance: &'static str,
    pub tag_heading: &'static str,
    pub home_intro: &'static str,
    pub comments: &'static str,
    pub comments_closed: &'static str,
    pub comments_older: &'static str,
    pub comments_newer: &'static str,
}

const EN: Texts = Texts {
    lang: "en",
    followers: "Followers",
    follow_hint: "Follow from Mastodon or any fediverse account:",
    edited: "edited",
    nothing_yet: "Nothing here yet.",
    organization: "Organization",
    person: "Person",
    instance: "Instance",
    tag_heading: "Announcements tagged",
    home_intro: "A Revier instance: projects, events and announcements of the regional open-source community, followable from the fediverse.",
    comments: "Comments",
    comments_closed: "Comments are closed.",
    comments_older: "Earlier comments",
    comments_newer: "Later comments",
};

const DE: Texts = Texts {
    lang: "de",
    followers: "Folgende",
    follow_hint: "Folgen Sie uns von Mastodon oder einem anderen Fediverse-Konto:",
    edited: "bearbeitet",
    nothing_yet: "Hier ist noch nichts.",
    organization: "Organisation",
    person: "Person",
    instance: "Instanz",
    tag_heading: "Mitteilungen mit dem Schlagwort",
    home_intro: "Eine Revier-Instanz: Projekte, Veranstaltungen und Mitteilungen der regionalen Open-Source-Gemeinschaft, im Fediverse abonnierbar.",
    comments: "Kommentare",
    comments_closed: "Kommentare sind geschlossen.",
    comments_older: "Frühere Kommentare",
    comments_newer: "Spätere Kommentare",
};

/// German when the first language the client names is German, else English.
pub fn texts_for(headers: &HeaderMap) -> &'static Texts {
    let first = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|l| l.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if first.starts_with("de") {
        &DE
    } else {
        &EN
    }
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

/// An announcement or post in a list on a page.
pub struct NoteItem {
    pub content_html: String,
    pub url: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "actor.html")]
pub struct ActorPage<'a> {
    pub t: &'a Texts,
    pub instance_name: &'a str,
    pub ap_url: Option<&'a str>,
    pub name: &'a str,
    pub handle: String,
    pub kind_label: &'a str,
    pub url: &'a str,
    pub summary_html: &'a str,
    pub fields: Vec<ProfileField>,
    pub followers: i64,
    pub notes: Vec<NoteItem>,
}

#[derive(Template)]
#[template(path = "note.html")]
pub struct NotePage<'a> {
    pub t: &'a Texts,
    pub instance_name: &'a str,
    pub ap_url: Option<&'a str>,
    pub url: &'a str,
    pub author_name: &'a str,
    pub author_url: &'a str,
    pub language: &'a str,
    pub published: String,
    pub updated: Option<String>,
    pub content_html: &'a str,
    pub excerpt: String,
    pub comments: Vec<CommentItem>,
    pub comments_closed: bool,
    pub comment_pages: CommentPages,
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage<'a> {
    pub t: &'a Texts,
    pub instance_name: &'a str,
    pub ap_url: Option<&'a str>,
    pub heading: String,
    pub intro: &'a str,
    pub notes: Vec<NoteItem>,
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

/// GET /tags/{tag}: announcements with a hashtag.
async fn get_tag(
    State(app): State<App>,
    Path(tag): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let tag = tag.to_lowercase();
    let mut conn = app.db.conn().await?;
    let rows = db::announcements::list_announcements_by_tag(&mut conn, &tag, 50).await?;
    let t = texts_for(&headers);
    let page = ListPage {
        t,
        instance_name: &app.settings.instance_name,
        ap_url: None,
        heading: format!("{} #{tag}", t.tag_heading),
        intro: "",
        notes: rows
            .iter()
            .map(|n| NoteItem {
                content_html: n.content_html.clone(),
                url: announcement_ap_id(&app, n.id),
                published: human_time(n.published),
            })
            .collect(),
    };
    Ok(html_page(render(&page)?, None))
}

/// GET /: the instance's front page.
async fn home(State(app): State<App>, headers: HeaderMap) -> Result<Response, AppError> {
    let t = texts_for(&headers);
    let page = ListPage {
        t,
        instance_name: &app.settings.instance_name,
        ap_url: None,
        heading: app.settings.instance_name.clone(),
        intro: t.home_intro,
        notes: vec![],
    };
    Ok(html_page(render(&page)?, None))
}
