//! Uploaded images: checked, decoded and re-encoded (metadata stripped), resized variants,
//! kept in a `Store`. (Filled in by the media work; the signatures below are what pages use.)

use crate::domain::error::AppError;
use crate::App;

/// An image as pages and federation use it.
#[derive(Debug, Clone)]
pub struct StoredMedia {
    pub id: i64,
    /// Absolute URL of the full-size variant.
    pub url: String,
    /// Absolute URL of the thumbnail.
    pub thumb_url: String,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    /// Alt text (required for uploads).
    pub alt: String,
}

/// Stores an uploaded image for `owner_actor_id` with its alt text.
pub async fn upload_image(
    _app: &App,
    _owner_actor_id: i64,
    _bytes: Vec<u8>,
    _alt: &str,
) -> Result<StoredMedia, AppError> {
    Err(AppError::Invalid(
        "image uploads are not available yet".into(),
    ))
}

/// An uploaded image by id.
pub async fn find_media(_app: &App, _id: i64) -> Result<Option<StoredMedia>, AppError> {
    Ok(None)
}
