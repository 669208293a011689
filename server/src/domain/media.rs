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

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};
use revier_federation::protocol::note::Attachment;

use crate::db::{self, media::MediaRow};
use crate::domain::error::{AppError, FieldError};
use crate::domain::random_token;
use crate::settings::{MediaStoreKind, Settings};
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

/// Where media files live, behind the `object_store` crate: files under `media.directory`
/// (default), or a bucket of an S3-compatible server (`media.store = "s3"`), so that several
/// processes on several machines serve the same files. Built once per process
/// (`App::media`). Keys are checked by [`valid_key`] before they reach the store, so a
/// request path never becomes a file path or an object name of its own choosing.
#[derive(Clone)]
pub struct MediaStore {
    inner: Arc<dyn ObjectStore>,
    /// `local` or `s3`, for messages.
    kind: &'static str,
}

impl std::fmt::Debug for MediaStore {
    // The S3 client's own Debug would show its credentials; say only what it is.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MediaStore({})", self.kind)
    }
}

/// A stored file as read from the store: its type, size, and the store's answer, whose
/// `into_stream()` yields the bytes as they arrive (nothing is buffered whole).
pub struct MediaFile {
    pub content_type: &'static str,
    pub size: u64,
    pub data: object_store::GetResult,
}

impl MediaStore {
    /// The store the settings describe. Nothing is contacted or created yet: the local
    /// directory appears with the first upload, and a missing bucket is reported by the
    /// first request (and by [`check_store`]).
    pub fn from_settings(settings: &Settings) -> Result<MediaStore, AppError> {
        match settings.media.store {
            MediaStoreKind::Local => {
                let dir = std::path::absolute(settings.media_directory())
                    .map_err(|e| AppError::context("the media directory", e))?;
                let prefix = ObjectPath::from_absolute_path(&dir)
                    .map_err(|e| AppError::context("the media directory", e))?;
                // Rooted at `/` with the directory as a prefix, so the directory need not
                // exist before the first upload (the store creates it then).
                let store = PrefixStore::new(LocalFileSystem::new(), prefix);
                Ok(MediaStore {
                    inner: Arc::new(store),
                    kind: "local",
                })
            }
            MediaStoreKind::S3 => {
                let m = &settings.media;
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&m.s3_bucket)
                    .with_region(&m.s3_region)
                    .with_access_key_id(&m.s3_access_key_id)
                    .with_secret_access_key(&m.s3_secret_access_key)
                    .with_retry(RetryConfig {
                        max_retries: 2,
                        retry_timeout: Duration::from_secs(10),
                        ..RetryConfig::default()
                    })
                    // Client options first: they replace `allow_http` as a whole.
                    .with_client_options(
                        ClientOptions::new()
                            .with_timeout(Duration::from_secs(30))
                            .with_connect_timeout(Duration::from_secs(5)),
                    )
                    .with_allow_http(m.s3_allow_http);
                if !m.s3_endpoint.is_empty() {
                    builder = builder.with_endpoint(&m.s3_endpoint);
                }
                let store = builder
                    .build()
                    .map_err(|e| AppError::context("cannot set up the S3 media store", e))?;
                Ok(MediaStore {
                    inner: Arc::new(store),
                    kind: "s3",
                })
            }
        }
    }

    /// `local` or `s3`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    fn location(key: &str) -> Option<ObjectPath> {
        valid_key(key).then(|| ObjectPath::from(key))
    }

    /// Stores `bytes` under `key`; a reader sees the whole file or none (the local store
    /// writes aside and renames; S3 makes an object visible once complete).
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let location = Self::location(key)
            .ok_or_else(|| AppError::internal(format!("bad media key {key:?}")))?;
        self.inner
            .put(&location, PutPayload::from(bytes))
            .await
            .map_err(|e| {
                AppError::context(format!("cannot store a media file ({})", self.kind), e)
            })?;
        Ok(())
    }

    /// The file of `key` as a stream, or `None` when there is none.
    pub async fn get(&self, key: &str) -> Result<Option<MediaFile>, AppError> {
        let (Some(location), Some(content_type)) = (Self::location(key), content_type_of(key))
        else {
            return Ok(None);
        };
        match self.inner.get(&location).await {
            Ok(found) => Ok(Some(MediaFile {
                content_type,
                size: found.meta.size,
                data: found,
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(AppError::context(
                format!("cannot read a media file ({})", self.kind),
                e,
            )),
        }
    }

    /// The bytes of `key` (for tests and checks; pages stream with [`MediaStore::get`]).
    pub async fn get_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        let Some(location) = Self::location(key) else {
            return Ok(None);
        };
        let read = match self.inner.get(&location).await {
            Ok(found) => found.bytes().await,
            Err(e) => Err(e),
        };
        match read {
            Ok(bytes) => Ok(Some(bytes.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(AppError::context(
                format!("cannot read a media file ({})", self.kind),
                e,
            )),
        }
    }

    /// Removes `key`; a key that is not there is no error.
    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        let Some(location) = Self::location(key) else {
            return Ok(());
        };
        match self.inner.delete(&location).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(AppError::context(
                format!("cannot delete a media file ({})", self.kind),
                e,
            )),
        }
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

/// Checks that the configured store takes, returns and removes a file (for `revier doctor`
/// and start-up checks): writes a small probe under a fresh key, reads it back, deletes it.
/// The answer names the store (`local: /path` or `s3: bucket`), never a secret.
pub async fn check_store(settings: &Settings) -> Result<String, AppError> {
    let store = MediaStore::from_settings(settings)?;
    let key = format!("doctor-probe-{}.txt", random_token(8).to_ascii_lowercase());
    let probe = b"revier media store probe".to_vec();
    store.put(&key, probe.clone()).await?;
    let read = store.get_bytes(&key).await;
    let deleted = store.delete(&key).await;
    if read? != Some(probe) {
        return Err(AppError::internal(
            "the media store returned something else than was written",
        ));
    }
    deleted?;
    Ok(match settings.media.store {
        MediaStoreKind::Local => format!("local: {}", settings.media_directory().display()),
        MediaStoreKind::S3 => format!("s3: bucket {}", settings.media.s3_bucket),
    })
}

/// The instance's store.
pub fn store(app: &App) -> &MediaStore {
    &app.media
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

/// Removes images of `owner_actor_id` that nothing shows any more (after an announcement
/// was deleted or an edit dropped them): the row first, then both files, so a file is never
/// missing under a row. Runs after the caller's change is committed, which stands whatever
/// happens here: a failure is logged, and what could not be removed stays (unlinked).
/// Returns how many images went.
pub async fn delete_unused(app: &App, owner_actor_id: i64, ids: &[i64]) -> usize {
    let mut deleted = 0;
    for id in ids {
        match delete_if_unused(app, owner_actor_id, *id).await {
            Ok(true) => deleted += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(
                media_id = id,
                error = %crate::domain::error::cause_chain(&e),
                "an unused image stays"
            ),
        }
    }
    deleted
}

async fn delete_if_unused(app: &App, owner_actor_id: i64, id: i64) -> Result<bool, AppError> {
    let row = {
        let mut conn = app.db.conn().await?;
        match db::media::find_media(&mut conn, id).await? {
            Some(row) if row.owner_actor_id == owner_actor_id => {
                if !db::media::delete_media_if_unused(&mut conn, &row).await? {
                    return Ok(false);
                }
                row
            }
            _ => return Ok(false),
        }
    };
    let full = store(app).delete(&full_key(&row)).await;
    let thumb = store(app).delete(&thumb_key(&row)).await;
    full.and(thumb).map(|()| true)
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

/// A stored file by its name under `/media/`: its content type, size and bytes (streamed).
pub async fn read_file(app: &App, name: &str) -> Result<Option<MediaFile>, AppError> {
    if content_type_of(name).is_none() || !valid_key(name) {
        return Ok(None);
    }
    store(app).get(name).await
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

    #[tokio::test]
    async fn the_local_store_appears_with_the_first_file_and_checks_out() {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("not-yet").join("media");
        let mut settings = Settings::default();
        settings.media.directory = Some(media.display().to_string());
        let store = MediaStore::from_settings(&settings).unwrap();
        assert!(!media.exists(), "built without touching the disk");
        store.put("abc.jpg", b"jpeg".to_vec()).await.unwrap();
        assert_eq!(std::fs::read(media.join("abc.jpg")).unwrap(), b"jpeg");
        assert_eq!(store.get_bytes("abc.jpg").await.unwrap().unwrap(), b"jpeg");
        let file = store.get("abc.jpg").await.unwrap().unwrap();
        assert_eq!((file.content_type, file.size), ("image/jpeg", 4));
        // Keys that are not plain names never reach the store.
        assert!(store.get("../abc.jpg").await.unwrap().is_none());
        assert!(store.put("a/b.jpg", vec![1]).await.is_err());
        store.delete("abc.jpg").await.unwrap();
        store.delete("abc.jpg").await.unwrap();
        assert!(store.get("abc.jpg").await.unwrap().is_none());

        let said = check_store(&settings).await.unwrap();
        assert_eq!(said, format!("local: {}", media.display()));
        assert_eq!(
            std::fs::read_dir(&media).unwrap().count(),
            0,
            "the probe stayed"
        );
    }

    #[test]
    fn the_s3_store_never_shows_its_secret() {
        let mut settings = Settings::default();
        settings.media.store = MediaStoreKind::S3;
        settings.media.s3_bucket = "revier-media".into();
        settings.media.s3_access_key_id = "AKIDEXAMPLE".into();
        settings.media.s3_secret_access_key = "very-secret-key".into();
        let store = MediaStore::from_settings(&settings).unwrap();
        assert_eq!(store.kind(), "s3");
        assert_eq!(format!("{store:?}"), "MediaStore(s3)");
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
