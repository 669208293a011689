//! Members create and edit organizations, members, roles, invitations, followers and comments.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
