//! The member dashboard: their organizations and what waits for them.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
