//! HTTP: ActivityPub documents and inboxes, discovery, the JSON API and small HTML pages.
//! Handlers extract, call the domain, and respond.

pub mod activitypub;
pub mod api;
pub mod auth;
pub mod error;
pub mod events;
pub mod feeds;
pub mod inbox;
pub mod negotiate;
pub mod pages;
pub mod projects;
pub mod social;
pub mod wellknown;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;

use crate::App;

/// Every route of the instance.
pub fn router(app: App) -> Router {
    let ap = Router::new()
        .route("/", get(activitypub::home))
        .route("/about", get(activitypub::about))
        .route("/actor", get(activitypub::get_instance_actor))
        .route("/actor/inbox", post(inbox::post_inbox))
        .route("/actor/outbox", get(activitypub::instance_outbox))
        .route("/actor/followers", get(activitypub::instance_followers))
        .route("/actor/following", get(activitypub::instance_following))
        .route("/inbox", post(inbox::post_inbox))
        .route("/users/{name}", get(activitypub::get_person))
        .route("/users/{name}/inbox", post(inbox::post_inbox))
        .route("/users/{name}/outbox", get(activitypub::person_outbox))
        .route(
            "/users/{name}/followers",
            get(activitypub::person_followers),
        )
        .route(
            "/users/{name}/following",
            get(activitypub::person_following),
        )
        .route("/orgs/{name}", get(activitypub::get_org))
        .route("/orgs/{name}/inbox", post(inbox::post_inbox))
        .route("/orgs/{name}/outbox", get(activitypub::org_outbox))
        .route("/orgs/{name}/followers", get(activitypub::org_followers))
        .route("/orgs/{name}/following", get(activitypub::org_following))
        .route(
            "/announcements/{id}",
            get(activitypub::get_announcement)
                .patch(api::patch_announcement_by_ap_url)
                .delete(api::delete_announcement_by_ap_url),
        )
        .route("/activities/{id}", get(activitypub::get_activity))
        .route("/tags/{tag}", get(activitypub::get_tag))
        .route("/.well-known/webfinger", get(wellknown::webfinger))
        .route("/.well-known/host-meta", get(wellknown::host_meta))
        .route("/.well-known/nodeinfo", get(wellknown::nodeinfo_links))
        .route("/nodeinfo/2.1", get(wellknown::nodeinfo_21))
        .route("/nodeinfo/2.0", get(wellknown::nodeinfo_20));
    let api = Router::new()
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/orgs", post(api::create_org))
        .route(
            "/api/v1/orgs/{slug}",
            get(api::get_org).patch(api::patch_org),
        )
        .route(
            "/api/v1/orgs/{slug}/announcements",
            post(api::create_announcement),
        )
        .route(
            "/api/v1/orgs/{slug}/announcements/{id}",
            get(api::get_announcement)
                .patch(api::patch_announcement)
                .delete(api::delete_announcement),
        )
        .route("/api/v1/orgs/{slug}/followers", get(api::list_followers))
        .route(
            "/api/v1/orgs/{slug}/followers/{id}/approve",
            post(api::approve_follower),
        )
        .route(
            "/api/v1/orgs/{slug}/followers/{id}/reject",
            post(api::reject_follower),
        )
        .route("/api/v1/follows", post(api::follow).get(api::follow_state))
        .route("/api/v1/unfollow", post(api::unfollow))
        .route("/api/v1/timeline", get(api::timeline))
        .route("/api/v1/lookup", post(api::lookup))
        .layer(DefaultBodyLimit::max(revier_federation::MAX_BODY_BYTES));
    ap.merge(api)
        .merge(events::routes())
        .merge(projects::routes())
        .merge(social::routes())
        .merge(feeds::routes())
        .route("/static/site.css", get(stylesheet))
        .fallback(wellknown::not_found)
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn(trace_request))
        .with_state(app)
}

/// A span per request, so a failure's cause is logged with its method and path.
async fn trace_request(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tracing::Instrument;
    let span = tracing::info_span!("request", method = %req.method(), path = %req.uri().path());
    next.run(req).instrument(span).await
}

/// Our one stylesheet: pages carry no inline style, which the Content-Security-Policy forbids.
async fn stylesheet() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/site.css"),
    )
}

/// Pages under this path may be framed by other sites (a future embed view); no other may.
pub const EMBED_PATH_PREFIX: &str = "/embed/";

/// What a page may load: our own stylesheet, images from anywhere on https (remote avatars and
/// banners), nothing else. No script at all, inline or not, so a payload that slipped through
/// sanitizing still cannot run; no plugins, no `<base>` hijack, forms post only to us.
const CSP_COMMON: &str = "default-src 'self'; script-src 'none'; script-src-attr 'none'; \
     style-src 'self'; img-src 'self' https:; object-src 'none'; base-uri 'none'; \
     form-action 'self'";

/// Security headers on every response (HTML, and harmless on the rest): the CSP above,
/// `nosniff` so nothing is run as another type than sent, a referrer policy that keeps our
/// paths from other origins, and no framing except under `EMBED_PATH_PREFIX`.
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let embeddable = req.uri().path().starts_with(EMBED_PATH_PREFIX);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let csp = if embeddable {
        format!("{CSP_COMMON}; frame-ancestors *")
    } else {
        format!("{CSP_COMMON}; frame-ancestors 'none'")
    };
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
