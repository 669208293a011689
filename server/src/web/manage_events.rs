//! Members create and edit events, import iCalendar, and handle participants.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
