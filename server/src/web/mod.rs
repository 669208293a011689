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
        .fallback(wellknown::not_found)
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
