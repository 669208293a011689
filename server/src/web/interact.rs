//! Follow / interact from another server: the handle form and the redirect to its subscribe
//! template.

use axum::Router;

use crate::App;

/// What the follow box on a page offers: the object or actor to follow or interact with, and
/// the handle to copy (actors only).
#[derive(Debug, Clone)]
pub struct Interact {
    /// The ActivityPub id of the object or actor.
    pub uri: String,
    /// `@name@host` for an actor; None for objects.
    pub handle: Option<String>,
}

pub fn routes() -> Router<App> {
    Router::new()
}
