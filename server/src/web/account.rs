//! A person's own account: profile, password, API tokens, sessions, password reset.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
