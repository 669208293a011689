//! The report form on every page (`/report`), anyone may report, and `POST /api/v1/reports`.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
