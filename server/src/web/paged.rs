//! Paging over HTTP: `?page=N` of collections and HTML pages ([`PageQuery`]), `page` and
//! `limit` of API lists ([`PageParams`]), and one page of an API list as the answer
//! ([`paged`], with a `Link` to the next).

use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::domain::error::AppError;
use crate::domain::page::Page;
use crate::App;

/// `?page=N` of an ActivityPub collection or of the comments under an HTML page.
#[derive(Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
}

/// `page` and `limit` of an API list; the rules are in [`crate::domain::page`].
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page, from 1. A `Link: <...>; rel="next"` header names the next page when there
    /// is one.
    #[param(minimum = 1, maximum = 1_000_000, default = 1)]
    page: Option<i64>,
    /// Items per page: default 50, at most 200; outside 1..=200 the answer is 422.
    #[param(minimum = 1, maximum = 200, default = 50)]
    limit: Option<i64>,
}

impl PageParams {
    pub fn page(&self) -> Result<Page, AppError> {
        Page::parse(self.page, self.limit)
    }
}

/// One page of a list as JSON (`wrap` shapes the body), with `Link: <...>; rel="next"`
/// when more follow. `rows` were fetched with [`Page::fetch`]: one more than the page holds.
pub fn paged<T, B: Serialize>(
    app: &App,
    uri: &Uri,
    page: &Page,
    mut rows: Vec<T>,
    wrap: impl FnOnce(Vec<T>) -> B,
) -> Response {
    let more = page.cut(&mut rows);
    let mut resp = axum::Json(wrap(rows)).into_response();
    if more {
        let mut query: Vec<(String, String)> = uri
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .filter(|(k, _)| k != "page")
                    .collect()
            })
            .unwrap_or_default();
        query.push(("page".into(), (page.number + 1).to_string()));
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        let link = format!("<{}{}?{query}>; rel=\"next\"", app.base_url(), uri.path());
        if let Ok(v) = header::HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}
