//! The moderators' queue and actions: `/moderation` pages and `/api/v1/moderation`.

use axum::Router;

use crate::App;

/// What the moderation action forms (the partial `moderation_actions.html`) act on: a
/// report's page includes them with the reported account and objects.
#[derive(Debug, Clone, Default)]
pub struct ActionTargets {
    pub report_id: Option<i64>,
    /// The account acted on (an ActivityPub id), local or remote.
    pub actor_ap_id: Option<String>,
    /// The objects acted on (ActivityPub ids).
    pub object_ap_ids: Vec<String>,
    /// Where the forms return to (a local path).
    pub back: String,
}

pub fn routes() -> Router<App> {
    Router::new()
}
