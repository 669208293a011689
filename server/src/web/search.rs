//! The search page: GET /search?q=&kind=&page= over organizations, projects, events and
//! announcements (`domain::search` does the work).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::db::search::Kind;
use crate::domain::error::AppError;
use crate::domain::search::{self, SearchRequest, Segment};
use crate::web::i18n::{self, Arg};
use crate::web::page::{render_page, Ctx};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new().route("/search", get(search_page))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    page: Option<String>,
}

/// A choice of the kind filter: its label (with the count once searched) and link.
struct KindChoice {
    value: &'static str,
    label: String,
    href: String,
    current: bool,
}

/// One result as the page shows it.
struct ResultItem {
    kind_label: String,
    title: String,
    link: String,
    remote: bool,
    snippet: Vec<Segment>,
    author: String,
    lang: Option<String>,
    date: String,
    datetime: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    q: String,
    searched: bool,
    summary: String,
    choices: Vec<KindChoice>,
    items: Vec<ResultItem>,
    prev_href: Option<String>,
    next_href: Option<String>,
    page_label: String,
}

/// GET /search
async fn search_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    let req = SearchRequest::new(p.q.as_deref(), p.kind.as_deref(), p.page.as_deref());
    let results = search::search(&app, &req).await?;
    let kind = req.kind.map_or("", Kind::as_str);
    let summary = if !results.searched {
        ctx.t("search-empty")
    } else if results.total == 0 {
        ctx.ta("search-none", &[("q", Arg::from(req.q.trim()))])
    } else {
        ctx.ta(
            "search-count",
            &[
                ("n", Arg::Number(results.total)),
                ("q", Arg::from(req.q.trim())),
            ],
        )
    };
    let count_of = |k: Option<Kind>| {
        results
            .counts
            .iter()
            .filter(|(c, _)| k.is_none_or(|k| k == *c))
            .map(|(_, n)| n)
            .sum::<i64>()
    };
    let mut choices = vec![choice(
        &ctx,
        &req,
        None,
        results.searched.then(|| count_of(None)),
    )];
    for k in Kind::ALL {
        choices.push(choice(
            &ctx,
            &req,
            Some(*k),
            results.searched.then(|| count_of(Some(*k))),
        ));
    }
    let items = results.hits.iter().map(|f| item(&ctx, f)).collect();
    let page_href = |page: i64| href(&req.q, kind, page);
    render_page(&SearchPage {
        q: req.q.clone(),
        searched: results.searched,
        summary,
        choices,
        items,
        prev_href: (results.searched && req.page > 1).then(|| page_href(req.page - 1)),
        next_href: results.has_next.then(|| page_href(req.page + 1)),
        page_label: ctx.ta("search-page", &[("n", Arg::Number(req.page))]),
        ctx: &ctx,
    })
}

/// `/search?q=…&kind=…&page=…`, leaving out what is empty or the default.
fn href(q: &str, kind: &str, page: i64) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("q", q);
    if !kind.is_empty() {
        s.append_pair("kind", kind);
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    format!("/search?{}", s.finish())
}

fn choice(ctx: &Ctx, req: &SearchRequest, kind: Option<Kind>, count: Option<i64>) -> KindChoice {
    let name = match kind {
        None => ctx.t("search-kind-all"),
        Some(k) => ctx.t(&format!("search-kind-{}", k.as_str())),
    };
    let value = kind.map_or("", Kind::as_str);
    KindChoice {
        value,
        label: match count {
            Some(n) => format!("{name} ({})", ctx.number(n)),
            None => name,
        },
        href: href(&req.q, value, 1),
        current: req.kind == kind,
    }
}

fn item(ctx: &Ctx, f: &search::Found) -> ResultItem {
    let utc = DateTime::<Utc>::from_timestamp_micros(f.at).unwrap_or_default();
    let zone: chrono_tz::Tz = f
        .zone
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::UTC);
    let local = utc.with_timezone(&zone);
    ResultItem {
        kind_label: ctx.t(&format!("search-type-{}", f.kind.as_str())),
        title: f.title.clone(),
        link: f.link.clone(),
        remote: f.remote,
        snippet: f.snippet.clone(),
        author: f.author.clone(),
        lang: f.language.clone(),
        date: i18n::short_date(ctx.lang, &local),
        datetime: local.format("%Y-%m-%d").to_string(),
    }
}
