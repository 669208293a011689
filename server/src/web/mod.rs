//! HTTP: ActivityPub documents and inboxes, discovery, the JSON API and small HTML pages.
//! Each feature module owns its routes (`routes()`); handlers extract, call the domain, and
//! respond. `router` composes them.

pub mod account;
pub mod accounts;
pub mod activitypub;
pub mod admin;
pub mod admin_domains;
pub mod announcements;
pub mod assets;
pub mod auth;
pub mod calendar;
pub mod call_pages;
pub mod calls;
pub mod collections;
pub mod dashboard;
pub mod directory;
pub mod domain_lists;
pub mod embed;
pub mod error;
pub mod events;
pub mod extract;
pub mod feeds;
pub mod follows;
pub mod groups;
pub mod health;
pub mod i18n;
pub mod inbox;
pub mod interact;
pub mod manage_announcements;
pub mod manage_events;
pub mod manage_orgs;
pub mod manage_projects;
pub mod media;
pub mod metrics;
pub mod moderation;
pub mod moderation_log;
pub mod negotiate;
pub mod openapi;
pub mod opendata;
pub mod page;
pub mod paged;
pub mod pages;
pub mod projects;
pub mod report;
pub mod search;
pub mod signin;
pub mod social;
pub mod sources;
pub mod throttle;
pub mod wellknown;

use axum::http::{header, HeaderValue};
use axum::Router;

use crate::App;

/// Every route of the instance: each feature's `routes()`, the stylesheet, and the layers
/// every response passes (security headers, a span per request).
pub fn router(app: App) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(activitypub::routes())
        .merge(groups::routes())
        .merge(inbox::routes())
        .merge(wellknown::routes())
        .merge(openapi::routes())
        .merge(opendata::routes())
        .merge(accounts::routes())
        .merge(announcements::routes())
        .merge(follows::routes())
        .merge(events::routes())
        .merge(projects::routes())
        .merge(calls::routes())
        .merge(social::routes())
        .merge(feeds::routes())
        .merge(assets::routes())
        .merge(signin::routes())
        .merge(calendar::routes())
        .merge(collections::routes())
        .merge(embed::routes())
        .merge(directory::routes())
        .merge(search::routes())
        .merge(interact::routes())
        .merge(media::routes())
        .merge(manage_announcements::routes())
        .merge(dashboard::routes())
        .merge(manage_orgs::routes())
        .merge(manage_events::routes())
        .merge(manage_projects::routes())
        .merge(call_pages::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(report::routes())
        .merge(moderation::routes())
        .merge(admin_domains::routes())
        .merge(domain_lists::routes())
        .merge(moderation_log::routes())
        .merge(sources::routes())
        .merge(health::routes())
        .merge(metrics::routes(&app))
        .fallback(wellknown::not_found)
        .layer(axum::middleware::from_fn_with_state(
            throttle::ThrottleState::new(&app),
            throttle::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            page::html_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            page::csrf_cookie,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security_headers,
        ))
        .layer(axum::middleware::from_fn(trace_request))
        .layer(axum::middleware::from_fn(record_request))
        .with_state(app)
}

/// Counts every request by its route template (`MatchedPath`, never the raw path, so the
/// series stay bounded; `unmatched` for the fallback), method and status, with its duration.
async fn record_request(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    // A clone of the shared template (an `Arc<str>`), not a copy of the text.
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .cloned();
    let method = bounded_method(req.method());
    let res = next.run(req).await;
    crate::telemetry::http_request(
        route.as_ref().map_or("unmatched", |p| p.as_str()),
        method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

/// Methods as labels: the standard ones, anything else `other`.
fn bounded_method(m: &axum::http::Method) -> &'static str {
    match m.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// Paths whose last segment is a secret (a password-reset or invitation token): the log shows
/// them without it.
const SECRET_PATHS: &[&str] = &["/password/reset/", "/invite/org/"];

/// The path as the log may show it: secret tokens replaced by `…`.
fn loggable_path(path: &str) -> String {
    match SECRET_PATHS.iter().find(|p| path.starts_with(**p)) {
        Some(prefix) => format!("{prefix}…"),
        None => path.to_string(),
    }
}

/// A span per request, so a failure's cause is logged with its method and path.
async fn trace_request(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tracing::Instrument;
    let span = tracing::info_span!("request", method = %req.method(), path = %loggable_path(req.uri().path()));
    next.run(req).instrument(span).await
}

/// Pages under this path may be framed by other sites (a future embed view); no other may.
pub const EMBED_PATH_PREFIX: &str = "/embed/";

/// What a page may load: our own stylesheet, images from anywhere on https (remote avatars and
/// banners), nothing else. No script at all, inline or not, so a payload that slipped through
/// sanitizing still cannot run; no plugins, no `<base>` hijack, forms post only to us.
const CSP_COMMON: &str = "default-src 'self'; script-src 'none'; script-src-attr 'none'; \
     style-src 'self'; img-src 'self' https:; object-src 'none'; base-uri 'none'";

/// The follow dialog's form answers with a redirect to the visitor's own server, which
/// `form-action 'self'` would block: only that page's forms may lead elsewhere.
const INTERACT_PATH: &str = "/interact";

/// Security headers on every response (HTML, and harmless on the rest): the CSP above,
/// `nosniff` so nothing is run as another type than sent, a referrer policy that keeps our
/// paths from other origins, and no framing except under `EMBED_PATH_PREFIX`.
async fn security_headers(
    axum::extract::State(app): axum::extract::State<App>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let embeddable = req.uri().path().starts_with(EMBED_PATH_PREFIX);
    let form_action = if req.uri().path() == INTERACT_PATH {
        if app.settings.allow_loopback_federation {
            "'self' https: http:"
        } else {
            "'self' https:"
        }
    } else {
        "'self'"
    };
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let frames = if embeddable { "*" } else { "'none'" };
    let csp = format!("{CSP_COMMON}; form-action {form_action}; frame-ancestors {frames}");
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !embeddable {
        // For browsers that predate `frame-ancestors`.
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn secret_tokens_in_paths_stay_out_of_the_log() {
        assert_eq!(loggable_path("/password/reset/abc123"), "/password/reset/…");
        assert_eq!(loggable_path("/invite/org/xyz"), "/invite/org/…");
        assert_eq!(loggable_path("/events/7"), "/events/7");
    }
}
