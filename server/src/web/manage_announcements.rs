//! Members write, preview, schedule and edit announcements.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
