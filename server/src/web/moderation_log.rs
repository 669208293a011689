//! The moderation log: the moderators' page and the public variant.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
