//! Members create and import projects (publiccode.yml) and publish releases.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
