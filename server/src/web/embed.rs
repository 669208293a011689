//! The embeddable calendar (`/embed/events`, the only framable path) and its snippet generator.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
