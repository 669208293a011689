//! Follow / interact from another server: the handle form and the redirect to its subscribe template.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
