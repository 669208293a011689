//! The public project directory and organization list with their filters.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
