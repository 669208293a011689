//! What an inbox POST comes to: `Received` when it is accepted, `InboxError` (one HTTP status
//! each) when it is refused. The inbox pipeline and the feature modules it calls (follows,
//! social, events, projects) answer with these, so they live apart from the pipeline: the
//! features never import `domain::inbox`.

use revier_federation::incoming::ActivityError;

use crate::db;
use crate::domain::error::{AppError, Cause};

/// Why an inbox POST was refused; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// 401: missing, malformed, unsupported or failing signature; signer is not the actor.
    #[error("{0}")]
    Unauthorized(String),
    /// 400: not a well-formed activity.
    #[error("{0}")]
    BadRequest(String),
    /// 403: blocked domain.
    #[error("{0}")]
    Forbidden(String),
    /// 202: the activity cannot be processed for a reason on the sender's side that sending it
    /// again would not change; acknowledged and dropped. `receive` answers it as `Ignored`.
    #[error("{0}")]
    Dropped(String),
    /// 500: our own failure; the sender should retry. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] Cause),
    /// 503 with `Retry-After` (seconds): too many key fetches are running; retry later.
    #[error("too many signature keys are being fetched; retry in {0} seconds")]
    Busy(u64),
}

impl From<sqlx::Error> for InboxError {
    fn from(e: sqlx::Error) -> Self {
        if db::is_refused_input(&e) {
            // The same input fails the same way every time: a retry cannot help. Logged loudly,
            // since a constraint we break is our bug.
            tracing::error!(error = %e, "the database refused data from an activity");
            return InboxError::Dropped(format!("database refused the data: {e}"));
        }
        InboxError::Internal(Box::new(e))
    }
}

impl From<ActivityError> for InboxError {
    fn from(e: ActivityError) -> Self {
        InboxError::BadRequest(e.to_string())
    }
}

/// How a feature's error answers an inbox POST: bad input 400, a block 403, our own failure
/// 500, and everything else the sender cannot fix by retrying (something not found, gone, in
/// conflict, or a remote server failing) is acknowledged and dropped.
pub fn from_app_error(e: AppError) -> InboxError {
    match e {
        AppError::Forbidden(m) => InboxError::Forbidden(m),
        AppError::Invalid(m) | AppError::BadRequest(m) => InboxError::BadRequest(m),
        e @ (AppError::Fields(_) | AppError::TooLarge(_) | AppError::UnsupportedMediaType(_)) => {
            InboxError::BadRequest(e.to_string())
        }
        AppError::Internal(m) => InboxError::Internal(m),
        other @ (AppError::NotFound(_)
        | AppError::Gone(_)
        | AppError::Conflict(_)
        | AppError::Upstream(_)
        | AppError::TooManyRequests(_)
        | AppError::Unauthorized(_)) => InboxError::Dropped(other.to_string()),
    }
}

/// What happened to an accepted POST (all answered 202).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    Processed,
    /// Seen before: a replay or a redelivery.
    Duplicate,
    /// Valid, but nothing for us to do (unknown type, not addressed to anyone here...).
    Ignored,
}
