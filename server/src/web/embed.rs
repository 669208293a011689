//! The embeddable calendar: `/embed/events` (the only framable path prefix, see
//! `web::EMBED_PATH_PREFIX`) lists upcoming events for an `<iframe>` on another site, and
//! `/events/embed` (not framable) makes the `<iframe>` snippet to copy.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::db::calendar::OrgChoice;
use crate::db::now_micros;
use crate::domain::calendar;
use crate::domain::error::AppError;
use crate::web::calendar::{event_item, parse_filter, CalendarParams, EventItem};
use crate::web::i18n::Lang;
use crate::web::page::{render_page, Ctx};
use crate::App;

const DEFAULT_LIMIT: i64 = 5;
const MAX_LIMIT: i64 = 20;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/embed/events", get(embedded_events))
        .route("/events/embed", get(snippet_generator))
}

/// The embed's query: the organization and tag filters, the number of events (and `lang`,
/// which [`Ctx`] reads).
#[derive(Deserialize, Default, Clone)]
struct EmbedParams {
    org: Option<String>,
    tag: Option<String>,
    /// The generator's choice of language (not `lang`, which would switch the generator's own).
    embed_lang: Option<String>,
    limit: Option<String>,
}

impl EmbedParams {
    fn limit(&self) -> i64 {
        self.limit
            .as_deref()
            .and_then(|l| l.trim().parse::<i64>().ok())
            .map_or(DEFAULT_LIMIT, |l| l.clamp(1, MAX_LIMIT))
    }

    fn calendar_params(&self) -> CalendarParams {
        CalendarParams {
            org: self.org.clone(),
            tag: self.tag.clone(),
            ..CalendarParams::default()
        }
    }

    /// The embed's query string: the filters that are set, the language and the number.
    fn query(&self, lang: Lang) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("org", &self.org), ("tag", &self.tag)] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                q.append_pair(k, v);
            }
        }
        q.append_pair("lang", lang.as_str());
        q.append_pair("limit", &self.limit().to_string());
        q.finish()
    }
}

#[derive(Template)]
#[template(path = "embed_events.html")]
struct EmbedPage<'a> {
    ctx: &'a Ctx,
    items: Vec<EventItem>,
    calendar_href: String,
}

/// GET /embed/events?org=&tag=&lang=&limit= — the next events, for a frame on another site;
/// links open our pages in a new tab.
async fn embedded_events(
    State(app): State<App>,
    ctx: Ctx,
    Query(p): Query<EmbedParams>,
) -> Result<Response, AppError> {
    let cp = p.calendar_params();
    let (filter, _) = parse_filter(&app, &cp, now_micros()).await?;
    let (listed, _) = calendar::list(&app, &filter, p.limit(), 0).await?;
    let fq = cp.filter_query();
    let page = EmbedPage {
        ctx: &ctx,
        items: listed.iter().map(|l| event_item(&ctx, l)).collect(),
        calendar_href: if fq.is_empty() {
            format!("{}/events", ctx.base_url)
        } else {
            format!("{}/events?{fq}", ctx.base_url)
        },
    };
    render_page(&page)
}

#[derive(Template)]
#[template(path = "embed_generator.html")]
struct GeneratorPage<'a> {
    ctx: &'a Ctx,
    orgs: Vec<OrgChoice>,
    org: String,
    tag: String,
    embed_lang: Lang,
    limit: i64,
    max_limit: i64,
    embed_url: String,
    snippet: String,
}

/// GET /events/embed — the snippet generator: a GET form for the embed's settings, the
/// `<iframe>` code for them and a link to preview it.
async fn snippet_generator(
    State(app): State<App>,
    ctx: Ctx,
    Query(p): Query<EmbedParams>,
) -> Result<Response, AppError> {
    let embed_lang = p
        .embed_lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(ctx.lang);
    let embed_url = format!("{}/embed/events?{}", ctx.base_url, p.query(embed_lang));
    let snippet = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>",
        embed_url.replace('&', "&amp;").replace('"', "&quot;"),
        crate::web::i18n::message(embed_lang, "embed-frame-title", None)
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;"),
    );
    let page = GeneratorPage {
        ctx: &ctx,
        orgs: calendar::org_choices(&app).await?,
        org: p.org.clone().unwrap_or_default(),
        tag: p.tag.clone().unwrap_or_default(),
        embed_lang,
        limit: p.limit(),
        max_limit: MAX_LIMIT,
        embed_url,
        snippet,
    };
    render_page(&page)
}
