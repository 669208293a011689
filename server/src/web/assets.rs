//! Our static assets, fingerprinted: `/static/site.<hash>.css` is served with a year-long,
//! immutable cache, so a new release's stylesheet is a new URL. The unversioned path stays
//! for old pages, cached for an hour.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::App;

const SITE_CSS: &str = include_str!("../../static/site.css");

/// The first 16 hex digits of the SHA-256 of an asset.
fn fingerprint(content: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, content.as_bytes());
    d.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

static CSS_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/site.{}.css", fingerprint(SITE_CSS)));

/// The stylesheet's fingerprinted URL (for the layout).
pub fn css_url() -> &'static str {
    CSS_URL.as_str()
}

pub fn routes() -> Router<App> {
    Router::new().route("/static/{file}", get(asset))
}

/// GET /static/{file}: the stylesheet under its fingerprinted or plain name.
async fn asset(Path(file): Path<String>) -> Response {
    let versioned = format!("/static/{file}") == *CSS_URL;
    if !versioned && file != "site.css" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        SITE_CSS,
    )
        .into_response()
}
