//! POST to an inbox (per actor or shared): size limit, then the domain pipeline.
//! 202 accepted (also for duplicates and ignored activities), 400 malformed, 401 signature,
//! 403 blocked, 413 over 1 MiB (Mastodon G-2, HS-1).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use revier_federation::signatures::IncomingRequest;
use revier_federation::MAX_BODY_BYTES;

use crate::domain::error::AppError;
use crate::domain::inbox::receive;
use crate::domain::received::InboxError;
use crate::telemetry::{self, InboxOutcome};
use crate::App;

/// The inboxes of the instance, its persons and its organizations (projects mount theirs).
pub fn routes() -> Router<App> {
    Router::new()
        .route("/inbox", post(post_inbox))
        .route("/actor/inbox", post(post_inbox))
        .route("/users/{name}/inbox", post(post_inbox))
        .route("/orgs/{name}/inbox", post(post_inbox))
}

fn too_large() -> Response {
    telemetry::inbox_activity("unknown", InboxOutcome::Invalid);
    AppError::TooLarge("the body is larger than 1 MiB".into()).into_response()
}

/// POST to any inbox: the size limit here, everything else in `domain::inbox::receive`.
pub async fn post_inbox(State(app): State<App>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|l| l > MAX_BODY_BYTES) {
        return too_large();
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return too_large();
    };
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let incoming = IncomingRequest {
        method: parts.method.as_str(),
        path_and_query,
        headers: &parts.headers,
        body: &bytes,
    };
    match receive(&app, &incoming).await {
        Ok(outcome) => {
            tracing::debug!(?outcome, "inbox");
            StatusCode::ACCEPTED.into_response()
        }
        Err(e) => {
            // Our own failures are logged once, with their cause, by the answer.
            if !matches!(e, InboxError::Internal(_)) {
                tracing::info!(error = %e, "inbox refused a request");
            }
            e.into_response()
        }
    }
}
