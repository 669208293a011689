//! Errors as HTTP answers: JSON `{"error": "..."}` with a message a person can act on.
//! Internal causes go to the log once, never to the client.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::error::AppError;
use crate::domain::inbox::InboxError;

/// The body of every error answer of the API.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for a person to act on.
    pub error: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Upstream(_) => StatusCode::BAD_GATEWAY,
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut resp = (
            status,
            axum::Json(json!({ "error": self.public_message() })),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

impl IntoResponse for InboxError {
    fn into_response(self) -> Response {
        let status = match &self {
            InboxError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            InboxError::BadRequest(_) => StatusCode::BAD_REQUEST,
            InboxError::Forbidden(_) => StatusCode::FORBIDDEN,
            // `receive` answers these as ignored; acknowledged here too, never a 5xx.
            InboxError::Dropped(_) => StatusCode::ACCEPTED,
            InboxError::Internal(cause) => {
                tracing::error!(%cause, "inbox processing failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            InboxError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        let message = match &self {
            InboxError::Internal(_) => "internal error; please retry later".to_string(),
            other => other.to_string(),
        };
        let mut resp = (status, axum::Json(json!({ "error": message }))).into_response();
        if let InboxError::Busy(secs) = self {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        resp
    }
}
