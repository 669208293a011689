//! Extractors of the JSON API: body, path and query as the handlers want them, and every
//! refusal before a handler runs answered as the API's JSON error (never axum's plain text),
//! with the status the OpenAPI document gives for the case (see `openapi::add_error_statuses`).

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::web::error::ErrorBody;

/// An API request the extractors refused before the handler ran: the same JSON
/// `{"error": ...}` as every other API error, never axum's plain-text rejection, with the
/// status the OpenAPI document gives for the case.
pub struct ApiRejection {
    status: StatusCode,
    message: String,
}

impl ApiRejection {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiRejection {
        ApiRejection {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiRejection {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(ErrorBody {
                error: self.message,
            }),
        )
            .into_response()
    }
}

/// A body that could not be read: 413 when it is over the limit, else 400.
fn body_rejection(e: axum::extract::rejection::BytesRejection) -> ApiRejection {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiRejection::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is larger than {} bytes",
                revier_federation::MAX_BODY_BYTES
            ),
        )
    } else {
        ApiRejection::new(
            StatusCode::BAD_REQUEST,
            format!("the body could not be read: {}", e.body_text()),
        )
    }
}

/// A JSON body. A missing or other content type is 415, broken JSON 400, JSON of the wrong
/// shape 422, a body over the limit 413.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiRejection::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as JSON with Content-Type: application/json",
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiRejection::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("the JSON body does not fit: {}", e.body_text()),
            )),
            Err(JsonRejection::BytesRejection(e)) => Err(body_rejection(e)),
            Err(e) => Err(ApiRejection::new(
                StatusCode::BAD_REQUEST,
                format!("the body is not valid JSON: {}", e.body_text()),
            )),
        }
    }
}

/// A raw body (iCalendar, YAML): 413 over the limit.
pub struct ApiBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state)
            .await
            .map(ApiBody)
            .map_err(body_rejection)
    }
}

/// Path parameters; one that does not parse (an id that is not a 64-bit integer) is 400, one
/// with NUL is 404: it names nothing stored, and PostgreSQL refuses NUL in text.
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.path().to_ascii_lowercase().contains("%00") {
            return Err(ApiRejection::new(
                StatusCode::NOT_FOUND,
                "nothing here has a NUL character in its name",
            ));
        }
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| {
                ApiRejection::new(
                    StatusCode::BAD_REQUEST,
                    format!("the path is not valid: {}", e.body_text()),
                )
            })
    }
}

/// Query parameters; a query that does not parse (a page that is not an integer) is 400.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| {
                ApiRejection::new(
                    StatusCode::BAD_REQUEST,
                    format!("the query is not valid: {}", e.body_text()),
                )
            })
    }
}
