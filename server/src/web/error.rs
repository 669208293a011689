//! Errors as HTTP answers: JSON `{"error": "..."}` with a message a person can act on (and the
//! invalid fields of a 422 that names them). A 500 logs its cause chain once, under a fresh
//! error id that the answer carries too, so a report can be matched to the log; the cause
//! never reaches the client.

use std::error::Error;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::error::{cause_chain, AppError, FieldError};
use crate::domain::random_token;
use crate::domain::received::InboxError;

/// The body of every error answer of the API.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for a person to act on.
    pub error: String,
    /// Only on a 500: the id under which the server log has the cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
}

impl ErrorBody {
    pub fn new(error: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: error.into(),
            error_id: None,
        }
    }
}

/// A 422 answer that names each invalid field (by its publiccode.yml key for an import).
#[derive(Serialize, ToSchema)]
pub struct FieldErrorsBody {
    /// All field errors in one sentence.
    error: String,
    /// Each invalid field; absent when the body did not even have the documented shape.
    #[schema(required = false)]
    fields: Vec<FieldError>,
}

/// The HTTP status of an application error.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Gone(_) => StatusCode::GONE,
        AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Invalid(_) | AppError::Fields(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Upstream(_) => StatusCode::BAD_GATEWAY,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(_) = &self {
            return internal_error(&self, &self.public_message());
        }
        let status = status_of(&self);
        let error = self.public_message();
        let retry_after = self.retry_after();
        let mut resp = match self {
            AppError::Fields(fields) => {
                (status, axum::Json(FieldErrorsBody { error, fields })).into_response()
            }
            _ => (status, axum::Json(ErrorBody::new(error))).into_response(),
        };
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
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
            InboxError::Internal(_) => {
                return internal_error(&self, "internal error; please retry later");
            }
            InboxError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        let mut resp = (status, axum::Json(ErrorBody::new(self.to_string()))).into_response();
        if let InboxError::Busy(secs) = self {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        resp
    }
}

/// A 500: logs the cause chain under a fresh error id and answers `public` with that id.
fn internal_error(cause: &(dyn Error + 'static), public: &str) -> Response {
    let error_id = new_error_id();
    tracing::error!(error_id = %error_id, cause = %cause_chain(cause), "request failed");
    let body = ErrorBody {
        error: format!("{public} (error id {error_id})"),
        error_id: Some(error_id),
    };
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

/// A short random id for one failure: enough to find it in a day's log, nothing more.
fn new_error_id() -> String {
    random_token(6)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use http_body_util::BodyExt;
    use serde_json::Value;

    use crate::domain::error::AppError;
    use crate::domain::received::InboxError;

    /// Everything the log subscriber writes, to read back in a test.
    #[derive(Clone, Default)]
    struct Log(Arc<Mutex<Vec<u8>>>);

    impl Write for Log {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Log {
        type Writer = Log;
        fn make_writer(&'a self) -> Log {
            self.clone()
        }
    }

    /// The answer of `make` and what was logged while making it.
    async fn answer_and_log(make: impl FnOnce() -> Response) -> (StatusCode, Value, String) {
        let log = Log::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_ansi(false)
            .finish();
        let resp = tracing::subscriber::with_default(subscriber, make);
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        (status, serde_json::from_slice(&bytes).unwrap(), logged)
    }

    #[tokio::test]
    async fn a_500_logs_its_cause_chain_once_under_the_id_it_answers() {
        let (status, body, logged) = answer_and_log(|| {
            AppError::context("loading the org", std::io::Error::other("disk on fire"))
                .into_response()
        })
        .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let id = body["error_id"].as_str().unwrap();
        assert!(id.len() >= 8, "{id}");
        let message = body["error"].as_str().unwrap();
        assert!(message.contains(id), "{message}");
        assert!(
            !message.contains("disk") && !message.contains("loading"),
            "{message}"
        );
        assert_eq!(logged.matches(id).count(), 1, "{logged}");
        assert_eq!(logged.matches("disk on fire").count(), 1, "{logged}");
        assert!(logged.contains("loading the org: disk on fire"), "{logged}");
    }

    #[tokio::test]
    async fn each_500_has_its_own_id_and_the_inbox_answers_the_same_way() {
        let (_, first, _) = answer_and_log(|| AppError::internal("x").into_response()).await;
        let (status, inbox, logged) = answer_and_log(|| {
            InboxError::Internal(Box::new(std::io::Error::other("pool timed out"))).into_response()
        })
        .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let id = inbox["error_id"].as_str().unwrap();
        assert_ne!(first["error_id"].as_str().unwrap(), id);
        assert!(inbox["error"]
            .as_str()
            .unwrap()
            .starts_with("internal error; please retry later"));
        assert!(
            logged.contains(id) && logged.contains("pool timed out"),
            "{logged}"
        );
    }

    #[tokio::test]
    async fn other_errors_log_nothing_and_carry_no_id() {
        let (status, body, logged) =
            answer_and_log(|| AppError::NotFound("event 7".into()).into_response()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body, serde_json::json!({"error": "event 7 not found"}));
        assert!(logged.is_empty(), "{logged}");
    }
}
