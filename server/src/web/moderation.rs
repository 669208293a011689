//! The moderators' queue and actions: `/moderation` pages and `/api/v1/moderation`.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
