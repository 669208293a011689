//! Uploaded media served from the store (local directory or S3, `domain::media::MediaStore`): `/media/{key}.{ext}` with its type, cached for a
//! year (names are random and never reused, so a file never changes), never sniffed.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::domain::error::AppError;
use crate::domain::media;
use crate::App;

pub fn routes() -> Router<App> {
    Router::new().route("/media/{name}", get(serve_media))
}

/// GET /media/{name} — a stored image, or 404.
async fn serve_media(
    State(app): State<App>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let Some(file) = media::read_file(&app, &name).await? else {
        return Err(AppError::NotFound(format!("media {name}")));
    };
    // Streamed from the store as it arrives, whichever store it is.
    let mut res = Body::from_stream(file.data.into_stream()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}
