//! Domain policies for admins (`/admin/domains`), Mastodon CSV import and export, the allowlist, and the public list of moderated servers.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
