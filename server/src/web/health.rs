//! Health checks for load balancers and orchestrators (issue 11). `/healthz`: the process
//! answers HTTP (200 `ok`), nothing else is looked at, so a slow database does not get a
//! working process restarted. `/readyz`: the database answers and its migrations are exactly
//! this binary's (200 `ready`), else 503 with the reason as plain text; an instance behind a
//! load balancer that is not ready gets no traffic until it is.

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::db;
use crate::App;

/// How long `/readyz` waits for the database.
const DATABASE_WAIT: Duration = Duration::from_secs(3);

pub fn routes() -> Router<App> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// GET /healthz — the process is alive.
async fn healthz() -> Response {
    text(StatusCode::OK, "ok\n".into())
}

/// GET /readyz — the database answers and its schema is this binary's.
async fn readyz(State(app): State<App>) -> Response {
    match not_ready(&app).await {
        None => text(StatusCode::OK, "ready\n".into()),
        Some(reason) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {reason}\n"),
        ),
    }
}

/// Why the instance cannot serve, if it cannot: a sentence for the answer (no paths, no
/// addresses: `/readyz` is public); the details go to the log.
async fn not_ready(app: &App) -> Option<String> {
    // An SQLite database deleted or moved away under a running process still answers through
    // the connections already open, but what it writes is lost at the next start.
    if let Some(file) = db::sqlite_file(&app.settings.database_url) {
        if let Err(e) = std::fs::metadata(&file) {
            tracing::warn!(file = %file.display(), error = %e, "not ready: the database file is gone");
            return Some("the database file is gone".into());
        }
    }
    match tokio::time::timeout(DATABASE_WAIT, app.db.schema_state()).await {
        Err(_) => {
            tracing::warn!("not ready: the database did not answer in time");
            Some(format!(
                "the database did not answer within {} s",
                DATABASE_WAIT.as_secs()
            ))
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the database does not answer");
            Some("the database does not answer".into())
        }
        Ok(Ok(state)) if !state.is_current() => {
            tracing::warn!(%state, "not ready");
            Some(state.to_string())
        }
        Ok(Ok(_)) => None,
    }
}
