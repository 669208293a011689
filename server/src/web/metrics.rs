//! `/metrics` in Prometheus text format (issue 11). Never open to everyone: on the public
//! listener only with `metrics.token` (a Bearer token, compared in constant time), and on the
//! separate `metrics.bind` listener without one. Neither set: the route does not exist (404).
//!
//! The counters come from the process's recorder (`telemetry`); the queue gauges are read from
//! the database at each scrape, so every process sharing it shows the same numbers.

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::db;
use crate::telemetry::{self, HostQueue, QueueGauges, ScrapeGauges};
use crate::App;

/// The content type of the text exposition format.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// How long a scrape waits for the database before it answers without the queue gauges.
const DATABASE_WAIT: Duration = Duration::from_secs(5);

/// `/metrics` on the public router: there only when a token is set.
pub fn routes(app: &App) -> Router<App> {
    if app.settings.metrics.token().is_some() {
        Router::new().route("/metrics", get(scrape_with_token))
    } else {
        Router::new()
    }
}

/// The router of the separate metrics listener (`metrics.bind`): `/metrics` without a token.
pub fn listener_router(app: App) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .fallback(crate::web::wellknown::not_found)
        .with_state(app)
}

/// GET /metrics with `Authorization: Bearer <metrics.token>`; 401 otherwise.
async fn scrape_with_token(State(app): State<App>, headers: HeaderMap) -> Response {
    let Some(expected) = app.settings.metrics.token() else {
        return crate::web::wellknown::not_found().await;
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    let ok = !sent.is_empty()
        && aws_lc_rs::constant_time::verify_slices_are_equal(sent.as_bytes(), expected.as_bytes())
            .is_ok();
    if !ok {
        let mut res = (
            StatusCode::UNAUTHORIZED,
            axum::Json(crate::web::error::ErrorBody::new(
                "the metrics need the token set in metrics.token (Authorization: Bearer)",
            )),
        )
            .into_response();
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return res;
    }
    scrape(State(app)).await
}

/// The exposition: the recorder's metrics and the gauges read now.
async fn scrape(State(app): State<App>) -> Response {
    let queue = match tokio::time::timeout(DATABASE_WAIT, queue_gauges(&app)).await {
        Ok(Ok(q)) => Some(q),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "metrics: the queue gauges could not be read");
            None
        }
        Err(_) => {
            tracing::warn!("metrics: the database did not answer in time");
            None
        }
    };
    let (pool_size, pool_idle, pool_max) = app.db.pool_stats();
    let body = telemetry::render(&ScrapeGauges {
        queue,
        pool_size,
        pool_idle,
        pool_max,
    });
    (
        [
            (header::CONTENT_TYPE, TEXT_FORMAT),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn queue_gauges(app: &App) -> Result<QueueGauges, sqlx::Error> {
    let mut conn = app.db.conn().await?;
    let now = db::now_micros();
    let top = db::metrics::top_queued_hosts(&mut conn, telemetry::TOP_HOSTS).await?;
    let (depth, hosts) = db::metrics::queue_totals(&mut conn).await?;
    let dead_hosts = db::metrics::count_dead_hosts(&mut conn).await?;
    Ok(QueueGauges {
        top_hosts: top
            .into_iter()
            .map(|h| HostQueue {
                host: h.host,
                depth: h.depth,
                oldest_seconds: (now - h.oldest_created_at).max(0) as f64 / 1e6,
            })
            .collect(),
        depth,
        hosts,
        dead_hosts,
    })
}
