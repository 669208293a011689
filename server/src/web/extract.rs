//! Extractors of the JSON API: body, path and query as the handlers want them. A request they
//! refuse before the handler runs is an [`AppError`] like any other (the same JSON answer,
//! never axum's plain text), with the status the OpenAPI document gives for the case (see
//! `openapi::add_error_statuses`).

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;

use serde_json::Value;

use crate::domain::error::AppError;

/// A body that could not be read: 413 when it is over the limit, else 400.
fn body_rejection(e: axum::extract::rejection::BytesRejection) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge(format!(
            "the body is larger than {} bytes",
            revier_federation::MAX_BODY_BYTES
        ))
    } else {
        AppError::BadRequest(format!("the body could not be read: {}", e.body_text()))
    }
}

/// A JSON body. A missing or other content type is 415, broken JSON 400, JSON of the wrong
/// shape or with a NUL character in any text 422, a body over the limit 413.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let value = match axum::Json::<Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(e) => return Err(json_rejection(e)),
        };
        // PostgreSQL cannot store NUL in text and SQLite would keep it invisibly: refused here,
        // once for every API body, so both backends answer the same 422.
        if has_nul(&value) {
            return Err(AppError::Invalid(
                "text in the body must not contain NUL characters (\\u0000)".into(),
            ));
        }
        // Read into the route's type from the checked document, with axum's own error texts.
        let bytes = serde_json::to_vec(&value).map_err(AppError::internal)?;
        axum::Json::<T>::from_bytes(&bytes)
            .map(|axum::Json(v)| ApiJson(v))
            .map_err(json_rejection)
    }
}

/// True when a string or key anywhere in the document holds a NUL character.
fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// The answer to a JSON body axum could not take.
fn json_rejection(e: JsonRejection) -> AppError {
    match e {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
            "send the body as JSON with Content-Type: application/json".into(),
        ),
        JsonRejection::JsonDataError(e) => {
            AppError::Invalid(format!("the JSON body does not fit: {}", e.body_text()))
        }
        JsonRejection::BytesRejection(e) => body_rejection(e),
        e => AppError::BadRequest(format!("the body is not valid JSON: {}", e.body_text())),
    }
}

/// A raw body (iCalendar, YAML): 413 over the limit, 422 with a NUL byte (neither format
/// allows one, and PostgreSQL could not store it).
pub struct ApiBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        if body.contains(&0) {
            return Err(AppError::Invalid(
                "the body must not contain NUL characters".into(),
            ));
        }
        Ok(ApiBody(body))
    }
}

/// Path parameters; one that does not parse (an id that is not a 64-bit integer) is 400, one
/// with NUL is 404: it names nothing stored, and PostgreSQL refuses NUL in text.
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.path().to_ascii_lowercase().contains("%00") {
            return Err(AppError::NotFound(
                "anything with a NUL character in its name".into(),
            ));
        }
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| AppError::BadRequest(format!("the path is not valid: {}", e.body_text())))
    }
}

/// Query parameters; a query that does not parse (a page that is not an integer) is 400.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| AppError::BadRequest(format!("the query is not valid: {}", e.body_text())))
    }
}
