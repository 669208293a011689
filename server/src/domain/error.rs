//! The one error type of the application boundary. Users see `public_message`; logs see the
//! cause once, in the request span.

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
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Upstream(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

impl From<revier_federation::client::FetchError> for AppError {
    fn from(e: revier_federation::client::FetchError) -> Self {
        AppError::Upstream(e.to_string())
    }
}

impl AppError {
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
