//! HTTP of the open-data catalogue (issue 12): `/opendata` (the page in both languages, or
//! the DCAT-AP catalogue as JSON-LD or Turtle by content negotiation), the catalogue's fixed
//! URLs, and the exports of each dataset. The catalogue and the files are made in
//! `domain::opendata`; this module only reads the request and answers.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::domain::error::AppError;
use crate::domain::opendata::exports::{self, Snapshot};
use crate::domain::opendata::{self, rdf, CatalogInput, DatasetSpec, MAX_ROWS};
use crate::web::feeds::{cached_response, render_off_runtime};
use crate::web::i18n::{self, Arg, Lang};
use crate::web::page::{render_page, Ctx};
use crate::web::pages::Meta;
use crate::App;

const JSON_LD: &str = "application/ld+json";
const TURTLE: &str = "text/turtle; charset=utf-8";
const CSV: &str = "text/csv; charset=utf-8";

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/opendata", get(index))
        .route("/opendata/catalog.jsonld", get(catalog_json_ld))
        .route("/opendata/catalog.ttl", get(catalog_turtle))
        .route("/opendata/{file}", get(get_export))
}

/// What a request to `/opendata` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Html,
    JsonLd,
    Turtle,
}

/// The first of JSON-LD, Turtle or HTML the `Accept` header names with a weight above zero
/// (in its order); HTML when it names none of them.
fn wanted(headers: &HeaderMap) -> Wanted {
    let accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    for part in accept.split(',') {
        let mut params = part.split(';');
        let media = params
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let refused = params.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if refused {
            continue;
        }
        match media.as_str() {
            "application/ld+json" | "application/json" => return Wanted::JsonLd,
            "text/turtle" => return Wanted::Turtle,
            "text/html" | "application/xhtml+xml" => return Wanted::Html,
            _ => {}
        }
    }
    Wanted::Html
}

/// The catalogue's graph, its texts in both languages from the locale files.
fn catalog_graph(
    app: &App,
    info: &crate::domain::instance::InstanceInfo,
    s: &Snapshot,
) -> Vec<rdf::Node> {
    let text =
        |lang: &str, key: &str| i18n::message(Lang::from_tag(lang).unwrap_or(Lang::De), key, None);
    let base = app.base_url().trim_end_matches('/').to_string();
    let modified = s.modified();
    opendata::catalog(&CatalogInput {
        base_url: base.trim_end_matches('/'),
        instance: info,
        license: app.settings.opendata.license(),
        issued: s.issued,
        modified: &modified,
        text: &text,
    })
}

async fn catalog_response(
    app: App,
    headers: &HeaderMap,
    uri: &Uri,
    turtle: bool,
) -> Result<Response, AppError> {
    let info = crate::domain::instance::load(&app).await?;
    let snapshot = exports::snapshot(&app).await?;
    let nodes = catalog_graph(&app, &info, &snapshot);
    let (content_type, body) = if turtle {
        (TURTLE, rdf::to_turtle(&nodes))
    } else {
        (JSON_LD, rdf::to_json_ld(&nodes).to_string())
    };
    let mut res = cached_response(headers, uri, content_type, None, body);
    res.headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    Ok(res)
}

/// GET /opendata/catalog.jsonld — the DCAT-AP catalogue as JSON-LD.
async fn catalog_json_ld(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, AppError> {
    catalog_response(app, &headers, &uri, false).await
}

/// GET /opendata/catalog.ttl — the DCAT-AP catalogue as Turtle.
async fn catalog_turtle(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, AppError> {
    catalog_response(app, &headers, &uri, true).await
}

/// A distribution on the page: its link, title and media type.
pub struct DistributionLine {
    pub href: String,
    pub title: String,
    pub media_type: &'static str,
}

/// A dataset on the page.
pub struct DatasetLine {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub count: String,
    pub distributions: Vec<DistributionLine>,
}

#[derive(Template)]
#[template(path = "opendata.html")]
struct OpenDataPage<'a> {
    ctx: &'a Ctx,
    meta: Meta,
    license_uri: String,
    license_title: String,
    attribution: bool,
    bound: String,
    datasets: Vec<DatasetLine>,
    /// Each project's publiccode.yml: (project name, link).
    publiccode: Vec<(String, String)>,
}

fn dataset_line(ctx: &Ctx, d: &DatasetSpec, s: &Snapshot) -> DatasetLine {
    DatasetLine {
        id: d.id,
        title: ctx.t(d.title_key),
        description: ctx.t(d.description_key),
        count: ctx.ta(
            "opendata-count",
            &[("n", Arg::Number(s.count(d.id).unwrap_or(0) as i64))],
        ),
        distributions: d
            .distributions
            .iter()
            .map(|x| DistributionLine {
                href: x.path.to_string(),
                title: ctx.t(x.title_key),
                media_type: x.file_type.media_type,
            })
            .collect(),
    }
}

/// GET /opendata — the page, or the catalogue for a client that asks for JSON-LD or Turtle.
async fn index(
    State(app): State<App>,
    ctx: Ctx,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, AppError> {
    match wanted(&headers) {
        Wanted::JsonLd => return catalog_response(app, &headers, &uri, false).await,
        Wanted::Turtle => return catalog_response(app, &headers, &uri, true).await,
        Wanted::Html => {}
    }
    let snapshot = exports::snapshot(&app).await?;
    let base = ctx.base_url.clone();
    let (license_uri, known) = app.settings.opendata.license();
    let title = ctx.t("opendata-title");
    let page = OpenDataPage {
        meta: Meta {
            title: title.clone(),
            description: ctx.t("opendata-intro"),
            canonical: format!("{base}/opendata"),
            og_type: "website",
            ..Meta::default()
        },
        license_title: known.map_or_else(|| license_uri.clone(), |k| k.title.to_string()),
        attribution: known.is_some_and(|k| k.attribution),
        license_uri,
        bound: ctx.ta("opendata-bound", &[("max", Arg::Number(MAX_ROWS as i64))]),
        datasets: opendata::datasets()
            .iter()
            .map(|d| dataset_line(&ctx, d, &snapshot))
            .collect(),
        publiccode: snapshot
            .projects
            .iter()
            .filter_map(|p| exports::publiccode_url(&base, &p.row).map(|u| (p.row.name.clone(), u)))
            .collect(),
        ctx: &ctx,
    };
    let mut res = render_page(&page)?;
    res.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("Accept, Accept-Language, Cookie"),
    );
    Ok(res)
}

/// An export as a cacheable download.
async fn export<F>(
    headers: &HeaderMap,
    uri: &Uri,
    content_type: &'static str,
    make: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Result<String, AppError> + Send + 'static,
{
    let body = render_off_runtime(make).await??;
    Ok(cached_response(headers, uri, content_type, None, body))
}

fn utf8(bytes: Vec<u8>) -> Result<String, AppError> {
    String::from_utf8(bytes).map_err(AppError::internal)
}

/// A deferred rendering of an export.
type Render = Box<dyn FnOnce() -> Result<String, AppError> + Send>;

/// GET /opendata/{file}: one dataset's export, schema.org JSON-LD or CSV (`events.jsonld`,
/// `events.csv`, `projects.*`, `organizations.*`, `calls.*`).
async fn get_export(
    State(app): State<App>,
    Path(file): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, AppError> {
    use crate::domain::opendata::calls as open_calls;
    let base = app.base_url().trim_end_matches('/').to_string();
    let (content_type, render): (&'static str, Render) = match file.as_str() {
        "events.jsonld" | "events.csv" => {
            let items = exports::public_events(&app).await?;
            if file.ends_with(".csv") {
                (
                    CSV,
                    Box::new(move || utf8(exports::events_csv(&base, &items)?)),
                )
            } else {
                (
                    JSON_LD,
                    Box::new(move || Ok(exports::events_json_ld(&base, &items).to_string())),
                )
            }
        }
        "projects.jsonld" | "projects.csv" => {
            let items = exports::public_projects(&app).await?;
            if file.ends_with(".csv") {
                (
                    CSV,
                    Box::new(move || utf8(exports::projects_csv(&base, &items)?)),
                )
            } else {
                (
                    JSON_LD,
                    Box::new(move || Ok(exports::projects_json_ld(&base, &items).to_string())),
                )
            }
        }
        "organizations.jsonld" | "organizations.csv" => {
            let items = exports::public_orgs(&app).await?;
            if file.ends_with(".csv") {
                (
                    CSV,
                    Box::new(move || utf8(exports::orgs_csv(&base, &items)?)),
                )
            } else {
                (
                    JSON_LD,
                    Box::new(move || Ok(exports::orgs_json_ld(&base, &items).to_string())),
                )
            }
        }
        "calls.jsonld" | "calls.csv" => {
            let items = open_calls::public_calls(&app).await?;
            if file.ends_with(".csv") {
                (
                    CSV,
                    Box::new(move || utf8(open_calls::calls_csv(&base, &items)?)),
                )
            } else {
                (
                    JSON_LD,
                    Box::new(move || Ok(open_calls::calls_json_ld(&base, &items).to_string())),
                )
            }
        }
        _ => return Err(AppError::NotFound(format!("/opendata/{file}"))),
    };
    export(&headers, &uri, content_type, render).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn the_catalogue_is_negotiated_by_the_first_acceptable_type() {
        assert_eq!(wanted(&HeaderMap::new()), Wanted::Html);
        assert_eq!(
            wanted(&accept("text/html,application/xhtml+xml,*/*;q=0.8")),
            Wanted::Html
        );
        assert_eq!(wanted(&accept("application/ld+json")), Wanted::JsonLd);
        assert_eq!(
            wanted(&accept("text/turtle;q=0.9, text/html;q=0.5")),
            Wanted::Turtle
        );
        assert_eq!(
            wanted(&accept("application/ld+json;q=0, text/html")),
            Wanted::Html
        );
    }
}
