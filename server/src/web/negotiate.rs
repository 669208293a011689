//! Content negotiation: ActivityPub JSON or HTML from the same URL (Mastodon G-4, G-5).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// True when the client asks for ActivityPub JSON: `application/activity+json`, or
/// `application/ld+json` (with or without the AS profile). Covers all three Accept headers
/// Mastodon sends, including the one that also lists `text/html;q=0.1`.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|m| {
            m.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .any(|m| m == "application/activity+json" || m == "application/ld+json")
}

/// A JSON document served as `application/activity+json`.
pub fn activity_json<T: Serialize>(doc: &T) -> Response {
    match serde_json::to_vec(doc) {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(revier_federation::AP_CONTENT_TYPE),
                ),
                (header::VARY, HeaderValue::from_static("Accept")),
            ],
            body,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// An HTML page that also names its ActivityPub form in a `Link` header (Mastodon G-6).
pub fn html_page(body: String, ap_url: Option<&str>) -> Response {
    let mut resp = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::VARY, HeaderValue::from_static("Accept")),
        ],
        body,
    )
        .into_response();
    if let Some(url) = ap_url {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "<{url}>; rel=\"alternate\"; type=\"application/activity+json\""
        )) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use axum::http::{header, HeaderMap, HeaderValue};

    use super::wants_activity_json;

    fn h(accept: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
        m
    }

    #[test]
    fn all_three_mastodon_accept_headers_get_json() {
        assert!(wants_activity_json(&h(
            "application/activity+json, application/ld+json"
        )));
        assert!(wants_activity_json(&h(
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\", application/activity+json"
        )));
        assert!(wants_activity_json(&h(
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\", application/activity+json, text/html;q=0.1"
        )));
        assert!(!wants_activity_json(&h(
            "text/html,application/xhtml+xml,*/*;q=0.8"
        )));
    }
}
