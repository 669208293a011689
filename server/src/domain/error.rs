//! The one error type of the application boundary, [`AppError`]: the domain returns it, the
//! web layer answers it (`web::error`). Users see `public_message`; an internal failure keeps
//! its cause (`Cause`, with its `source()` chain), which is logged once, under an error id.

use std::error::Error;

use serde::Serialize;

/// The cause of an internal failure: the error that caused it, or a sentence for a broken
/// invariant (`"actor vanished".into()`).
pub type Cause = Box<dyn Error + Send + Sync>;

/// One invalid or missing field, named by its key in the input (JSON field or publiccode.yml key).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Gone(String),
    #[error("authentication required: {0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    /// 422 with one message.
    #[error("{0}")]
    Invalid(String),
    /// 422 naming each invalid field.
    #[error("{}", fields_sentence(.0))]
    Fields(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// 413: the body is over the limit.
    #[error("{0}")]
    TooLarge(String),
    /// 415: the body has another content type than the route takes.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429: too many attempts; the message says when to try again, and the answer carries
    /// `Retry-After`.
    #[error("{0}")]
    TooManyRequests(RetryLater),
    /// 502: another server failed us; the message says which and how.
    #[error("{0}")]
    Upstream(String),
    /// 500: our own failure. The cause goes to the log, never to the client.
    #[error("internal error")]
    Internal(#[source] Cause),
}

/// Why and for how long a client must wait (a 429 with `Retry-After`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryLater {
    pub message: String,
    /// Seconds until a new attempt can succeed (at least 1).
    pub retry_after_secs: u64,
}

impl RetryLater {
    pub fn new(message: impl Into<String>, retry_after_secs: u64) -> RetryLater {
        RetryLater {
            message: message.into(),
            retry_after_secs: retry_after_secs.max(1),
        }
    }
}

impl std::fmt::Display for RetryLater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl AppError {
    /// A 429: `message`, and try again in `retry_after_secs`.
    pub fn too_many_requests(message: impl Into<String>, retry_after_secs: u64) -> AppError {
        AppError::TooManyRequests(RetryLater::new(message, retry_after_secs))
    }

    /// Seconds to wait before retrying, for a 429.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests(r) => Some(r.retry_after_secs),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(Box::new(e))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(Box::new(e))
    }
}

impl From<revier_federation::client::FetchError> for AppError {
    fn from(e: revier_federation::client::FetchError) -> Self {
        AppError::Upstream(e.to_string())
    }
}

impl AppError {
    /// An internal failure caused by `cause` (for `map_err`).
    pub fn internal(cause: impl Into<Cause>) -> AppError {
        AppError::Internal(cause.into())
    }

    /// An internal failure while doing `what`: the log reads `what: cause: ...`.
    pub fn context(what: impl Into<String>, cause: impl Into<Cause>) -> AppError {
        AppError::Internal(Box::new(Context {
            what: what.into(),
            source: cause.into(),
        }))
    }

    /// What a person may be shown: internal causes are not.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => {
                "internal error; the administrator can find the cause in the server log".into()
            }
            other => other.to_string(),
        }
    }
}

/// What we were doing when a cause failed us.
#[derive(Debug, thiserror::Error)]
#[error("{what}")]
struct Context {
    what: String,
    #[source]
    source: Cause,
}

/// All field errors in one sentence: `name is missing; license is not an SPDX expression`.
fn fields_sentence(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{} {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An error and its sources as one line for the log: `a: b: c`. A source whose text the line
/// already ends with (many errors repeat their source in their own message) is not repeated.
pub fn cause_chain(e: &(dyn Error + 'static)) -> String {
    let mut line = e.to_string();
    let mut next = e.source();
    while let Some(source) = next {
        let text = source.to_string();
        if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        next = source.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::{cause_chain, AppError, FieldError};

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_chain_names_every_cause_once() {
        let e = AppError::internal(Outer(std::io::Error::other("disk full")));
        assert_eq!(cause_chain(&e), "internal error: outer: disk full");
        let e = AppError::internal("actor vanished");
        assert_eq!(cause_chain(&e), "internal error: actor vanished");
        assert!(!e.public_message().contains("vanished"));
    }

    #[test]
    fn field_errors_read_as_one_sentence() {
        let e = AppError::Fields(vec![
            FieldError::new("name", "is missing"),
            FieldError::new("url", "is not a URL"),
        ]);
        assert_eq!(e.public_message(), "name is missing; url is not a URL");
    }
}
