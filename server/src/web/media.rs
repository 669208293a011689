//! Uploaded media served from the store.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
