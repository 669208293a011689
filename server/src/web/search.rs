//! Full-text search across organizations, projects, events and announcements.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
