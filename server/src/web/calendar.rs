//! The public event calendar: list and month views with filters, and their iCalendar and feed links.

use axum::Router;

use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
}
