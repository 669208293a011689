//! Instance administration: settings, users, invitations, registrations.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
