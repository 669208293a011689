//! HTTP routes for projects (issue 3).

use axum::Router;

use crate::App;

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
}
