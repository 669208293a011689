//! Uploaded images: checked, decoded and re-encoded (metadata stripped), resized variants,
//! kept in a [`Store`].
//!
//! An upload goes through these steps, each before anything is stored:
//! 1. the alt text is required (trimmed, at most [`MAX_ALT_CHARS`]) and the size bounded
//!    (`media.max_upload_bytes`);
//! 2. the type is sniffed from the bytes (PNG, JPEG, WebP, GIF), never taken from the client;
//! 3. it is decoded under [`image::Limits`] (dimensions and memory), so a small file that
//!    claims a huge canvas is refused instead of allocating it;
//! 4. the EXIF orientation is applied, then the pixels are re-encoded (JPEG, or PNG when the
//!    image has transparency): nothing of the original file (EXIF, GPS, comments) survives;
//! 5. two variants are written: full (at most [`FULL_MAX_PX`]) and thumbnail ([`THUMB_MAX_PX`]).

use std::future::Future;
use std::io::Cursor;
use std::path::PathBuf;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use revier_federation::protocol::note::Attachment;

use crate::db::{self, media::MediaRow};
use crate::domain::error::{AppError, FieldError};
use crate::domain::random_token;
use crate::App;

/// Longest alt text (Mastodon's limit).
pub const MAX_ALT_CHARS: usize = 1500;
/// The full variant fits in this square.
pub const FULL_MAX_PX: u32 = 2048;
/// The thumbnail fits in this square.
pub const THUMB_MAX_PX: u32 = 400;
/// Largest width or height we decode.
const MAX_DECODE_PX: u32 = 12_000;
/// Most memory a decode may take.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// JPEG quality of the re-encoded variants.
const JPEG_QUALITY: u8 = 85;

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

impl StoredMedia {
    /// The thumbnail's size: the full size scaled to fit `THUMB_MAX_PX` (as `thumbnail` does).
    fn thumb_size(&self) -> (u32, u32) {
        let (w, h) = (self.width.max(1), self.height.max(1));
        let longest = w.max(h);
        if longest <= THUMB_MAX_PX {
            return (w, h);
        }
        let scale = |x: u32| ((u64::from(x) * u64::from(THUMB_MAX_PX)) / u64::from(longest)).max(1);
        (scale(w) as u32, scale(h) as u32)
    }

    pub fn thumb_width(&self) -> u32 {
        self.thumb_size().0
    }

    pub fn thumb_height(&self) -> u32 {
        self.thumb_size().1
    }
}

/// Where media files live: put, get and delete by key. Keys are `[A-Za-z0-9_-]+` with an
/// optional `.ext`; the local directory is the one implementation today, an S3-compatible
/// store can be another.
pub trait Store: Send + Sync {
    fn put(&self, key: &str, bytes: Vec<u8>) -> impl Future<Output = Result<(), AppError>> + Send;
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<Vec<u8>>, AppError>> + Send;
    fn delete(&self, key: &str) -> impl Future<Output = Result<(), AppError>> + Send;
}

/// Files in one directory (`media.directory`, by default next to the SQLite file).
pub struct LocalDirStore {
    dir: PathBuf,
}

impl LocalDirStore {
    pub fn new(dir: PathBuf) -> LocalDirStore {
        LocalDirStore { dir }
    }

    /// The file of a key; `None` for anything that is not a plain key (no paths, no dots
    /// beyond one extension).
    fn path(&self, key: &str) -> Option<PathBuf> {
        valid_key(key).then(|| self.dir.join(key))
    }
}

/// A key names one file: letters, digits, `-`, `_`, and one `.ext` of letters.
pub fn valid_key(key: &str) -> bool {
    let (stem, ext) = key.split_once('.').unwrap_or((key, "a"));
    !stem.is_empty()
        && stem.len() <= 100
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !ext.is_empty()
        && ext.len() <= 5
        && ext.chars().all(|c| c.is_ascii_lowercase())
}

impl Store for LocalDirStore {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let path = self
            .path(key)
            .ok_or_else(|| AppError::internal(format!("bad media key {key:?}")))?;
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| AppError::context("cannot create the media directory", e))?;
        // Written aside and renamed, so a reader never sees half a file.
        let tmp = self.dir.join(format!(".{}.tmp", random_token(8)));
        tokio::fs::write(&tmp, bytes)
            .await
            .map_err(|e| AppError::context("cannot write a media file", e))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| AppError::context("cannot store a media file", e))
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        let Some(path) = self.path(key) else {
            return Ok(None);
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::context("cannot read a media file", e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), AppError> {
        let Some(path) = self.path(key) else {
            return Ok(());
        };
        match tokio::fs::remove_file(&path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(AppError::context("cannot delete a media file", e))
            }
            _ => Ok(()),
        }
    }
}

/// The instance's store.
pub fn store(app: &App) -> LocalDirStore {
    LocalDirStore::new(app.settings.media_directory())
}

/// The content type of a stored file's extension (what `/media/…` answers with).
pub fn content_type_of(key: &str) -> Option<&'static str> {
    match key.rsplit_once('.')?.1 {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        _ => None,
    }
}

/// The two variants of an accepted image, re-encoded.
struct Processed {
    full: Vec<u8>,
    thumb: Vec<u8>,
    extension: &'static str,
    content_type: &'static str,
    width: u32,
    height: u32,
}

fn file_error(message: impl Into<String>) -> AppError {
    AppError::Fields(vec![FieldError::new("file", message)])
}

/// Checks an alt text and returns it trimmed.
pub fn check_alt(alt: &str) -> Result<String, AppError> {
    let alt = alt.trim();
    if alt.is_empty() {
        return Err(AppError::Fields(vec![FieldError::new(
            "alt",
            "an image needs a description (alt text)",
        )]));
    }
    if alt.chars().count() > MAX_ALT_CHARS {
        return Err(AppError::Fields(vec![FieldError::new(
            "alt",
            format!("the description is longer than {MAX_ALT_CHARS} characters"),
        )]));
    }
    Ok(alt.to_string())
}

/// Decodes (bounded), orients, resizes and re-encodes an image. CPU work: run it blocking.
fn process(bytes: &[u8]) -> Result<Processed, AppError> {
    let format = image::guess_format(bytes)
        .ok()
        .filter(|f| {
            matches!(
                f,
                ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif
            )
        })
        .ok_or_else(|| file_error("the file is not a PNG, JPEG, WebP or GIF image"))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_PX);
    limits.max_image_height = Some(MAX_DECODE_PX);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let unreadable = |e: image::ImageError| file_error(format!("the image cannot be read: {e}"));
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let full = if img.width() > FULL_MAX_PX || img.height() > FULL_MAX_PX {
        img.resize(
            FULL_MAX_PX,
            FULL_MAX_PX,
            image::imageops::FilterType::Lanczos3,
        )
    } else {
        img
    };
    let thumb = full.thumbnail(THUMB_MAX_PX, THUMB_MAX_PX);
    let alpha = full.color().has_alpha();
    let (extension, content_type) = if alpha {
        ("png", "image/png")
    } else {
        ("jpg", "image/jpeg")
    };
    Ok(Processed {
        full: encode(&full, alpha)?,
        thumb: encode(&thumb, alpha)?,
        extension,
        content_type,
        width: full.width(),
        height: full.height(),
    })
}

fn encode(img: &DynamicImage, alpha: bool) -> Result<Vec<u8>, AppError> {
    let mut out = Cursor::new(Vec::new());
    if alpha {
        img.to_rgba8()
            .write_to(&mut out, ImageFormat::Png)
            .map_err(|e| AppError::context("png encoding", e))?;
    } else {
        let rgb = img.to_rgb8();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&rgb)
            .map_err(|e| AppError::context("jpeg encoding", e))?;
    }
    Ok(out.into_inner())
}

fn full_key(row: &MediaRow) -> String {
    format!("{}.{}", row.storage_key, row.extension)
}

fn thumb_key(row: &MediaRow) -> String {
    format!("{}-thumb.{}", row.storage_key, row.extension)
}

/// A stored row as pages and federation see it.
pub fn stored(app: &App, row: &MediaRow) -> StoredMedia {
    StoredMedia {
        id: row.id,
        url: format!("{}/media/{}", app.base_url(), full_key(row)),
        thumb_url: format!("{}/media/{}", app.base_url(), thumb_key(row)),
        content_type: row.content_type.clone(),
        width: row.width,
        height: row.height,
        alt: row.alt.clone(),
    }
}

/// Stores an uploaded image for `owner_actor_id` with its alt text.
pub async fn upload_image(
    app: &App,
    owner_actor_id: i64,
    bytes: Vec<u8>,
    alt: &str,
) -> Result<StoredMedia, AppError> {
    let alt = check_alt(alt)?;
    let max = app.settings.media.max_upload_bytes;
    if bytes.len() > max {
        return Err(file_error(format!(
            "the file is larger than {} MiB",
            max / (1024 * 1024)
        )));
    }
    if bytes.is_empty() {
        return Err(file_error("the file is empty"));
    }
    let p = tokio::task::spawn_blocking(move || process(&bytes))
        .await
        .map_err(AppError::internal)??;
    let key = random_token(18);
    let store = store(app);
    let full = format!("{key}.{}", p.extension);
    let thumb = format!("{key}-thumb.{}", p.extension);
    store.put(&full, p.full).await?;
    store.put(&thumb, p.thumb).await?;
    let new = db::media::NewMedia {
        owner_actor_id,
        storage_key: &key,
        extension: p.extension,
        content_type: p.content_type,
        width: p.width,
        height: p.height,
        alt: &alt,
        now: db::now_micros(),
    };
    let inserted = match app.db.conn().await {
        Ok(mut conn) => db::media::insert_media(&mut conn, &new).await,
        Err(e) => Err(e),
    };
    match inserted {
        Ok(row) => Ok(stored(app, &row)),
        Err(e) => {
            // Files without a row are never served; remove them.
            let _ = store.delete(&full).await;
            let _ = store.delete(&thumb).await;
            Err(e.into())
        }
    }
}

/// An uploaded image by id.
pub async fn find_media(app: &App, id: i64) -> Result<Option<StoredMedia>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::media::find_media(&mut conn, id)
        .await?
        .map(|r| stored(app, &r)))
}

/// Images of `owner_actor_id` by id, in the order given; an id that is unknown or belongs to
/// someone else is refused.
pub async fn owned_media(
    app: &App,
    owner_actor_id: i64,
    ids: &[i64],
) -> Result<Vec<StoredMedia>, AppError> {
    let mut conn = app.db.conn().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match db::media::find_media(&mut conn, *id).await? {
            Some(row) if row.owner_actor_id == owner_actor_id => out.push(stored(app, &row)),
            _ => return Err(file_error(format!("image {id} is not yours"))),
        }
    }
    Ok(out)
}

/// Changes the alt text of an image of `owner_actor_id`.
pub async fn set_alt(app: &App, owner_actor_id: i64, id: i64, alt: &str) -> Result<(), AppError> {
    let alt = check_alt(alt)?;
    owned_media(app, owner_actor_id, &[id]).await?;
    let mut conn = app.db.conn().await?;
    db::media::update_media_alt(&mut conn, id, &alt).await?;
    Ok(())
}

/// The images of an announcement, in order.
pub async fn announcement_media(
    app: &App,
    announcement_id: i64,
) -> Result<Vec<StoredMedia>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(
        db::media::list_announcement_media(&mut conn, announcement_id)
            .await?
            .iter()
            .map(|r| stored(app, r))
            .collect(),
    )
}

/// An image as a Note's `attachment` entry: a `Document` with `name` as the alt text, which
/// Mastodon shows (and reads `width`/`height` from for the layout).
pub fn attachment(m: &StoredMedia) -> Attachment {
    Attachment {
        kind: "Document",
        media_type: m.content_type.clone(),
        url: m.url.clone(),
        name: m.alt.clone(),
        width: m.width,
        height: m.height,
    }
}

/// A stored file by its name under `/media/`: its content type and bytes.
pub async fn read_file(app: &App, name: &str) -> Result<Option<(&'static str, Vec<u8>)>, AppError> {
    let Some(content_type) = content_type_of(name).filter(|_| valid_key(name)) else {
        return Ok(None);
    };
    Ok(store(app).get(name).await?.map(|b| (content_type, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_plain_file_names() {
        assert!(valid_key("abc_DEF-12.jpg"));
        assert!(valid_key("abc-thumb.png"));
        assert!(!valid_key("../etc/passwd"));
        assert!(!valid_key("a/b.jpg"));
        assert!(!valid_key(".jpg"));
        assert!(!valid_key("a.b.jpg"));
        assert!(!valid_key("a.JPG"));
        assert_eq!(content_type_of("x.jpg"), Some("image/jpeg"));
        assert_eq!(content_type_of("x.svg"), None);
    }

    #[test]
    fn a_huge_canvas_is_refused_before_allocation() {
        // A PNG header claiming 100000 x 100000 pixels.
        let img = image::RgbImage::new(2, 2);
        let mut png = Cursor::new(Vec::new());
        img.write_to(&mut png, ImageFormat::Png).unwrap();
        let mut bytes = png.into_inner();
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(process(&bytes).is_err());
    }

    #[test]
    fn large_images_are_resized_and_transparent_ones_stay_png() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::new(3000, 1000));
        let mut png = Cursor::new(Vec::new());
        img.write_to(&mut png, ImageFormat::Png).unwrap();
        let p = process(&png.into_inner()).unwrap();
        assert_eq!((p.width, p.height), (2048, 683));
        assert_eq!(p.extension, "png");
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!(thumb.width(), 400);
    }
}
