//! Block-list and allowlist subscriptions (`/admin/domain-lists`) and our own signed list document.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
